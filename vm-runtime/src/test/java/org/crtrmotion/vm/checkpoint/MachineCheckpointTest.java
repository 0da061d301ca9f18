package org.crtrmotion.vm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import org.crtrmotion.vm.checkpoint.GuestRuns.Guest;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.state.StateDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineCheckpointTest {
  private static final long N = 300_000;
  private static final long M = 2_000_000;

  /** Checkpoints before the guest ends, which for idle.elf is while it sleeps in WFI. */
  @ParameterizedTest
  @CsvSource({"cpu.elf, 300000", "memory.elf, 300000", "idle.elf, 9000", "hello.elf, 2000"})
  void checkpointMidRunRestoredOnAFreshMachineEndsLikeTheUninterruptedRun(String image, long n)
      throws Exception {
    Guest source = GuestRuns.boot(image);
    source.machine().run(n);
    StateDigest atCheckpoint = source.machine().board().digest();
    int printedBefore = source.console().size();
    byte[] stream;
    long start = System.nanoTime();
    try (Checkpoint c = source.machine().checkpoint()) {
      long pauseNanos = System.nanoTime() - start;
      RunResult sourceEnd = source.machine().run(0); // the guest runs on while the pages go out
      stream = GuestRuns.bytes(c);
      Guest target = GuestRuns.restore(stream);
      assertEquals(atCheckpoint, target.machine().board().digest());
      RunResult targetEnd = target.machine().run(0);
      assertEquals(sourceEnd, targetEnd);
      assertEquals(source.machine().board().digest(), target.machine().board().digest());
      assertEquals(source.output().substring(printedBefore), target.output());
      System.out.printf(
          "%s: checkpoint at %d, %d bytes, pause %.1f us; both ended %s at %d%n",
          image,
          c.instructions(),
          stream.length,
          pauseNanos / 1e3,
          targetEnd.reason(),
          targetEnd.instructions());
    }
  }

  @Test
  void restoreFromMemoryGivesTheDigestOfTheCheckpointInstant() throws Exception {
    Guest source = GuestRuns.boot("memory.elf");
    source.machine().run(N);
    StateDigest atCheckpoint = source.machine().board().digest();
    try (Checkpoint c = source.machine().checkpoint()) {
      source.machine().run(M);
      Machine target = Machine.restore(c, null, b -> {});
      assertEquals(atCheckpoint, target.board().digest());
      assertEquals(N, target.instructionsRetired());
    }
  }

  @Test
  void incrementalCheckpointsBringARestoredMachineToTheSourcesState() throws Exception {
    Guest source = GuestRuns.boot("memory.elf");
    source.machine().run(N);
    Checkpoint full = source.machine().checkpoint();
    Guest target = GuestRuns.restore(GuestRuns.bytes(full));
    int generation = full.generation();
    full.close();
    for (long round = 1; round <= 3; round++) {
      source.machine().run(N + round * 200_000);
      try (Checkpoint delta = source.machine().checkpointSince(generation)) {
        generation = delta.generation();
        byte[] bytes = GuestRuns.bytes(delta);
        CheckpointReader.applyIncremental(new ByteArrayInputStream(bytes), target.machine());
        assertEquals(source.machine().board().digest(), target.machine().board().digest());
      }
    }
    RunResult a = source.machine().run(M);
    RunResult b = target.machine().run(M);
    assertEquals(a, b);
    assertEquals(source.machine().board().digest(), target.machine().board().digest());
  }

  @Test
  void inMemoryIncrementalAppliesLikeTheStream() throws Exception {
    Guest source = GuestRuns.boot("memory.elf");
    source.machine().run(N);
    Machine target;
    int generation;
    try (Checkpoint full = source.machine().checkpoint()) {
      target = Machine.restore(full, null, b -> {});
      generation = full.generation();
    }
    source.machine().run(2 * N);
    try (Checkpoint delta = source.machine().checkpointSince(generation)) {
      assertTrue(delta.memory().includedCount() < delta.memory().pageCount());
      target.applyIncremental(delta);
    }
    assertEquals(source.machine().board().digest(), target.board().digest());
  }
}
