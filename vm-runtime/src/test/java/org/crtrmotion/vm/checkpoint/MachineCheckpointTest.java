package org.crtrmotion.vm.checkpoint;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.crtrmotion.vm.checkpoint.GuestRuns.Guest;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;
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

  @Test
  void aStreamWrittenOnAnotherThreadWhileTheGuestRunsRestoresTheCheckpointInstant()
      throws Exception {
    Guest source = GuestRuns.boot("memory.elf");
    source.machine().run(N);
    StateDigest atCheckpoint = source.machine().board().digest();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Checkpoint c = source.machine().checkpoint()) {
      AtomicReference<Exception> failed = new AtomicReference<>();
      Thread streamer =
          new Thread(
              () -> {
                try {
                  CheckpointWriter.write(c, out);
                } catch (Exception e) {
                  failed.set(e);
                }
              });
      streamer.start();
      long chunk = 20_000;
      while (streamer.isAlive()
          && source.machine().run(source.machine().instructionsRetired() + chunk).reason()
              == StopReason.INSTRUCTION_LIMIT) {
        chunk = Math.min(chunk * 2, 1_000_000);
      }
      streamer.join();
      assertEquals(null, failed.get());
    }
    assertTrue(source.machine().instructionsRetired() > N);
    assertEquals(atCheckpoint, GuestRuns.restore(out.toByteArray()).machine().board().digest());
  }

  @Test
  void aHostTimeMachineRestoresItsStateAndContinuesItsGuestTime() throws Exception {
    Guest source =
        GuestRuns.boot(
            "idle.elf",
            MachineConfig.defaults().withRamBytes(32L << 20).withTimeMode(TimeMode.HOST));
    source.machine().run(5000);
    try (Checkpoint c = source.machine().checkpoint()) {
      StateDigest atCheckpoint = source.machine().board().digest();
      Guest target = GuestRuns.restore(GuestRuns.bytes(c));
      assertEquals(atCheckpoint, target.machine().board().digest());
      long savedMtime = c.state().getClock().getHost().getMtime();
      assertTrue(target.machine().board().clock.now() >= savedMtime);
    }
  }

  /** Runs a little, then asks the finisher for a reset. */
  private static ElfImage resettingGuest() {
    int[] words = {
      addi(6, 6, 1), lui(5, 0x100), lui(6, 0x7), addi(6, 6, 0x777), sw(6, 5, 0), jal(0, 0)
    };
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    long base = MachineConfig.RAM_BASE;
    return new ElfImage(
        base, List.of(new BootImage.Segment(base, base, b.array(), 0x1000, true)), Map.of());
  }

  @Test
  void aGuestResetAfterARestoreReloadsTheBootPlanOrWithoutOneEndsTheRunAsUnsupported()
      throws Exception {
    BootPlan plan = new BootPlan.BareMetal(resettingGuest());
    MachineConfig config = MachineConfig.defaults().withRamBytes(4L << 20);
    Machine source = Machine.boot(config, plan, x -> {});
    source.run(1);
    try (Checkpoint c = source.checkpoint()) {
      RunResult planless = Machine.restore(c, null, x -> {}).run(100);
      assertEquals(StopReason.UNSUPPORTED, planless.reason());
      assertTrue(planless.detail().contains("reset"), planless.detail());
      Machine withPlan = Machine.restore(c, plan, x -> {});
      assertEquals(source.run(100), withPlan.run(100));
      assertEquals(source.board().digest(), withPlan.board().digest());
    }
  }
}
