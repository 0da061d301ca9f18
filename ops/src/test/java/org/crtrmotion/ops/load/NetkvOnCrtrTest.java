package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.net.FramePair;
import org.crtrmotion.vm.net.HostForward;
import org.crtrmotion.vm.net.UdpGateway;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * netkv.elf on crtr behind the hostfwd gateway, loaded by the load client over real UDP sockets on
 * 127.0.0.1, recorded; then the recording replayed with the network detached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetkvOnCrtrTest {
  static final int REQUESTS = 300;

  private LoadReport report;
  private RunResult liveEnd;
  private StateDigest liveDigest;
  private long liveOutput;
  private byte[] start;
  private final List<InputEvent> events = new ArrayList<>();

  static MachineConfig config(int requests) {
    return MachineConfig.defaults()
        .withRamBytes(16L << 20)
        .withBootargs("report=100 requests=" + requests);
  }

  static BootPlan netkv() throws Exception {
    return new BootPlan.BareMetal(ElfLoader.parse(BundledGuests.read("netkv.elf").orElseThrow()));
  }

  @BeforeAll
  void serveARecordedSession() throws Exception {
    byte[] mac = VirtioAttachments.Nic.defaultMac();
    try (UdpGateway gateway =
        UdpGateway.open(new HostForward("127.0.0.1", 0, HostForward.DEFAULT_GUEST, 5555), mac)) {
      GuestConsole console = new GuestConsole("netkv: ip=");
      Machine m =
          Machine.boot(
              config(REQUESTS),
              netkv(),
              console,
              VirtioAttachments.of(new VirtioAttachments.Nic(mac, gateway)));
      ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
      CheckpointWriter.write(m.checkpoint(), checkpoint);
      start = checkpoint.toByteArray();
      List<TraceSegment> segments = new ArrayList<>();
      TraceWriter writer = new TraceWriter(m.instructionsRetired(), segments::add);
      m.record(new TraceRecorder(writer));
      RunResult[] end = new RunResult[1];
      Thread guest = new Thread(() -> end[0] = m.run(0), "netkv");
      guest.start();
      assertTrue(console.await(60), "netkv never came up: " + console.text());
      report =
          new LoadClient(
                  new InetSocketAddress("127.0.0.1", gateway.boundPort()), 16, System::nanoTime)
              .run(REQUESTS, 2000, 10_000);
      guest.join(60_000);
      liveEnd = end[0];
      writer.finish(m.instructionsRetired());
      for (TraceSegment s : segments) {
        events.addAll(s.decode());
      }
      liveDigest = m.digest();
      liveOutput = m.outputDigest();
    }
  }

  @Test
  void everyRequestIsAnsweredOnceAndRight() {
    assertTrue(report.clean(), report.text());
    assertEquals(REQUESTS, report.replies());
    assertEquals(StopReason.POWER_OFF, liveEnd.reason(), liveEnd.detail());
    assertEquals(0, liveEnd.exitCode());
  }

  @Test
  void everyRequestFrameIsARecordedInput() {
    long packets = events.stream().filter(e -> e.kind() == EventKind.PACKET).count();
    assertTrue(packets >= REQUESTS, packets + " packet events");
  }

  @Test
  void replayWithTheNetworkDetachedReachesTheSameStateAndOutput() throws Exception {
    assertReplaysWithTheNetworkDetached(start, events, liveEnd, liveDigest, liveOutput);
  }

  /**
   * Replays a recorded netkv session from its checkpoint with the NIC on a detached pair: the same
   * instruction count, state digest and output digest as live, and nothing sent to the host.
   */
  static void assertReplaysWithTheNetworkDetached(
      byte[] start,
      List<InputEvent> events,
      RunResult liveEnd,
      StateDigest liveDigest,
      long liveOutput)
      throws Exception {
    FramePair detached = FramePair.create();
    Machine replay =
        CheckpointReader.restore(
            new ByteArrayInputStream(start),
            null,
            b -> {},
            VirtioAttachments.of(
                new VirtioAttachments.Nic(VirtioAttachments.Nic.defaultMac(), detached.a())));
    replay.replay(new ListFeed(events), false);
    RunResult end = replay.run(0);
    assertEquals(StopReason.POWER_OFF, end.reason(), end.detail());
    assertEquals(liveEnd.instructions(), end.instructions());
    assertEquals(liveDigest, replay.digest());
    assertEquals(liveOutput, replay.outputDigest());
    assertEquals(null, detached.b().poll(), "replay sends nothing to the host");
  }
}
