package org.crtrmotion.vm.machine;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.cpu.CsrFile;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.Test;

/**
 * {@link Machine#requestPause()}: a run ends at an instruction boundary with {@link
 * StopReason#PAUSED} and the machine runs on as if nothing happened. The pauses below are asked for
 * from the console output, which the run thread writes during the run: a pause lands mid-run at a
 * reproducible instruction without any timing.
 */
class PauseTest {
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");
  private static final String ARGS = "wss=256K rate=64 period_us=200 ticks=1000 report=50";
  private static final long END = 3_000_000;
  private static final int T0 = 5, T1 = 6, T2 = 7;

  private static Machine bootMemory(TimeMode mode, Uart16550.Output console) throws Exception {
    MachineConfig config =
        MachineConfig.defaults().withRamBytes(32L << 20).withTimeMode(mode).withBootargs(ARGS);
    return Machine.boot(config, ElfLoader.read(MEMORY_ELF), console);
  }

  /** Runs to {@code end}, running again after every pause; returns how many pauses there were. */
  private static int runThroughPauses(Machine m, long end) {
    int pauses = 0;
    while (true) {
      RunResult r = m.run(end);
      if (r.reason() != StopReason.PAUSED) {
        assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason(), r.detail());
        return pauses;
      }
      assertTrue(r.instructions() < end, "a pause ends a run before its limit");
      pauses++;
    }
  }

  @Test
  void pausedRunsContinueToTheDigestOfAnUninterruptedRun() throws Exception {
    Machine straight = bootMemory(TimeMode.VIRTUAL, b -> {});
    assertEquals(StopReason.INSTRUCTION_LIMIT, straight.run(END).reason());

    AtomicReference<Machine> paused = new AtomicReference<>();
    paused.set(bootMemory(TimeMode.VIRTUAL, b -> paused.get().requestPause()));
    int pauses = runThroughPauses(paused.get(), END);

    assertTrue(pauses > 10, "the guest's console output paused it " + pauses + " times");
    assertEquals(END, paused.get().instructionsRetired());
    assertEquals(straight.digest(), paused.get().digest());
    assertEquals(straight.outputDigest(), paused.get().outputDigest());
  }

  @Test
  void pauseAskedBetweenRunsEndsTheNextRunBeforeItsFirstInstruction() throws Exception {
    Machine m = bootMemory(TimeMode.VIRTUAL, b -> {});
    assertEquals(StopReason.INSTRUCTION_LIMIT, m.run(1000).reason());
    m.requestPause();
    RunResult r = m.run(END);
    assertEquals(StopReason.PAUSED, r.reason());
    assertEquals(1000, r.instructions());
    assertEquals(StopReason.INSTRUCTION_LIMIT, m.run(END).reason(), "the pause was used up");
  }

  @Test
  void recordingWithPausesReplaysWithoutThemToTheSameDigest() throws Exception {
    AtomicReference<Machine> live = new AtomicReference<>();
    live.set(bootMemory(TimeMode.HOST, b -> live.get().requestPause()));
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(0, segments::add);
    live.get().record(new TraceRecorder(writer));
    int pauses = runThroughPauses(live.get(), END);
    writer.finish(END);
    assertTrue(pauses > 10, "paused " + pauses + " times while recording");
    List<InputEvent> events = new ArrayList<>();
    for (TraceSegment s : segments) {
      events.addAll(s.decode());
    }

    Machine replay = bootMemory(TimeMode.HOST, b -> {});
    GrowingFeed feed = new GrowingFeed(0, Integer.MAX_VALUE);
    assertTrue(feed.tryAppend(events, END, true));
    StreamingReplay.Step last = new StreamingReplay(replay, feed).runToEnd();

    assertTrue(last.traceEnded(), last.result().detail());
    assertEquals(live.get().digest(), replay.digest());
    assertEquals(live.get().outputDigest(), replay.outputDigest());
  }

  /** Arms the timer some 200 s ahead, enables its interrupt and sleeps in WFI, looping back. */
  private static Machine idleGuestInHostTime() throws Exception {
    int[] code = {
      lui(T0, 0x2004), // mtimecmp
      lui(T1, 0x7ffff),
      sd(T1, T0, 0),
      addi(T2, 0, 0x80),
      csrrs(0, CsrFile.MIE, T2),
      wfi(),
      jal(0, -4)
    };
    ByteBuffer b = ByteBuffer.allocate(code.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : code) {
      b.putInt(w);
    }
    long base = MachineConfig.RAM_BASE;
    var text = new BootImage.Segment(base, base, b.array(), 0x2000, true);
    MachineConfig config =
        MachineConfig.defaults().withRamBytes(8L << 20).withTimeMode(TimeMode.HOST);
    return Machine.boot(config, new ElfImage(base, List.of(text), Map.of()), x -> {});
  }

  /** Starts a run and waits (bounded probe) until its thread sleeps in WFI. */
  private static CompletableFuture<RunResult> runUntilAsleep(Machine m) throws Exception {
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> m.run(0));
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!m.sleepingInWfi()) {
      assertTrue(System.nanoTime() < giveUp, "the guest never went to sleep");
      assertTrue(!run.isDone(), () -> "the run ended: " + run.join());
      Thread.onSpinWait();
    }
    return run;
  }

  @Test
  void pauseWakesAGuestSleepingInWfiInHostTime() throws Exception {
    Machine m = idleGuestInHostTime();
    CompletableFuture<RunResult> run = runUntilAsleep(m);
    m.requestPause();
    RunResult r = run.get(30, TimeUnit.SECONDS);
    assertEquals(StopReason.PAUSED, r.reason(), r.detail());
    assertEquals(6, r.instructions(), "stopped right after the WFI retired");
  }

  @Test
  void wfiCutShortByAPauseSleepsOnWhenTheMachineRunsAgain() throws Exception {
    Machine m = idleGuestInHostTime();
    CompletableFuture<RunResult> first = runUntilAsleep(m);
    m.requestPause();
    assertEquals(StopReason.PAUSED, first.get(30, TimeUnit.SECONDS).reason());

    CompletableFuture<RunResult> second = runUntilAsleep(m);
    m.requestPause();
    RunResult r = second.get(30, TimeUnit.SECONDS);
    assertEquals(StopReason.PAUSED, r.reason(), r.detail());
    assertEquals(6, r.instructions(), "the guest went on sleeping: no instruction after the WFI");
  }
}
