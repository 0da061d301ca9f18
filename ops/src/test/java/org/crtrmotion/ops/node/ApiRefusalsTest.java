package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.NodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose API is bound beyond loopback (so it needs its token) and allows images from one
 * directory: requests without the token, with a wrong one, for an image elsewhere, and with a
 * malformed body are each refused with a JSON error naming what was wrong, and the VM already
 * running goes on.
 */
class ApiRefusalsTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final String AUTH = "Bearer " + TOKEN;

  @TempDir static Path dir;
  static CrtrNode node;
  static String api;
  static String runningVm;

  @BeforeAll
  static void startNode() throws Exception {
    Path images = Files.createDirectory(dir.resolve("images"));
    NodeConfig config =
        NodeConfig.parse(
            """
            crtr.node {
              name = "solo"
              bind { host = "127.0.0.1", port = 0 }
              data-directory = "%s"
              limits { max-vms = 2, max-memory = 128 MiB }
              api {
                bind { host = "0.0.0.0", port = 0 }
                token = "%s"
                image-directories = ["%s"]
              }
            }
            pekko.loglevel = WARNING
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            """
                .formatted(dir.resolve("data"), TOKEN, images));
    node = CrtrNode.start(config, ApiSettings.from(config.config()));
    api = "http://127.0.0.1:" + node.apiPort();
    Http.awaitAssert(
        Duration.ofSeconds(20), () -> assertEquals(200, Http.get(api + "/ready").status()));
    Http.Answer started =
        Http.post(
            api + "/api/v1/vms",
            "{\"image\":\"idle.elf\",\"bootargs\":\"ticks=0\",\"memory\":\"16M\"}",
            "Authorization",
            AUTH);
    assertEquals(201, started.status(), started.body());
    runningVm = json(started).get("id").asText();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static JsonNode json(Http.Answer answer) throws Exception {
    return ApiResponses.JSON.readTree(answer.body());
  }

  private static String error(Http.Answer answer) throws Exception {
    return json(answer).get("error").asText();
  }

  @Test
  void aRequestWithoutTheTokenIsRefusedWith401() throws Exception {
    Http.Answer answer = Http.get(api + "/api/v1/vms");
    assertEquals(401, answer.status());
    assertTrue(error(answer).contains("Authorization: Bearer"), answer.body());
  }

  @Test
  void aRequestWithAWrongTokenIsRefusedWith401() throws Exception {
    Http.Answer answer =
        Http.post(
            api + "/api/v1/vms", "{\"image\":\"hello.elf\"}", "Authorization", "Bearer wrong");
    assertEquals(401, answer.status());
    assertEquals("the bearer token is wrong", error(answer));
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    assertEquals(200, Http.get(api + "/health").status());
  }

  @Test
  void metricsNeedTheToken() throws Exception {
    assertEquals(401, Http.get(api + "/metrics").status());
    assertEquals(200, Http.get(api + "/metrics", "Authorization", AUTH).status());
  }

  @Test
  void anImageOutsideTheAllowedDirectoriesIsRefusedWith403NamingThePath() throws Exception {
    Path outside = Files.writeString(dir.resolve("guest.elf"), "not really");
    Http.Answer answer =
        Http.post(api + "/api/v1/vms", "{\"image\":\"" + outside + "\"}", "Authorization", AUTH);
    assertEquals(403, answer.status());
    assertTrue(error(answer).contains(outside.toRealPath().toString()), answer.body());
  }

  @Test
  void aMalformedBodyIsRefusedWith400NamingTheField() throws Exception {
    Http.Answer answer =
        Http.post(
            api + "/api/v1/vms",
            "{\"image\":\"hello.elf\",\"memory\":true}",
            "Authorization",
            AUTH);
    assertEquals(400, answer.status());
    assertTrue(error(answer).startsWith("field 'memory'"), answer.body());
  }

  @Test
  void anUnknownVmIsA404() throws Exception {
    Http.Answer answer = Http.get(api + "/api/v1/vms/solo-vm-99", "Authorization", AUTH);
    assertEquals(404, answer.status());
    assertEquals("no VM solo-vm-99", error(answer));
  }

  @Test
  void aMigrationWithABadParameterIsRefusedWith400NamingIt() throws Exception {
    Http.Answer answer =
        Http.post(
            api + "/api/v1/migrations",
            "{\"vmId\":\"" + runningVm + "\",\"targetNode\":\"b\",\"downtimeLimitMillis\":-5}",
            "Authorization",
            AUTH);
    assertEquals(400, answer.status());
    assertTrue(error(answer).startsWith("field 'downtimeLimitMillis'"), answer.body());
  }

  @Test
  void aMigrationToANodeThatIsNotInTheClusterIsRefusedNamingTheField() throws Exception {
    Http.Answer answer =
        Http.post(
            api + "/api/v1/migrations",
            "{\"vmId\":\"" + runningVm + "\",\"targetNode\":\"nowhere\"}",
            "Authorization",
            AUTH);
    assertEquals(400, answer.status());
    assertTrue(error(answer).startsWith("field 'targetNode'"), answer.body());
  }

  @Test
  void aMigrationOfAnUnknownVmIsA404() throws Exception {
    Http.Answer answer =
        Http.post(
            api + "/api/v1/migrations",
            "{\"vmId\":\"solo-vm-99\",\"targetNode\":\"b\"}",
            "Authorization",
            AUTH);
    assertEquals(404, answer.status());
    assertEquals("no VM solo-vm-99", error(answer));
  }

  @Test
  void anUnknownMigrationIsA404() throws Exception {
    Http.Answer answer =
        Http.get(api + "/api/v1/migrations/solo-m7-0123abcd/report", "Authorization", AUTH);
    assertEquals(404, answer.status());
    assertTrue(error(answer).startsWith("no migration solo-m7-0123abcd"), answer.body());
  }

  @Test
  void cancellingAnUnknownMigrationIsA404() throws Exception {
    Http.Answer answer =
        Http.delete(api + "/api/v1/migrations/solo-m7-0123abcd", "Authorization", AUTH);
    assertEquals(404, answer.status());
    assertTrue(error(answer).startsWith("no migration solo-m7-0123abcd"), answer.body());
  }

  @Test
  void theRunningVmIsNotDisturbedByRefusals() throws Exception {
    Http.post(api + "/api/v1/vms", "{\"image\":\"/etc/passwd\"}", "Authorization", AUTH);
    Http.post(api + "/api/v1/vms", "{nope", "Authorization", AUTH);
    JsonNode vm = json(Http.get(api + "/api/v1/vms/" + runningVm, "Authorization", AUTH));
    assertEquals("RUNNING", vm.get("state").asText(), vm.toString());
  }

  @Test
  void theCommandLineSaysTheTokenIsNeededWithExitCode5() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        new picocli.CommandLine(new org.crtrmotion.ops.cli.CrtrCommand())
            .setErr(new java.io.PrintWriter(err))
            .execute("vm", "list", "--node", api);
    assertEquals(5, code);
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("401"), err.toString());
  }

  @Test
  void theCommandLineListsWithTheToken() {
    java.io.StringWriter out = new java.io.StringWriter();
    int code =
        new picocli.CommandLine(new org.crtrmotion.ops.cli.CrtrCommand())
            .setOut(new java.io.PrintWriter(out))
            .execute("vm", "list", "--node", api, "--token", TOKEN);
    assertEquals(0, code);
    assertTrue(out.toString().contains(runningVm), out.toString());
  }
}
