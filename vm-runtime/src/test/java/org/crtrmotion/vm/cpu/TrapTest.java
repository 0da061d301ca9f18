package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.S_TRAP_VECTOR;
import static org.crtrmotion.vm.cpu.CpuHarness.TRAP_VECTOR;
import static org.crtrmotion.vm.cpu.Hart.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Synchronous exceptions, trap entry and return, and delegation to S-mode. */
class TrapTest {
  private final CpuHarness h = new CpuHarness();

  private long mpp() {
    return (h.hart.mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
  }

  private void setMpp(int priv) {
    h.hart.mstatus = (h.hart.mstatus & ~MSTATUS_MPP) | ((long) priv << MSTATUS_MPP_SHIFT);
  }

  // ------------------------------------------------------------------ causes and values

  @Test
  void ecallFromUserRaisesCauseEight() {
    h.enter(PRIV_U).run(nop(), ecall());
    assertTrue(h.trapped(Causes.ECALL_FROM_U));
    assertEquals(CODE + 4, h.hart.mepc);
    assertEquals(0, h.hart.mtval);
  }

  @Test
  void ecallFromSupervisorRaisesCauseNine() {
    h.enter(PRIV_S).run(ecall());
    assertTrue(h.trapped(Causes.ECALL_FROM_S));
    assertEquals(CODE, h.hart.mepc);
  }

  @Test
  void ecallFromMachineRaisesCauseEleven() {
    h.run(ecall());
    assertTrue(h.trapped(Causes.ECALL_FROM_M));
    assertEquals(CODE, h.hart.mepc);
  }

  @Test
  void ebreakRaisesBreakpointWithPcInMtval() {
    h.run(nop(), ebreak());
    assertTrue(h.trapped(Causes.BREAKPOINT));
    assertEquals(CODE + 4, h.hart.mepc);
    assertEquals(CODE + 4, h.hart.mtval);
  }

  @Test
  void illegalInstructionReportsItsBits() {
    int word = 0xffff_ffff;
    h.run(word);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0xffff_ffffL, h.hart.mtval);
    assertEquals(CODE, h.hart.mepc);
  }

