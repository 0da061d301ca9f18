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
 * Two {@code crtr node} processes on 127.0.0.1 form a cluster; a VM is started through a's API on
 * b, its console read over server-sent events from b, the metrics scraped, the VM stopped through
 * the command line. The tests run in order on the one cluster (starting JVMs is the slow part).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeProcessesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static NodeProcess a;
  static NodeProcess b;
  static String apiA;
  static String apiB;
  static String vmId;

  @BeforeAll
  static void startTwoNodes() throws Exception {
    int seedPort = freePort();
    a = new NodeProcess(dir, "a", config("a", seedPort, "[]"));
    b = new NodeProcess(dir, "b", config("b", 0, "[\"127.0.0.1:" + seedPort + "\"]"));
    apiA = a.api();
    apiB = b.api();
    awaitAssert(
        WAIT,
        () -> {
          JsonNode nodes = json(Http.get(apiA + "/api/v1/nodes")).get("nodes");
          assertEquals(2, nodes.size(), nodes.toString());
          for (JsonNode n : nodes) {
            assertEquals("Up", n.get("status").asText(), nodes.toString());
            assertTrue(n.has("capacity"), nodes.toString());
          }
        });
  }

  private static String config(String name, int port, String seeds) {
    return """
           crtr.node {
             name = "%s"
             bind { host = "127.0.0.1", port = %d }
             seed-nodes = %s
             data-directory = "%s"
             limits { max-vms = 2, max-memory = 256 MiB }
             api.bind { host = "127.0.0.1", port = 0 }
           }
           pekko.loglevel = WARNING
           """
        .formatted(name, port, seeds, dir.resolve(name + "-data"));
  }

  @AfterAll
  static void killNodes() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  @Order(1)
  void bothNodesBecomeReady() throws Exception {
    // Membership seen from a comes before b sees itself Up and registers its host agent.
    awaitAssert(
        WAIT,
        () -> {
          assertEquals(200, Http.get(apiA + "/ready").status());
          assertEquals(200, Http.get(apiB + "/ready").status());
        });
  }

  @Test
  @Order(2)
  void aVmStartedThroughOneNodeRunsOnTheNodeAsked() throws Exception {
    Http.Answer started =
        Http.post(
            apiA + "/api/v1/vms",
            "{\"image\":\"idle.elf\",\"bootargs\":\"ticks=0 period_ms=10\",\"memory\":\"32M\","
                + "\"node\":\"b\"}");
    assertEquals(201, started.status(), started.body());
    JsonNode vm = json(started);
    assertEquals("b", vm.get("node").asText());
    vmId = vm.get("id").asText();
    JsonNode listed = json(Http.get(apiB + "/api/v1/vms")).get("vms");
    assertEquals(vmId, listed.get(0).get("id").asText());
    JsonNode detail = json(Http.get(apiB + "/api/v1/vms/" + vmId));
    assertEquals("RUNNING", detail.get("state").asText(), detail.toString());
  }

  @Test
  @Order(3)
  void theConsoleStreamsNumberedLinesWithoutGap() throws Exception {
    List<String> events = Http.events(apiB + "/api/v1/vms/" + vmId + "/console", 3);
    assertEquals(3, events.size(), events.toString());
    Pattern tick = Pattern.compile("(\\d+) tick (\\d+)");
    long first = -1;
    for (int i = 0; i < 3; i++) {
      Matcher m = tick.matcher(events.get(i));
      assertTrue(m.matches(), events.toString());
      long line = Long.parseLong(m.group(1));
      first = i == 0 ? line : first;
      assertEquals(first + i, line, events.toString());
    }
  }

  @Test
  @Order(4)
  void theConsoleOfAVmOnAnotherNodeIsRedirectedToThatNode() throws Exception {
    awaitAssert(
        WAIT,
        () -> {
          Http.Answer answer = Http.get(apiA + "/api/v1/vms/" + vmId + "/console");
          assertEquals(307, answer.status(), answer.body());
          assertEquals(apiB + "/api/v1/vms/" + vmId + "/console", answer.headers().get("location"));
        });
  }

  @Test
  @Order(5)
  void theCommandLineFollowsTheConsoleThroughAnyNode() {
    StringWriter out = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(out))
            .execute("vm", "console", vmId, "--lines", "2", "--node", apiA);
    assertEquals(0, code);
    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size(), out.toString());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("tick ")), out.toString());
  }

  @Test
  @Order(6)
  void metricsShowTheVmItsRateAndTheApiRequests() throws Exception {
    awaitAssert(
        WAIT,
        () -> {
          String metrics = Http.get(apiB + "/metrics").body();
          assertTrue(metrics.contains("crtr_vms_running{node=\"b\"} 1.0"), metrics);
          Matcher ips =
              Pattern.compile(
                      "crtr_vm_instructions_per_second\\{node=\"b\",vm=\"" + vmId + "\"} (\\S+)")
                  .matcher(metrics);
          assertTrue(ips.find(), metrics);
          assertTrue(Double.parseDouble(ips.group(1)) > 0, ips.group());
        });
    String metrics = Http.get(apiA + "/metrics").body();
    assertTrue(
        metrics.contains("crtr_api_requests_total{method=\"POST\",node=\"a\",status=\"201\"} 1.0"),
        metrics);
  }

  @Test
  @Order(7)
  void theCommandLineListsAndStopsTheVm() throws Exception {
    StringWriter out = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(out))
            .execute("vm", "list", "--node", apiA);
    assertEquals(0, code);
    assertTrue(out.toString().contains(vmId), out.toString());
    out.getBuffer().setLength(0);
    code =
        new CommandLine(new CrtrCommand())
            .setOut(new PrintWriter(out))
            .execute("vm", "stop", vmId, "--node", apiA, "--json");
    assertEquals(0, code);
    assertTrue(json(out.toString()).get("stopped").asBoolean(), out.toString());
    assertEquals(0, json(Http.get(apiA + "/api/v1/vms")).get("vms").size());
  }

  @Test
  @Order(8)
  void aNodeStopsOnSigtermAndLeavesTheCluster() throws Exception {
    b.terminate();
    // Gone well before the split-brain resolver would down a crashed node (stable-after = 20 s):
    // b left through coordinated shutdown.
    awaitAssert(
        Duration.ofSeconds(10),
        () -> assertEquals(1, json(Http.get(apiA + "/api/v1/nodes")).get("nodes").size()));
  }

  static JsonNode json(Http.Answer answer) throws IOException {
    return json(answer.body());
  }

  static JsonNode json(String text) throws IOException {
    return ApiResponses.JSON.readTree(text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
