package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.PageTables.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Translation caches are not state: a restore drops them, so the restored satp is the one used. */
class HartRestoreTest {
  private static final int T0 = 5, T1 = 6;
  private static final long VA = 0x1000_0000L;
  private static final long PAGE_A = CpuHarness.DATA;
  private static final long PAGE_B = CpuHarness.DATA + 0x1000;

  @Test
  void restoringAHartOntoOneWithCachedTranslationsUsesTheRestoredSatp() {
    CpuHarness h = new CpuHarness();
    PageTables a = new PageTables(h, CpuHarness.DATA + 0x10_0000).map4k(VA, PAGE_A, R | W | A | D);
    PageTables b = new PageTables(h, CpuHarness.DATA + 0x20_0000).map4k(VA, PAGE_B, R | W | A | D);
    h.writeLong(PAGE_A, 111).writeLong(PAGE_B, 222);
    // M-mode code, S-mode data translation (MPRV with MPP = S): loads go through the TLB.
    h.hart.satp = a.satp();
    h.hart.mstatus |= Hart.MSTATUS_MPRV | (1L << Hart.MSTATUS_MPP_SHIFT);
    h.enter(Hart.PRIV_M);
    h.x(T0, VA).program(ld(T1, T0, 0), jal(0, -4));
    h.step(1);
    assertEquals(111, h.x(T1));

    h.hart.restore(h.hart.save().toBuilder().setSatp(b.satp()).setPc(CpuHarness.CODE).build());
    h.step(1);
    assertEquals(222, h.x(T1));
  }
}
