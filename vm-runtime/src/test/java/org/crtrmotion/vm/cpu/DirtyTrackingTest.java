package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Guest stores feed the dirty bitmap that pre-copy collects, even through the fast store path. */
class DirtyTrackingTest {
  private static final int T0 = 5, T1 = 6;

  private static int dataPage() {
    return (int) ((CpuHarness.DATA - CpuHarness.RAM_BASE) >>> 12);
  }

  private CpuHarness storingLoop() {
    // t0 = DATA; loop: sd t1, 0(t0); j loop
    CpuHarness h = new CpuHarness();
    h.x(T0, CpuHarness.DATA);
    h.program(sd(T1, T0, 0), jal(0, -4));
    return h;
  }

  @Test
  void aGuestStoreMarksItsPageDirty() {
    CpuHarness h = storingLoop();
    h.ram().collectDirty();
    h.step(1);
    long[] dirty = h.ram().collectDirty();
    assertEquals(1L << (dataPage() & 63), dirty[dataPage() >>> 6]);
  }

  @Test
  void storesAfterACollectMarkThePageAgain() {
    CpuHarness h = storingLoop();
    h.step(100); // the write translation is cached by now
    h.ram().collectDirty();
    h.step(2);
    long[] dirty = h.ram().collectDirty();
    assertEquals(1L << (dataPage() & 63), dirty[dataPage() >>> 6]);
  }

  @Test
  void aPageNotWrittenSinceTheLastCollectIsClean() {
    CpuHarness h = storingLoop();
    h.step(100);
    h.ram().collectDirty();
    h.hart.setPc(CpuHarness.CODE + 4); // only the jump from now on
    h.program(sd(T1, T0, 0), jal(0, 0));
    h.ram().collectDirty();
    h.step(10);
    assertEquals(0, h.ram().collectDirty()[dataPage() >>> 6]);
  }
}
