package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.devices.DeviceSpec;
import org.crtrmotion.actors.devices.MacAddress;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.net.SwitchGateway;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.net.HostForward;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * netkv.elf on a three-node in-JVM cluster, its NIC a port of the cluster switch, reached from the
 * load client through node a's UDP gateway while it is migrated A→B→C→A by each strategy: every hop
 * commits with equal digests, no request is answered twice (held frames follow the VM, replayed
 * ones are not answered again), and the client's view (lost, longest gap without replies) and each
 * hop's held frames are printed.
 */
class NetkvMigrationTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final byte[] GATEWAY_IP = {10, 0, 2, 2};
  private static final int REQUESTS = 1500;
  private static final double RATE = 250;

  private static EmbeddedCluster cluster;
  private static int runs; // each run its own MACs: a stopped VM's stale table entries stay apart

  @BeforeAll
  static void start() {
    cluster =
        EmbeddedCluster.start(
            List.of("a", "b", "c"),
            256L << 20,
            CoordinatorSettings.defaults().withRoundInterval(Duration.ofMillis(50)));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static MigrationParameters parameters(Strategy strategy) {
    MigrationParameters p =
        MigrationParameters.defaults(strategy).withDeadline(Duration.ofSeconds(40));
    // CR/TR: freeze at the first round; whether replay outruns the source is timing, not tested
    // here.
    return strategy == Strategy.CRTR ? p.withDowntimeLimit(Duration.ofSeconds(20)) : p;
  }

  /**
   * Every request gets exactly one reply. A GET may come back "wrong" with the value before the PUT
   * sent 4 ms ahead of it: the PUT took the old owner's forwarding pointer while the GET, sent
   * after the sender's switch re-learned the MAC, went straight to the new owner and overtook it
   * (reordering, which UDP allows; see actors/README.md, "What remains"). Such a GET is answered,
   * once; the load client counts it wrong and so not among its replies.
   */
  @ParameterizedTest(
      name = "{0}: netkv under load goes round three nodes, each request answered once")
  @EnumSource(Strategy.class)
  void netkvUnderLoadGoesRoundThreeNodesAnsweringEveryRequestOnce(Strategy strategy)
      throws Exception {
    LoadReport seen = loadWhileGoingRound(strategy);
    assertEquals(REQUESTS, seen.sent());
    assertEquals(0, seen.duplicated(), seen.text());
    assertEquals(REQUESTS, seen.replies() + seen.wrong(), seen.text());
    assertTrue(seen.wrong() <= 3, "more than a few overtaken requests: " + seen.text());
  }

  private LoadReport loadWhileGoingRound(Strategy strategy) throws Exception {
    String mac = String.format("52:54:00:12:34:%02x", 0x60 + runs);
    runs++;
    byte[] gatewayMac = {0x52, 0x55, 0x0a, 0x00, 0x02, (byte) (runs + 2)};
    EmbeddedCluster.Node a = cluster.node("a");
    try (SwitchGateway gateway =
        SwitchGateway.open(
            a.lanSwitch(),
            gatewayMac,
            GATEWAY_IP,
            new HostForward("127.0.0.1", 0, HostForward.DEFAULT_GUEST, 5555),
            MacAddress.parse(mac))) {
      String vmId = startNetkv(a, mac);
      LoadClient client =
          new LoadClient(
              new InetSocketAddress("127.0.0.1", gateway.boundPort()), 16, System::nanoTime);
      CompletableFuture<LoadReport> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.run(REQUESTS, RATE, 10_000);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      List<String> hops = List.of("a", "b", "c", "a");
      List<MigrationReport> reports = new ArrayList<>();
      for (int hop = 1; hop < hops.size(); hop++) {
        MigrationReport report =
            cluster
                .node(hops.get(hop - 1))
                .client()
                .migrate(vmId, hops.get(hop), parameters(strategy))
                .toCompletableFuture()
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Outcome.COMMITTED, report.outcome(), report.toString());
        assertEquals(DigestCheck.MATCH, report.digestCheck());
        reports.add(report);
      }
      LoadReport seen = load.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      for (MigrationReport r : reports) {
        System.out.printf(
            "%s netkv %s->%s: downtime %d ms, total %d ms, frames held %d, dropped %d%n",
            strategy.cliName(),
            r.sourceNode(),
            r.targetNode(),
            r.downtimeMillis(),
            r.totalTimeMillis(),
            r.networkHold().heldFrames(),
            r.networkHold().droppedFrames());
      }
      System.out.println(
          strategy.cliName()
              + " client: "
              + seen.text()
              + "; gateway dropped "
              + gateway.dropped());
      stopVm(a, vmId);
      return seen;
    }
  }

  private static String startNetkv(EmbeddedCluster.Node node, String mac) throws Exception {
    MachineConfig config =
        MachineConfig.defaults()
            .withRamBytes(16L << 20)
            .withTimeMode(TimeMode.HOST)
            .withBootargs("report=500 requests=0");
    HostAgent.StartVmReply reply =
        AskPattern.<HostAgent.Command, HostAgent.StartVmReply>ask(
                node.hostAgent(),
                r ->
                    new HostAgent.StartConfiguredVm(
                        "netkv.elf",
                        config,
                        1L << 16,
                        VmDevices.of(new DeviceSpec.Nic(mac, EmbeddedCluster.NETWORK)),
                        r),
                PATIENCE,
                node.system().scheduler())
            .toCompletableFuture()
            .get();
    if (reply instanceof HostAgent.VmStarted started) {
      return started.vmId();
    }
    throw new AssertionError("netkv did not start: " + reply);
  }

  private static void stopVm(EmbeddedCluster.Node node, String vmId) throws Exception {
    AskPattern.<HostAgent.Command, HostAgent.StopVmReply>ask(
            node.hostAgent(),
            r -> new HostAgent.StopVm(vmId, r),
            PATIENCE,
            node.system().scheduler())
        .toCompletableFuture()
        .get();
  }
}
