package org.crtrmotion.ops.node;

import static org.crtrmotion.ops.node.Http.awaitAssert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's crash test: three {@code crtr node} JVMs, one of which is killed with SIGKILL in the
 * middle of a CR/TR migration (no coordinated shutdown, no leaving: the others find out through the
 * failure detector and the split-brain resolver). The migrations move a memory.elf checkpoint
 * through a 16 KiB/s cap, so the transfer lasts about a minute and the kill lands in it whatever
 * the load of the host: the test waits for the source's status to say TRANSFER with bytes sent,
 * never for a time.
 *
 * <p>First the target (b) is killed: the migration ends ABORTED with a reason, the VM runs on at a
 * and prints on. Then the source (c) of a migration to a is killed: a discards its copy and its
 * reservation. a holds the directory singleton (oldest node) and has the lowest address, so the
 * split-brain resolver keeps it in the final two-node split; the resolver decides after 3 s stable
 * (20 s by default) so that the test stays short.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeKilledMidMigrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GUEST =
      "{\"image\":\"memory.elf\",\"bootargs\":\"wss=1M rate=16 period_us=1000 ticks=0"
          + " report=50\",\"memory\":\"32M\",\"node\":\"%s\"}";

  @TempDir static Path dir;
  static NodeProcess a;
  static NodeProcess b;
  static NodeProcess c;
  static String apiA;
  static String apiC;

  @BeforeAll
  static void startThreeNodes() throws Exception {
    List<Integer> ports = freePorts(3); // a lowest: the node the resolver keeps in a 1-1 split
    String seeds = "[\"127.0.0.1:" + ports.get(0) + "\"]";
    a = new NodeProcess(dir, "a", config("a", ports.get(0), "[]"));
    b = new NodeProcess(dir, "b", config("b", ports.get(1), seeds));
    c = new NodeProcess(dir, "c", config("c", ports.get(2), seeds));
    apiA = a.api();
    String apiB = b.api();
    apiC = c.api();
    awaitAssert(
        WAIT,
        () -> {
          for (String api : List.of(apiA, apiB, apiC)) {
            assertEquals(200, Http.get(api + "/ready").status(), api);
          }
          JsonNode nodes = json(Http.get(apiA + "/api/v1/nodes")).get("nodes");
          assertEquals(3, nodes.size(), nodes.toString());
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
             limits { max-vms = 4, max-memory = 256 MiB }
             api.bind { host = "127.0.0.1", port = 0 }
           }
           pekko.cluster.split-brain-resolver.stable-after = 3s
           pekko.loglevel = WARNING
           """
        .formatted(name, port, seeds, dir.resolve(name + "-data"));
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
  void aTargetKilledMidTransferEndsTheMigrationAbortedAndTheSourceRunsOnPrinting()
      throws Exception {
    String vmId = startGuest(apiA, "a");
    String migrationId = migrate(apiA, vmId, "b");
    awaitMidTransfer(apiA, migrationId);

    b.kill();

    JsonNode status = awaitEnded(apiA, migrationId);
    assertEquals("ABORTED", status.get("outcome").asText(), status.toString());
    assertFalse(status.get("reason").asText().isBlank(), status.toString());
    JsonNode report = json(Http.get(apiA + "/api/v1/migrations/" + migrationId + "/report"));
    assertEquals("ABORTED", report.get("outcome").asText(), report.toString());
    assertEquals("NOT_REACHED", report.get("digestCheck").asText(), report.toString());
    assertTrue(report.get("bytesByKind").get("checkpoint").asLong() > 0, report.toString());
    JsonNode vm = json(Http.get(apiA + "/api/v1/vms/" + vmId));
    assertEquals("RUNNING", vm.get("state").asText(), vm.toString());
    assertPrintsConsecutiveLines(apiA, vmId);
    awaitAssert(WAIT, () -> assertEquals(List.of(vmId + "@a"), listed(apiA)));
  }

  @Test
  @Order(2)
  void aSourceKilledMidTransferLeavesTheTargetWithoutCopyOrReservation() throws Exception {
    JsonNode before = capacityOf(apiA, "a");
    String vmId = startGuest(apiC, "c");
    String migrationId = migrate(apiC, vmId, "a");
    awaitMidTransfer(apiC, migrationId);
    // a holds the copy (spawned in place of its reservation) while the checkpoint streams.
    JsonNode during = capacityOf(apiA, "a");
    assertEquals(
        before.get("vms").asInt() + before.get("reservedVms").asInt() + 1,
        during.get("vms").asInt() + during.get("reservedVms").asInt(),
        during.toString());

    c.kill();

    awaitAssert(
        WAIT,
        () -> {
          JsonNode after = capacityOf(apiA, "a");
          assertEquals(before.get("vms").asInt(), after.get("vms").asInt(), after.toString());
          assertEquals(0, after.get("reservedVms").asInt(), after.toString());
          assertEquals(0, after.get("reservedMemoryBytes").asLong(), after.toString());
          assertFalse(listed(apiA).stream().anyMatch(l -> l.startsWith(vmId + "@")));
        });
    assertEquals(404, Http.get(apiA + "/api/v1/vms/" + vmId).status());
  }

  // ---- helpers

  private static String startGuest(String api, String node) throws Exception {
    Http.Answer started = Http.post(api + "/api/v1/vms", GUEST.formatted(node));
    assertEquals(201, started.status(), started.body());
    String vmId = json(started).get("id").asText();
    assertEquals(1, Http.events(api + "/api/v1/vms/" + vmId + "/console", 1).size());
    return vmId;
  }

  private static String migrate(String api, String vmId, String target) throws Exception {
    Http.Answer started =
        Http.post(
            api + "/api/v1/migrations",
            "{\"vmId\":\"%s\",\"targetNode\":\"%s\",\"maxBandwidth\":\"16K\"}"
                .formatted(vmId, target));
    assertEquals(202, started.status(), started.body());
    return json(started).get("migrationId").asText();
  }

  /** The checkpoint is on its way: TRANSFER, with bytes sent beyond the first burst's start. */
  private static void awaitMidTransfer(String api, String migrationId) throws Exception {
    awaitAssert(
        WAIT,
        () -> {
          JsonNode s = json(Http.get(api + "/api/v1/migrations/" + migrationId));
          assertEquals("TRANSFER", s.get("phase").asText(), s.toString());
          assertTrue(s.get("bytesSent").asLong() > 0, s.toString());
        });
  }

  private static JsonNode awaitEnded(String api, String migrationId) throws Exception {
    JsonNode[] status = new JsonNode[1];
    awaitAssert(
        WAIT,
        () -> {
          status[0] = json(Http.get(api + "/api/v1/migrations/" + migrationId));
          assertTrue(status[0].has("outcome"), status[0].toString());
        });
    return status[0];
  }

  private static void assertPrintsConsecutiveLines(String api, String vmId) throws Exception {
    List<String> events = Http.events(api + "/api/v1/vms/" + vmId + "/console", 3);
    assertEquals(3, events.size(), events.toString());
    long first = lineNumber(events.get(0));
    for (int i = 1; i < 3; i++) {
      assertEquals(first + i, lineNumber(events.get(i)), events.toString());
    }
  }

  private static long lineNumber(String event) {
    return Long.parseLong(event.substring(0, event.indexOf(' ')));
  }

  /** Every VM of the cluster as {@code id@node}, through {@code api}. */
  private static List<String> listed(String api) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode vm : json(Http.get(api + "/api/v1/vms")).get("vms")) {
      out.add(vm.get("id").asText() + "@" + vm.get("node").asText());
    }
    return out;
  }

  private static JsonNode capacityOf(String api, String node) throws Exception {
    for (JsonNode n : json(Http.get(api + "/api/v1/nodes")).get("nodes")) {
      JsonNode capacity = n.get("capacity");
      if (capacity != null && capacity.get("node").asText().equals(node)) {
        return capacity;
      }
    }
    throw new AssertionError("no capacity of node " + node);
  }

  static JsonNode json(Http.Answer answer) throws IOException {
    return ApiResponses.JSON.readTree(answer.body());
  }

  /** Distinct free ports in ascending order (all held open at once, so none is given twice). */
  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports.add(s.getLocalPort());
      }
      ports.sort(null);
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
