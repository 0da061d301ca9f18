package org.crtrmotion.vm.memory;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.crtrmotion.vm.cpu.CpuHarness;
import org.junit.jupiter.api.Test;

class MemorySnapshotTest {
  private static final int T0 = 5, T1 = 6, T2 = 7, T3 = 28, T4 = 29;
  private static final int SWEPT_PAGES = 2048;

  /**
   * A guest that stores its round number into two words of every page of an 8 MiB region, page
   * after page, forever: after the first round every store hits the TLB's fast path.
   */
  private static CpuHarness sweeper() {
    CpuHarness h = new CpuHarness();
    long end = CpuHarness.DATA + 4096L * SWEPT_PAGES;
    h.x(T0, CpuHarness.DATA).x(T1, 1).x(T2, 4096).x(T3, end).x(T4, CpuHarness.DATA);
    h.program(
        sd(T1, T0, 0),
        sd(T1, T0, 8),
        add(T0, T0, T2),
        bltu(T0, T3, -12),
        addi(T1, T1, 1),
        add(T0, T4, 0),
        jal(0, -24));
    h.step(5L * SWEPT_PAGES * 4); // a few rounds
    return h;
  }

  private static int firstSweptPage(CpuHarness h) {
    return h.ram().pageIndex(CpuHarness.DATA);
  }

  private static byte[][] copyAll(GuestMemory ram) {
    byte[][] pages = new byte[ram.pageCount()][];
    for (int i = 0; i < pages.length; i++) {
      byte[] p = ram.pageIfPresent(i);
      pages[i] = p == null ? null : p.clone();
    }
    return pages;
  }

  @Test
  void cpuStoresThroughCachedTranslationsAfterASnapshotDoNotReachIt() {
    CpuHarness h = sweeper();
    byte[][] before = copyAll(h.ram());
    try (MemorySnapshot s = h.ram().share()) {
      h.step(3L * SWEPT_PAGES * 4);
      byte[] page = new byte[GuestMemory.PAGE_SIZE];
      int first = firstSweptPage(h);
      assertTrue(s.copyPage(first, page));
      assertArrayEquals(before[first], page);
      assertFalse(
          java.util.Arrays.equals(before[first], h.ram().pageIfPresent(first)),
          "the guest did write the page");
    }
  }

  @Test
  void aStreamerReadingWhileTheGuestRewritesSeesEveryPageAsAtTheSnapshot() throws Exception {
    CpuHarness h = sweeper();
    for (int snapshot = 0; snapshot < 5; snapshot++) {
      byte[][] expected = copyAll(h.ram()); // the machine is paused here
      try (MemorySnapshot s = h.ram().share()) {
        raceStreamerAgainstGuest(h, s, expected);
      }
    }
  }

  /**
   * Streams every page from the last while the guest sweeps from the first, pass after pass until
   * the guest has run a while during the reads.
   */
  private static void raceStreamerAgainstGuest(CpuHarness h, MemorySnapshot s, byte[][] expected)
      throws InterruptedException {
    AtomicBoolean streaming = new AtomicBoolean(true);
    AtomicLong steps = new AtomicLong();
    AtomicReference<String> mismatch = new AtomicReference<>();
    Thread streamer =
        new Thread(
            () -> {
              byte[] page = new byte[GuestMemory.PAGE_SIZE];
              byte[] zero = new byte[GuestMemory.PAGE_SIZE];
              for (int pass = 0; pass < 2 || steps.get() < 40; pass++) {
                for (int i = s.pageCount() - 1; i >= 0; i--) {
                  java.util.Arrays.fill(page, (byte) 0);
                  s.copyPage(i, page);
                  if (!java.util.Arrays.equals(expected[i] == null ? zero : expected[i], page)) {
                    mismatch.compareAndSet(null, "page " + i + " in pass " + pass);
                  }
                }
              }
              streaming.set(false);
            });
    streamer.start();
    while (streaming.get()) {
      h.step(256);
      steps.incrementAndGet();
    }
    streamer.join();
    assertEquals(null, mismatch.get());
  }

  @Test
  void writesThroughEveryPathCopyBeforeWriting() {
    GuestMemory ram = new GuestMemory(0x8000_0000L, 1 << 20);
    ram.writeLong(0x8000_0000L, 1);
    ram.writeLong(0x8000_1000L, 2);
    try (MemorySnapshot s = ram.share()) {
      ram.writeLong(0x8000_0000L, 10); // device / loader path
      ram.fillZero(0x8000_1000L, 8);
      ram.writeLong(0x8000_2000L, 3); // a page first touched after the snapshot
      byte[] page = new byte[GuestMemory.PAGE_SIZE];
      assertTrue(s.copyPage(0, page));
      assertEquals(1, LittleEndian.getLong(page, 0));
      assertTrue(s.copyPage(1, page));
      assertEquals(2, LittleEndian.getLong(page, 0));
      assertFalse(s.copyPage(2, page), "a zero page at the snapshot");
    }
  }

  @Test
  void aClosedSnapshotNoLongerServesPages() {
    GuestMemory ram = new GuestMemory(0x8000_0000L, 1 << 20);
    ram.writeLong(0x8000_0000L, 1);
    MemorySnapshot s = ram.share();
    s.close();
    ram.writeLong(0x8000_0000L, 2);
    assertThrows(IllegalStateException.class, () -> s.copyPage(0, new byte[4096]));
  }

  @Test
  void pagesWrittenSinceAGenerationIncludeFastPathStores() {
    CpuHarness h = sweeper();
    int g = h.ram().startGeneration();
    h.step(3 * 4); // three pages of the sweep
    BitSet written = h.ram().writtenSince(g);
    assertEquals(3, written.cardinality(), written.toString());
    h.ram().writeLong(CpuHarness.DATA - 8, 1);
    assertEquals(4, h.ram().writtenSince(g).cardinality());
  }

  @Test
  void anIncrementalSnapshotHoldsOnlyThePagesWrittenSince() {
    GuestMemory ram = new GuestMemory(0x8000_0000L, 1 << 20);
    ram.writeLong(0x8000_0000L, 1);
    int g;
    try (MemorySnapshot full = ram.share()) {
      g = full.generation();
    }
    ram.writeLong(0x8000_3000L, 3);
    ram.applyPage(4, new byte[GuestMemory.PAGE_SIZE]);
    try (MemorySnapshot delta = ram.share(g)) {
      List<Integer> included = new ArrayList<>();
      for (int i = 0; i < delta.pageCount(); i++) {
        if (delta.includes(i)) {
          included.add(i);
        }
      }
      assertEquals(List.of(3, 4), included);
      GuestMemory target = new GuestMemory(0x8000_0000L, 1 << 20);
      target.applyPages(delta);
      assertEquals(3, target.readLong(0x8000_3000L));
      assertEquals(0, target.readLong(0x8000_0000L), "not part of the increment");
    }
  }
}
