package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.tap.NetNamespace;
import org.crtrmotion.tap.TapBackend;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * netkv.elf on crtr with its NIC on a real TAP interface inside a network namespace the test
 * creates: the interface is the host's 10.0.2.2/24, the load client's socket lives in the same
 * namespace and reaches the guest at 10.0.2.15 through the kernel's routing and ARP. The session is
 * recorded and then replayed with the network detached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetkvOnTapTest {
  static final int REQUESTS = 300;
  static final String TAP = "crtrtap0";

  private LoadReport report;
  private String neighbours;
  private RunResult liveEnd;
  private StateDigest liveDigest;
  private long liveOutput;
  private long tapDropped;
  private byte[] start;
  private final List<InputEvent> events = new ArrayList<>();

  @BeforeAll
  void serveARecordedSessionOnATap() throws Exception {
    ScratchNamespace.assumeTapAvailable();
    try (ScratchNamespace ns = ScratchNamespace.create();
        TapBackend tap = NetNamespace.callIn(ns.name, () -> TapBackend.open(TAP))) {
      ns.ip("addr", "add", "10.0.2.2/24", "dev", TAP);
      ns.ip("link", "set", "dev", TAP, "up");
      serve(ns, tap);
      neighbours = ns.ip("neigh", "show", "10.0.2.15", "dev", TAP);
      tapDropped = tap.dropped();
    }
  }

  private void serve(ScratchNamespace ns, TapBackend tap) throws Exception {
    byte[] mac = VirtioAttachments.Nic.defaultMac();
    GuestConsole console = new GuestConsole("netkv: ip=");
    Machine m =
        Machine.boot(
            NetkvOnCrtrTest.config(REQUESTS),
            NetkvOnCrtrTest.netkv(),
            console,
            VirtioAttachments.of(new VirtioAttachments.Nic(mac, tap)));
    ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
    CheckpointWriter.write(m.checkpoint(), checkpoint);
    start = checkpoint.toByteArray();
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(m.instructionsRetired(), segments::add);
    m.record(new TraceRecorder(writer));
    RunResult[] end = new RunResult[1];
    Thread guest = new Thread(() -> end[0] = m.run(0), "netkv-on-tap");
    guest.start();
    try {
      assertTrue(console.await(60), "netkv never came up: " + console.text());
      LoadClient client =
          new LoadClient(new InetSocketAddress("10.0.2.15", 5555), 16, System::nanoTime);
      // The client's socket is opened inside run(), so running it in the namespace puts it there.
      report = NetNamespace.callIn(ns.name, () -> client.run(REQUESTS, 2000, 10_000));
      guest.join(60_000);
    } finally {
      if (guest.isAlive()) {
        m.requestStop(); // a failed session must not leave the guest running past the namespace
        guest.join();
      }
    }
    liveEnd = end[0];
    writer.finish(m.instructionsRetired());
    for (TraceSegment s : segments) {
      events.addAll(s.decode());
    }
    liveDigest = m.digest();
    liveOutput = m.outputDigest();
  }

  @Test
  void everyRequestFromAHostSocketIsAnsweredOnceAndRight() {
    assertTrue(report.clean(), report.text());
    assertEquals(REQUESTS, report.replies());
    assertEquals(0, tapDropped);
    assertEquals(StopReason.POWER_OFF, liveEnd.reason(), liveEnd.detail());
    assertEquals(0, liveEnd.exitCode());
  }

  @Test
  void theHostKernelLearnedTheGuestsMacByArp() {
    assertTrue(neighbours.contains("52:54:00:12:34:56"), "neighbour table: " + neighbours);
  }

  @Test
  void everyFrameFromTheTapIsARecordedInput() {
    long packets = events.stream().filter(e -> e.kind() == EventKind.PACKET).count();
    assertTrue(packets >= REQUESTS + 1, packets + " packet events for requests and ARP");
  }

  @Test
  void replayWithTheTapDetachedReachesTheSameStateAndOutput() throws Exception {
    NetkvOnCrtrTest.assertReplaysWithTheNetworkDetached(
        start, events, liveEnd, liveDigest, liveOutput);
  }
}