  @Test
  void allZeroParcelIsIllegal() {
    h.run(0);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0, h.hart.mtval);
  }

  @Test
  void reservedSystemEncodingIsIllegal() {
    int ecallWithRd = ecall() | (5 << 7);
    h.run(ecallWithRd);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(ecallWithRd & 0xffffffffL, h.hart.mtval);
  }

  @Test
  void trappingInstructionDoesNotRetire() {
    h.run(nop(), ecall());
    // nop retired, ecall did not, the loop at the vector retired once
    assertEquals(2, h.hart.instret());
  }

  @Test
  void trapDoesNotWriteTheDestinationRegister() {
    h.x(5, 123).x(10, 0x4000_0000L).run(ld(5, 10, 0));
    assertEquals(123, h.x(5));
  }

  @Test
  void trapFromUserRecordsUserInMppAndEntersMachineMode() {
    h.hart.mstatus |= MSTATUS_MIE;
    setMpp(PRIV_M);
    h.enter(PRIV_U).run(ecall());
    assertEquals(PRIV_M, h.hart.priv);
    assertEquals(PRIV_U, mpp());
    assertEquals(0, h.hart.mstatus & MSTATUS_MIE);
  }

  @Test
  void trapMovesMieToMpieAndClearsMie() {
    h.hart.mstatus |= MSTATUS_MIE;
    h.run(ecall());
    assertEquals(MSTATUS_MPIE, h.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE));
    assertEquals(PRIV_M, mpp());
  }

  @Test
  void trapWithMieClearClearsMpie() {
    h.hart.mstatus |= MSTATUS_MPIE;
    h.run(ecall());
    assertEquals(0, h.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE));
  }

  @Test
  void exceptionsIgnoreVectoredMode() {
    h.hart.mtvec = TRAP_VECTOR | 1;
    h.run(ecall());
    assertEquals(TRAP_VECTOR, h.hart.pc());
  }

  // ------------------------------------------------------------------ MRET and SRET

  @Test
  void mretReturnsToMppAndRestoresMie() {
    h.hart.mstatus |= MSTATUS_MPIE;
    setMpp(PRIV_S);
    h.hart.mepc = CODE + 0x40;
    h.run(mret());
    assertEquals(PRIV_S, h.hart.priv);
    assertEquals(CODE + 0x40, h.hart.pc());
    assertEquals(MSTATUS_MIE | MSTATUS_MPIE, h.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE));
    assertEquals(PRIV_U, mpp());
  }

  @Test
  void mretWithMpieClearLeavesMieClearAndSetsMpie() {
    h.hart.mstatus |= MSTATUS_MIE;
    setMpp(PRIV_M);
    h.hart.mepc = CODE + 0x40;
    h.run(mret());
    assertEquals(MSTATUS_MPIE, h.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE));
    assertEquals(PRIV_M, h.hart.priv);
  }

  @Test
  void mretToALowerModeClearsMprv() {
    h.hart.mstatus |= MSTATUS_MPRV;
    setMpp(PRIV_U);
    h.hart.mepc = CODE + 0x40;
    h.run(mret());
    assertEquals(0, h.hart.mstatus & MSTATUS_MPRV);
    assertEquals(PRIV_U, h.hart.priv);
  }

  @Test
  void mretToMachineModeKeepsMprv() {
    h.hart.mstatus |= MSTATUS_MPRV;
    setMpp(PRIV_M);
    h.hart.mepc = CODE + 0x40;
    h.run(mret());
    assertEquals(MSTATUS_MPRV, h.hart.mstatus & MSTATUS_MPRV);
  }

  @Test
  void mretInSupervisorModeIsIllegal() {
    h.enter(PRIV_S).run(mret());
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(mret() & 0xffffffffL, h.hart.mtval);
    assertEquals(PRIV_S, mpp());
  }

  @Test
  void sretReturnsToSppAndRestoresSie() {
    h.hart.mstatus |= MSTATUS_SPIE | MSTATUS_SPP;
    h.hart.sepc = CODE + 0x40;
    h.enter(PRIV_S).run(sret());
    assertEquals(PRIV_S, h.hart.priv);
    assertEquals(CODE + 0x40, h.hart.pc());
    assertEquals(
        MSTATUS_SIE | MSTATUS_SPIE, h.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP));
  }

  @Test
  void sretWithSppClearReturnsToUser() {
    h.hart.sepc = CODE + 0x40;
    h.enter(PRIV_S).run(sret());
    assertEquals(PRIV_U, h.hart.priv);
    assertEquals(MSTATUS_SPIE, h.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE));
  }

  @Test
  void sretClearsMprv() {
    h.hart.mstatus |= MSTATUS_MPRV | MSTATUS_SPP;
    h.hart.sepc = CODE + 0x40;
    h.run(sret());
    assertEquals(0, h.hart.mstatus & MSTATUS_MPRV);
    assertEquals(PRIV_S, h.hart.priv);
  }

  @Test
  void sretInUserModeIsIllegal() {
    h.enter(PRIV_U).run(sret());
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(sret() & 0xffffffffL, h.hart.mtval);
  }

  @Test
  void sretInSupervisorModeTrapsWhenTsrIsSet() {
    h.hart.mstatus |= MSTATUS_TSR;
    h.enter(PRIV_S).run(sret());
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
  }

  @Test
  void sretInMachineModeIgnoresTsr() {
    h.hart.mstatus |= MSTATUS_TSR | MSTATUS_SPP;
    h.hart.sepc = CODE + 0x40;
    h.run(sret());
    assertEquals(PRIV_S, h.hart.priv);
    assertEquals(CODE + 0x40, h.hart.pc());
  }

  // ------------------------------------------------------------------ WFI, SFENCE.VMA and the trap
  // bits

  @Test
  void wfiInUserModeIsIllegal() {
    h.enter(PRIV_U).run(wfi());
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(wfi() & 0xffffffffL, h.hart.mtval);
  }

  @Test
  void wfiInSupervisorModeTrapsWhenTwIsSet() {
    h.hart.mstatus |= MSTATUS_TW;
    h.enter(PRIV_S).run(wfi());
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
  }

  @Test
  void wfiInMachineModeIgnoresTw() {
    h.hart.mstatus |= MSTATUS_TW;
    h.program(wfi());
    assertEquals(Interpreter.EXIT_WFI, h.step(1));
    assertEquals(CODE + 4, h.hart.pc());
  }

  @Test
  void sfenceVmaInUserModeIsIllegal() {
    int insn = sfenceVma(5, 6);
    h.enter(PRIV_U).run(insn);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(insn & 0xffffffffL, h.hart.mtval);
  }

  @Test
  void sfenceVmaInSupervisorModeTrapsWhenTvmIsSet() {
    h.hart.mstatus |= MSTATUS_TVM;
    h.enter(PRIV_S).run(sfenceVma(0, 0));
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
  }

  @Test
  void sfenceVmaInSupervisorModeIsAllowedWithoutTvm() {
    h.enter(PRIV_S).run(sfenceVma(0, 0));
    assertEquals(CODE + 4, h.hart.pc());
  }

  // ------------------------------------------------------------------ delegation

  @Test
  void delegatedExceptionFromUserGoesToSupervisor() {
    h.hart.medeleg = 1L << Causes.ECALL_FROM_U;
    h.hart.mstatus |= MSTATUS_SIE;
    h.enter(PRIV_U).run(nop(), ecall());
    assertTrue(h.trappedToS(Causes.ECALL_FROM_U));
    assertEquals(CODE + 4, h.hart.sepc);
    assertEquals(0, h.hart.stval);
    assertEquals(MSTATUS_SPIE, h.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP));
    assertEquals(0, h.hart.mcause);
    assertEquals(0, h.hart.mepc);
  }

  @Test
  void delegatedExceptionFromSupervisorSetsSpp() {
    h.hart.medeleg = 1L << Causes.ILLEGAL_INSTRUCTION;
    h.enter(PRIV_S).run(-1);
    assertTrue(h.trappedToS(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(MSTATUS_SPP, h.hart.mstatus & MSTATUS_SPP);
    assertEquals(0xffff_ffffL, h.hart.stval);
    assertEquals(CODE, h.hart.sepc);
  }

  @Test
  void delegatedFaultReportsAddressInStval() {
    h.hart.medeleg = 1L << Causes.LOAD_ACCESS;
    h.x(10, 0x4000_0000L).enter(PRIV_S).run(ld(5, 10, 0x10));
    assertTrue(h.trappedToS(Causes.LOAD_ACCESS));
    assertEquals(0x4000_0010L, h.hart.stval);
  }

  @Test
  void delegationDoesNotApplyToTrapsInMachineMode() {
    h.hart.medeleg = 1L << Causes.ILLEGAL_INSTRUCTION;
    h.run(-1);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0, h.hart.scause);
  }

  @Test
  void undelegatedExceptionFromSupervisorGoesToMachine() {
    h.hart.medeleg = 1L << Causes.ECALL_FROM_U;
    h.enter(PRIV_S).run(ecall());
    assertTrue(h.trapped(Causes.ECALL_FROM_S));
    assertEquals(PRIV_S, mpp());
  }

  @Test
  void delegatedTrapUsesStvecBase() {
    h.hart.medeleg = 1L << Causes.BREAKPOINT;
    h.hart.stvec = S_TRAP_VECTOR | 1; // vectored: exceptions still go to the base
    h.enter(PRIV_U).run(ebreak());
    assertEquals(S_TRAP_VECTOR, h.hart.pc());
    assertEquals(Causes.BREAKPOINT, h.hart.scause);
  }

  @Test
  void storeAccessFaultFromUserCanBeDelegated() {
    h.hart.medeleg = 0xb3ff;
    h.enter(PRIV_U).x(10, 0x4000_0000L).run(sd(0, 10, 0));
    assertTrue(h.trappedToS(Causes.STORE_ACCESS));
  }

  @Test
  void trapToMachineModeLeavesSupervisorStateAlone() {
    h.hart.mstatus |= MSTATUS_SIE;
    h.enter(PRIV_S).run(ecall());
    assertEquals(MSTATUS_SIE, h.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE));
  }

  // ------------------------------------------------------------------ handlers that cannot run

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void handlerThatCannotBeFetchedEndsTheRunAsStuck() {
    h.hart.mtvec = 0x4000_0000L;
    h.program(-1);
    assertEquals(Interpreter.EXIT_STUCK, h.step(100));
    assertEquals(0x4000_0000L, h.hart.pc());
    assertEquals(Causes.FETCH_ACCESS, h.hart.mcause);
    assertEquals(0, h.hart.instret());
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void handlerWhoseFirstInstructionTrapsEndsTheRunAsStuck() {
    h.hart.mtvec = CpuHarness.DATA; // zeroed RAM: the all-zero parcel is illegal
    h.program(ecall());
    assertEquals(Interpreter.EXIT_STUCK, h.step(100));
    assertEquals(CpuHarness.DATA, h.hart.pc());
    assertEquals(Causes.ILLEGAL_INSTRUCTION, h.hart.mcause);
    assertTrue(
        h.board.interpreter.stuckReason().contains("0x80200000"),
        h.board.interpreter.stuckReason());
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void supervisorHandlerThatFaultsIntoAWorkingMachineHandlerIsNotStuck() {
    h.hart.medeleg = 1L << Causes.ECALL_FROM_U;
    h.hart.stvec = 0x4000_0000L;
    h.enter(PRIV_U).program(ecall());
    assertEquals(Interpreter.EXIT_BUDGET, h.step(5));
    assertTrue(h.trapped(Causes.FETCH_ACCESS));
    assertEquals(0x4000_0000L, h.hart.mepc);
    assertEquals(PRIV_S, mpp());
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void handlerThatRecoversAfterItsFirstFaultIsNotStuck() {
    // The handler's first load runs with MPRV as the trapped mode (U, translated, no mapping);
    // the fault from M-mode itself sets MPP = M, and the retry then works untranslated.
    PageTables pt = new PageTables(h, CpuHarness.RAM_BASE + 0x40_0000);
    pt.map4k(CODE, CODE, PageTables.R | PageTables.X | PageTables.U | PageTables.A);
    h.hart.satp = pt.satp();
    h.hart.mstatus |= MSTATUS_MPRV;
    h.x(10, CpuHarness.DATA);
    h.writeLong(CpuHarness.DATA, 5);
    h.place(TRAP_VECTOR, ld(5, 10, 0), jal(0, 0));
    h.enter(PRIV_U).program(ecall());
    assertEquals(Interpreter.EXIT_BUDGET, h.step(3));
    assertEquals(5, h.x(5));
  }

  // ------------------------------------------------------------------ tval edge values

  @Test
  void fetchFaultAtTheTopBitAddressReportsThatAddress() {
    h.x(6, Long.MIN_VALUE).run(jalr(0, 6, 0));
    h.step(1);
    assertTrue(h.trapped(Causes.FETCH_ACCESS));
    assertEquals(Long.MIN_VALUE, h.hart.mtval);
    assertEquals(Long.MIN_VALUE, h.hart.mepc);
  }

  @Test
  void loadFaultAtTheTopBitAddressReportsThatAddress() {
    h.x(6, Long.MIN_VALUE).run(ld(5, 6, 0));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(Long.MIN_VALUE, h.hart.mtval);
  }
}
