package org.crtrmotion.ops.node;

import static org.crtrmotion.ops.node.Http.awaitAssert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crtrmotion.ops.certs.ClusterCertificates;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 8's end-to-end run: three {@code crtr node} processes on 127.0.0.1 with Artery over mutual
 * TLS (certificates from {@link ClusterCertificates}), a VM started through c's API on a, migrated
 * to b through {@code crtr migrate} given c's API (both requests are referred to a, where the VM
 * runs), the progress followed, the report read, the metrics scraped; then on to c by pre-copy. The
 * tests run in order on the one cluster (starting JVMs is the slow part).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMigrationProcessesTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String PASSWORD = "test-password";

  @TempDir static Path dir;
  static NodeProcess a;
  static NodeProcess b;
  static NodeProcess c;
  static String apiA;
  static String apiB;
  static String apiC;
  static String vmId;
  static String migrationId;

  @BeforeAll
  static void startThreeTlsNodes() throws Exception {
    ClusterCertificates.Written stores =
        ClusterCertificates.newCa("test cluster CA", Duration.ofDays(1))
            .writeAll(dir.resolve("certs"), List.of("a", "b", "c"), PASSWORD.toCharArray());
    int seedPort = freePort();
    String seeds = "[\"127.0.0.1:" + seedPort + "\"]";
    a = new NodeProcess(dir, "a", config("a", seedPort, "[]", stores, 0));
    b = new NodeProcess(dir, "b", config("b", 0, seeds, stores, 1));
    c = new NodeProcess(dir, "c", config("c", 0, seeds, stores, 2));
    apiA = a.api();
    apiB = b.api();
    apiC = c.api();
    awaitAssert(
        WAIT,
        () -> {
          JsonNode nodes = json(Http.get(apiC + "/api/v1/nodes")).get("nodes");
          assertEquals(3, nodes.size(), nodes.toString());
          for (JsonNode n : nodes) {
            assertEquals("Up", n.get("status").asText(), nodes.toString());
            assertTrue(n.has("capacity"), nodes.toString());
          }
        });
  }

  private static String config(
      String name, int port, String seeds, ClusterCertificates.Written stores, int index) {
    return """
           crtr.node {
             name = "%s"
             bind { host = "127.0.0.1", port = %d }
             seed-nodes = %s
             data-directory = "%s"
             limits { max-vms = 2, max-memory = 256 MiB }
             api.bind { host = "127.0.0.1", port = 0 }
             tls { enabled = on, key-store = "%s", trust-store = "%s", password = "%s" }
           }
           pekko.loglevel = WARNING
           """
        .formatted(
            name,
            port,
            seeds,
            dir.resolve(name + "-data"),
            stores.keyStores().get(index),
            stores.trustStore(),
            PASSWORD);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    for (NodeProcess n : new NodeProcess[] {a, b, c}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  @Order(1)
  void aVmStartedThroughOneNodeRunsOnTheNodeAsked() throws Exception {
    Http.Answer started =
        Http.post(
            apiC + "/api/v1/vms",
            "{\"image\":\"idle.elf\",\"bootargs\":\"ticks=0 period_us=2000\",\"memory\":\"16M\","
                + "\"node\":\"a\"}");
    assertEquals(201, started.status(), started.body());
    vmId = json(started).get("id").asText();
    assertEquals("a", json(started).get("node").asText());
  }

  @Test
  @Order(2)
  void theCommandLineMigratesTheVmFollowingItsProgressToACommittedReport() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            // A VM started through the API runs 1 Mi-instruction slices, so the target's replay is
            // up to a few slices behind: a limit of seconds lets the first rounds converge (the
            // actors' tests pin the downtime itself).
            .execute("migrate", vmId, "--to", "b", "--downtime-limit", "5000", "--node", apiC);
    String text = out.toString();
    assertEquals(0, code, text + err);
    Matcher started = Pattern.compile("migration (\\S+)").matcher(text);
    assertTrue(started.find(), text);
    migrationId = started.group(1);
    // Not a terminal: progress comes as plain lines, the first where the migration stood.
    assertTrue(text.lines().anyMatch(l -> l.matches("[A-Z_]+ round \\d+, .* bytes sent")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("outcome\\s+COMMITTED")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("digest\\s+MATCH")), text);
  }

  @Test
  @Order(3)
  void theReportIsServedByTheSourceNodeWithStableNames() throws Exception {
    Http.Answer referred = Http.get(apiC + "/api/v1/migrations/" + migrationId + "/report");
    assertEquals(307, referred.status(), referred.body());
    assertEquals(
        apiA + "/api/v1/migrations/" + migrationId + "/report", referred.headers().get("location"));
    JsonNode report = json(Http.get(apiA + "/api/v1/migrations/" + migrationId + "/report"));
    assertEquals("crtr", report.get("strategy").asText(), report.toString());
    assertEquals("COMMITTED", report.get("outcome").asText(), report.toString());
    assertTrue(report.get("digestMatch").asBoolean(), report.toString());
    assertTrue(report.get("bytesByKind").get("checkpoint").asLong() > 0, report.toString());
    assertEquals(
        report.get("bytesTotal").asLong(),
        report.get("bytesByKind").get("checkpoint").asLong()
            + report.get("bytesByKind").get("trace").asLong()
            + report.get("bytesByKind").get("pages").asLong()
            + report.get("bytesByKind").get("control").asLong(),
        report.toString());
  }

  @Test
  @Order(4)
  void theVmNowRunsOnTheTarget() throws Exception {
    JsonNode vms = json(Http.get(apiC + "/api/v1/vms")).get("vms");
    assertEquals(1, vms.size(), vms.toString());
    assertEquals(vmId, vms.get(0).get("id").asText());
    assertEquals("b", vms.get(0).get("node").asText(), vms.toString());
  }

  @Test
  @Order(5)
  void theSourceNodesMetricsCountTheCommittedMigrationItsTimesAndBytes() throws Exception {
    String metrics = Http.get(apiA + "/metrics").body();
    assertTrue(
        metrics.contains(
            "crtr_migrations_total{node=\"a\",outcome=\"committed\",strategy=\"crtr\"} 1.0"),
        metrics);
    assertTrue(
        metrics.contains("crtr_migration_downtime_seconds_count{node=\"a\",strategy=\"crtr\"} 1"),
        metrics);
    assertTrue(
        metrics.contains("crtr_migration_total_time_seconds_count{node=\"a\",strategy=\"crtr\"} 1"),
        metrics);
    Matcher checkpoint =
        Pattern.compile("crtr_migration_bytes_total\\{kind=\"checkpoint\",node=\"a\"} (\\S+)")
            .matcher(metrics);
    assertTrue(checkpoint.find(), metrics);
    assertTrue(Double.parseDouble(checkpoint.group(1)) > 0, checkpoint.group());
    assertTrue(metrics.contains("crtr_migrations_running{node=\"a\"} 0.0"), metrics);
  }

  @Test
  @Order(6)
  void theVmMovesOnByPrecopyWithTheReportAsJson() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(
                "migrate", vmId, "--to", "c", "--strategy", "precopy", "--json", "--node", apiA);
    assertEquals(0, code, out.toString() + err);
    JsonNode report = json(out.toString().strip());
    assertEquals("precopy", report.get("strategy").asText(), report.toString());
    assertEquals("COMMITTED", report.get("outcome").asText(), report.toString());
    assertEquals("b", report.get("source").asText(), report.toString());
    assertTrue(report.get("bytesByKind").get("pages").asLong() > 0, report.toString());
  }

  static JsonNode json(String text) throws IOException {
    return ApiResponses.JSON.readTree(text);
  }

  static JsonNode json(Http.Answer answer) throws IOException {
    return ApiResponses.JSON.readTree(answer.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
