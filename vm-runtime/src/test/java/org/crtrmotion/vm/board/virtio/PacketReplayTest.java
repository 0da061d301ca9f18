package org.crtrmotion.vm.board.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.net.FramePair;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.Test;

/**
 * Received frames are inputs: recorded at the instruction they reach the guest, replayed from the
 * trace with the host backend detached, to the same state digest.
 */
class PacketReplayTest {
  private static final long QUEUES = TestDriver.RAM + (4L << 20);
  private static final long BUFFERS = TestDriver.RAM + (5L << 20);

  private static Machine boot(FramePair.End backend) throws Exception {
    return Machine.boot(
        MachineConfig.defaults().withRamBytes(8L << 20).withBootargs("ticks=0 period_us=50"),
        new BootPlan.BareMetal(ElfLoader.read(Path.of("../native/guests/images/idle.elf"))),
        b -> {},
        VirtioAttachments.of(
            new VirtioAttachments.Nic(VirtioAttachments.Nic.defaultMac(), backend)));
  }

  private static byte[] frame(int n) {
    byte[] f = new byte[64];
    java.util.Arrays.fill(f, (byte) n);
    return f;
  }

  @Test
  void replayOfReceivedFramesReachesTheRecordedDigest() throws Exception {
    FramePair pair = FramePair.create();
    Machine live = boot(pair.a());
    live.run(20_000);
    TestDriver driver =
        new TestDriver(live.board().ram, live.board().virtio.get(0), 2, QUEUES)
            .bringUp(VirtioMmio.F_VERSION_1 | VirtioNet.F_MAC);
    for (int i = 0; i < 6; i++) {
      driver.submit(VirtioNet.RX, new TestDriver.Buf(BUFFERS + 2048L * i, 1526, true));
    }
    ByteArrayOutputStream start = new ByteArrayOutputStream();
    CheckpointWriter.write(live.checkpoint(), start);
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(live.instructionsRetired(), segments::add);
    live.record(new TraceRecorder(writer));

    pair.b().send(frame(1));
    pair.b().send(frame(2));
    live.run(60_000);
    pair.b().send(frame(3));
    live.run(150_000);
    writer.finish(live.instructionsRetired());
    StateDigest recorded = live.digest();

    List<InputEvent> events = new ArrayList<>();
    for (TraceSegment s : segments) {
      events.addAll(s.decode());
    }
    assertEquals(3, events.stream().filter(e -> e.kind() == EventKind.PACKET).count());
    assertArrayEquals(frame(3), events.get(2).bytes());

    FramePair detached = FramePair.create();
    Machine replay =
        CheckpointReader.restore(
            new ByteArrayInputStream(start.toByteArray()),
            null,
            b -> {},
            VirtioAttachments.of(
                new VirtioAttachments.Nic(VirtioAttachments.Nic.defaultMac(), detached.a())));
    StateDigest atStart = replay.digest();
    replay.replay(new ListFeed(events), false);
    detached.b().send(frame(99)); // the host backend is not asked in replay
    replay.run(150_000);
    assertNotEquals(atStart, recorded);
    assertEquals(recorded, replay.digest());
    assertEquals(frame(99).length, detached.a().poll().length, "still waiting on the host");
  }
}
