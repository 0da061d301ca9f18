package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PageBatchesTest {
  private static final String STREAM = "vm-4/pages";
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");
  private static final long RAM_BASE = MachineConfig.RAM_BASE;
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "page-batches");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<PageBatches.Applied> send(
      MemorySnapshot round, GuestMemory target) {
    return PageBatches.frames(STREAM, round, 16)
        .runWith(PageBatches.applyTo(STREAM, target), system)
        .toCompletableFuture();
  }

  @Test
  void roundsOfDirtyPagesOfARunningGuestThenAStoppedRoundWithStateReachTheSourceDigest()
      throws Exception {
    Machine source =
        Machine.boot(
            MachineConfig.defaults()
                .withRamBytes(32L << 20)
                .withBootargs("wss=2M rate=64 period_us=300 ticks=1000000 report=100"),
            ElfLoader.read(MEMORY_ELF),
            b -> {});
    source.run(300_000);
    // Round 0: every page, read from the copy-on-write snapshot while the guest runs on.
    Checkpoint first = source.checkpoint();
    Machine target = Machine.restoreState(first.state(), null, b -> {});
    int generation = first.memory().generation();
    CompletableFuture<PageBatches.Applied> round0 = send(first.memory(), target.board().ram);
    run(source, 300_000);
    PageBatches.Applied all = round0.get(30, TimeUnit.SECONDS);

    long[] dirtyPages = new long[3];
    for (int round = 1; round <= 3; round++) {
      // Between runs, on the VM thread: the pages written since the last round, shared.
      MemorySnapshot dirty = source.board().ram.share(generation);
      generation = dirty.generation();
      CompletableFuture<PageBatches.Applied> sent = send(dirty, target.board().ram);
      run(source, 300_000);
      PageBatches.Applied applied = sent.get(30, TimeUnit.SECONDS);
      dirtyPages[round - 1] = applied.pages() + applied.zeroPages();
    }
    // Stop-and-copy: the source stays stopped; the last pages with the CPU and device state.
    Checkpoint last = source.checkpointSince(generation);
    send(last.memory(), target.board().ram).get(30, TimeUnit.SECONDS);
    target.loadState(last.state());

    assertEquals(source.instructionsRetired(), target.instructionsRetired());
    assertEquals(source.digest(), target.digest());
    assertTrue(all.zeroPages() > 0, "untouched pages went as zero runs");
    for (long pages : dirtyPages) {
      assertTrue(pages > 0 && pages < all.pages(), "a dirty round of " + pages + " pages");
    }
  }

  private static void run(Machine m, long instructions) {
    RunResult r = m.run(m.instructionsRetired() + instructions);
    assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason(), r.detail());
  }

  @Test
  void aPageClearedOnTheSourceIsClearedOnTheTargetAndWrittenPagesArriveWhole() throws Exception {
    GuestMemory source = new GuestMemory(RAM_BASE, 1 << 20);
    GuestMemory target = new GuestMemory(RAM_BASE, 1 << 20);
    byte[] data = new byte[GuestMemory.PAGE_SIZE];
    java.util.Arrays.fill(data, (byte) 0x5a);
    source.write(RAM_BASE + 3 * 4096L, data, 0, data.length);
    source.write(RAM_BASE + 5 * 4096L, data, 0, data.length);
    source.fillZero(RAM_BASE + 4 * 4096L, 4096); // touched, all zeros
    target.write(RAM_BASE + 4 * 4096L, data, 0, data.length); // stale contents on the target

    PageBatches.Applied applied = send(source.share(), target).get(30, TimeUnit.SECONDS);

    assertEquals(2, applied.pages());
    assertEquals(source.pageCount() - 2, applied.zeroPages());
    byte[] page = new byte[GuestMemory.PAGE_SIZE];
    target.read(RAM_BASE + 4 * 4096L, page, 0, page.length);
    assertArrayEquals(new byte[GuestMemory.PAGE_SIZE], page);
    target.read(RAM_BASE + 5 * 4096L, page, 0, page.length);
    assertArrayEquals(data, page);
  }
}
