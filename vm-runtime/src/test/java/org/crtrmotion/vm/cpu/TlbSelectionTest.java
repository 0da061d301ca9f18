package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.crtrmotion.vm.cpu.CpuHarness.RAM_BASE;
import static org.crtrmotion.vm.cpu.CpuHarness.S_TRAP_VECTOR;
import static org.crtrmotion.vm.cpu.Hart.*;
import static org.crtrmotion.vm.cpu.PageTables.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Traps and returns switch between per-privilege TLBs instead of flushing: a translation cached for
 * one privilege must never grant an access to another.
 */
class TlbSelectionTest {
  static final long VCODE = 0x4000_0000L;
  static final long VSTVEC = 0x4020_0000L;
  static final long VUSER = 0x7000_0000L;
  static final long TABLES = RAM_BASE + 0x40_0000;

  private final CpuHarness h = new CpuHarness();
  private final PageTables pt = new PageTables(h, TABLES);

  TlbSelectionTest() {
    pt.map4k(VCODE, CODE, R | X | U | A);
    pt.map4k(VSTVEC, S_TRAP_VECTOR, R | X | A);
    pt.map4k(VUSER, DATA, R | W | U | A | D);
    h.hart.satp = pt.satp();
    h.hart.stvec = VSTVEC;
    h.hart.medeleg = 1L << Causes.ECALL_FROM_U;
    h.writeLong(DATA, 42);
  }

  @Test
  void userTranslationCachedInUModeDoesNotLetSModeReadUserPagesWithoutSum() {
    h.place(S_TRAP_VECTOR, ld(7, 10, 0));
    h.place(CODE, ld(5, 10, 0), ecall());
    h.x(10, VUSER);
    h.hart.setPc(VCODE);
    h.enter(PRIV_U);
    // The user load retires and caches VUSER; the ecall (not retired) enters S at VSTVEC, whose
    // load of the same address must fault to M (not delegated), where the harness parks.
    h.step(2);
    assertEquals(42, h.x(5));
    assertTrue(
        h.trapped(Causes.LOAD_PAGE_FAULT), "S-mode load of a user page with SUM clear must fault");
    assertEquals(VSTVEC, h.hart.mepc);
    assertEquals(VUSER, h.hart.mtval);
  }

  @Test
  void userTranslationStaysUsableAfterARoundTripThroughSMode() {
    h.place(
        S_TRAP_VECTOR, csrrs(6, CsrFile.SEPC, 0), addi(6, 6, 4), csrrw(0, CsrFile.SEPC, 6), sret());
    h.place(CODE, ld(5, 10, 0), ecall(), ld(8, 10, 0));
    h.x(10, VUSER);
    h.hart.setPc(VCODE);
    h.enter(PRIV_U);
    h.writeLong(DATA, 7);
    h.step(6); // ld, then csrrs, addi, csrrw, sret in S, then ld again in U
    assertEquals(7, h.x(5));
    assertEquals(7, h.x(8));
    assertEquals(PRIV_U, h.hart.privilege());
  }
}
