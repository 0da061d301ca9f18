package org.crtrmotion.vm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replay fed a trace piece by piece, each piece covering up to an instruction count, reaches the
 * recorded state: it never runs past what the trace covers, even when events sit at exactly that
 * count and arrive only with the next piece.
 */
class StreamingReplayTest {
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");
  private static final MachineConfig CONFIG =
      MachineConfig.defaults()
          .withRamBytes(32L << 20)
          .withTimeMode(TimeMode.HOST)
          .withBootargs("wss=256K rate=64 period_us=200 ticks=1000 report=50");
  private static final long END = 3_000_000;

  private static List<InputEvent> recorded;
  private static StateDigest atEnd;

  @BeforeAll
  static void record() throws Exception {
    Machine live = boot();
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(0, segments::add);
    live.record(new TraceRecorder(writer));
    // Console bytes typed while it runs: inputs that apply between instructions, after traps.
    for (long at = 100_000; at <= END; at += 100_000) {
      live.consoleInput(new byte[] {(byte) at, 'x'});
      RunResult r = live.run(at);
      assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason(), r.detail());
    }
    writer.finish(END);
    recorded = new ArrayList<>();
    for (TraceSegment s : segments) {
      recorded.addAll(s.decode());
    }
    atEnd = live.digest();
  }

  private static Machine boot() throws Exception {
    return Machine.boot(CONFIG, ElfLoader.read(MEMORY_ELF), b -> {});
  }

  /** The events in [from, to). */
  private static List<InputEvent> between(long from, long to) {
    return recorded.stream()
        .filter(e -> e.instructionCount() >= from && e.instructionCount() < to)
        .toList();
  }

  @Test
  void theRecordingHasEventsBetweenInstructionsToCutAt() {
    long between =
        recorded.stream()
            .filter(
                e ->
                    e.kind() == EventKind.CONSOLE_INPUT
                        || (e.kind() == EventKind.IRQ_LINE && !e.duringInstruction()))
            .count();
    assertTrue(between > 10, between + " events between instructions of " + recorded.size());
  }

  @Test
  void replayCutAtEveryEventsOwnCountReachesTheRecordedDigest() throws Exception {
    // Each piece covers up to an event's count and leaves every event at that count to the next
    // piece: the worst place to cut, since the replay stands exactly where those events apply.
    TreeSet<Long> cuts = new TreeSet<>();
    for (InputEvent e : recorded) {
      if (e.instructionCount() > 0) {
        cuts.add(e.instructionCount());
      }
    }
    Machine replay = boot();
    GrowingFeed feed = new GrowingFeed(0, Integer.MAX_VALUE);
    StreamingReplay replaying = new StreamingReplay(replay, feed);
    long from = 0;
    for (long cut : cuts) {
      feed.tryAppend(between(from, cut), cut, false);
      StreamingReplay.Step step = replaying.runToCovered();
      assertEquals(StopReason.INSTRUCTION_LIMIT, step.result().reason(), step.result().detail());
      assertEquals(cut, step.instructions());
      from = cut;
    }
    feed.tryAppend(between(from, END + 1), END, true);
    StreamingReplay.Step last = replaying.runToCovered();

    assertTrue(last.traceEnded());
    assertEquals(END, replay.instructionsRetired());
    assertEquals(atEnd, replay.digest());
  }

  @Test
  void aReplayOnItsOwnThreadWaitsAtTheCoverageForTheNextPiece() throws Exception {
    Machine replay = boot();
    GrowingFeed feed = new GrowingFeed(0, 64);
    StreamingReplay replaying = new StreamingReplay(replay, feed);
    BlockingQueue<StreamingReplay.Step> steps = new ArrayBlockingQueue<>(1);
    CompletableFuture<Void> vm =
        CompletableFuture.runAsync(
            () -> {
              try {
                StreamingReplay.Step s;
                do {
                  s = replaying.runToCovered();
                  steps.put(s);
                } while (!s.traceEnded());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    long from = 0;
    for (long cut = 250_000; cut < END; cut += 250_000) {
      feed.tryAppend(between(from, cut), cut, false);
      // The next piece goes in only after this step: the replay must stop here and wait.
      assertEquals(cut, steps.poll(60, TimeUnit.SECONDS).instructions());
      from = cut;
    }
    feed.tryAppend(between(from, END + 1), END, true);
    StreamingReplay.Step last = steps.poll(60, TimeUnit.SECONDS);
    vm.get(60, TimeUnit.SECONDS);

    assertTrue(last.traceEnded());
    assertEquals(atEnd, replay.digest());
  }

  @Test
  void aReplayWaitingForMoreTraceIsInterruptible() throws Exception {
    Machine replay = boot();
    StreamingReplay replaying = new StreamingReplay(replay, new GrowingFeed(0, 8));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, replaying::runToCovered);
    assertEquals(0, replay.instructionsRetired());
  }
}
