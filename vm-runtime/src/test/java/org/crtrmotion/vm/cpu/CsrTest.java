package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CsrFile.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Zicsr: the six CSR instructions, access rules, and the WARL behaviour of the registers. */
class CsrTest {
  private final CpuHarness h = new CpuHarness();

  private void assertIllegal(int insn) {
    assertTrue(
        h.trapped(Causes.ILLEGAL_INSTRUCTION),
        () -> "mcause " + h.hart.mcause + ", pc 0x" + Long.toHexString(h.hart.pc()));
    assertEquals(insn & 0xffffffffL, h.hart.mtval);
  }

  // ------------------------------------------------------------------ instruction semantics

  @Test
  void csrrwReturnsOldValueAndWritesNew() {
    h.hart.mscratch = 11;
    h.x(6, 22).run(csrrw(5, MSCRATCH, 6));
    assertEquals(11, h.x(5));
    assertEquals(22, h.hart.mscratch);
  }

  @Test
  void csrrwWithRdEqualToRs1SwapsRegisterAndCsr() {
    h.hart.mscratch = 11;
    h.x(6, 22).run(csrrw(6, MSCRATCH, 6));
    assertEquals(11, h.x(6));
    assertEquals(22, h.hart.mscratch);
  }

  @Test
  void csrrsSetsBitsAndReturnsOldValue() {
    h.hart.mscratch = 0b0101;
    h.x(6, 0b0011).run(csrrs(5, MSCRATCH, 6));
    assertEquals(0b0101, h.x(5));
    assertEquals(0b0111, h.hart.mscratch);
  }

  @Test
  void csrrcClearsBitsAndReturnsOldValue() {
    h.hart.mscratch = 0b0101;
    h.x(6, 0b0011).run(csrrc(5, MSCRATCH, 6));
    assertEquals(0b0101, h.x(5));
    assertEquals(0b0100, h.hart.mscratch);
  }

  @Test
  void immediateFormsZeroExtendTheFiveBitImmediate() {
    h.hart.mscratch = -1;
    h.run(csrrwi(5, MSCRATCH, 31));
    assertEquals(-1, h.x(5));
    assertEquals(31, h.hart.mscratch);
  }

  @Test
  void csrrsiAndCsrrciSetAndClearImmediateBits() {
    h.hart.mscratch = 0b1000;
    h.run(csrrsi(5, MSCRATCH, 0b0011), csrrci(6, MSCRATCH, 0b1001));
    assertEquals(0b1000, h.x(5));
    assertEquals(0b1011, h.x(6));
    assertEquals(0b0010, h.hart.mscratch);
  }

  @Test
  void csrrsWithX0ReadsWithoutWritingEvenAReadOnlyCsr() {
    h.run(csrrs(5, MHARTID, 0), csrrs(6, MISA, 0), csrrs(7, CYCLE, 0));
    assertEquals(0, h.x(5));
    assertEquals(MISA_VALUE, h.x(6));
    assertEquals(2, h.x(7));
    assertEquals(CODE + 12, h.hart.pc());
  }

  @Test
  void csrrciWithZeroImmediateReadsAReadOnlyCsrWithoutTrapping() {
    h.run(csrrci(5, MVENDORID, 0), csrrsi(6, MARCHID, 0));
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void csrrsWithNonX0RegisterHoldingZeroStillCountsAsAWrite() {
    int insn = csrrs(5, MHARTID, 6);
    h.x(6, 0).run(insn);
    assertIllegal(insn);
  }

  @Test
  void csrrwToAReadOnlyCsrTrapsEvenWithX0Source() {
    int insn = csrrw(0, MVENDORID, 0);
    h.run(insn);
    assertIllegal(insn);
  }

  @Test
  void writeToUserCounterTraps() {
    int insn = csrrwi(0, CYCLE, 1);
    h.run(insn);
    assertIllegal(insn);
  }

  @Test
  void csrrwWithX0DestinationStillWrites() {
    h.x(6, 5).run(csrrw(0, MSCRATCH, 6));
    assertEquals(5, h.hart.mscratch);
    assertEquals(0, h.hart.x[0]);
  }

  @Test
  void csrrsWithX0DoesNotWriteSideEffectCsrs() {
    // A read of mip through csrrs with x0 must not latch the line-driven bits into software bits.
    h.hart.setLine(Causes.IRQ_S_EXT, true);
    h.run(csrrs(5, MIP, 0));
    h.hart.setLine(Causes.IRQ_S_EXT, false);
    assertEquals(Hart.MIP_SEIP, h.x(5));
    assertEquals(0, h.hart.mip());
  }

  @Test
  void csrrsOnMipDoesNotLatchTheExternalSeipLine() {
    // Only the software-writable SEIP bit takes part in the read-modify-write of CSRRS/CSRRC.
    h.hart.setLine(Causes.IRQ_S_EXT, true);
    h.x(6, Hart.MIP_SSIP).run(csrrs(5, MIP, 6));
    assertEquals(Hart.MIP_SEIP, h.x(5));
    h.hart.setLine(Causes.IRQ_S_EXT, false);
    assertEquals(Hart.MIP_SSIP, h.hart.mip());
  }

  @Test
  void csrrcOnMipDoesNotLatchTheExternalSeipLine() {
    h.hart.mipSoftware = Hart.MIP_STIP;
    h.hart.setLine(Causes.IRQ_S_EXT, true);
    h.x(6, Hart.MIP_STIP).run(csrrc(5, MIP, 6));
    h.hart.setLine(Causes.IRQ_S_EXT, false);
    assertEquals(0, h.hart.mip());
  }

  @Test
  void softwareSeipStaysPendingAfterTheLineDrops() {
    h.x(6, Hart.MIP_SEIP).run(csrrs(0, MIP, 6));
    h.hart.setLine(Causes.IRQ_S_EXT, true);
    h.hart.setLine(Causes.IRQ_S_EXT, false);
    assertEquals(Hart.MIP_SEIP, h.hart.mip());
  }

  // ------------------------------------------------------------------ existence and privilege

  @ParameterizedTest(name = "csr 0x{0}")
  @ValueSource(ints = {0x7c0, 0x800, 0x5c0, 0x9c0, 0xcc0, 0x205, 0xb01, 0x181, 0xf16})
  void unimplementedCsrRaisesIllegalWithInstructionBits(int csr) {
    int insn = csrrs(5, csr, 0);
    h.run(insn);
    assertIllegal(insn);
    assertEquals(0, h.x(5));
  }

  @Test
  void supervisorAccessToMachineCsrTraps() {
    int insn = csrrs(5, MSTATUS, 0);
    h.enter(Hart.PRIV_S).run(insn);
    assertIllegal(insn);
  }

  @Test
  void userAccessToSupervisorCsrTraps() {
    int insn = csrrs(5, SSTATUS, 0);
    h.enter(Hart.PRIV_U).run(insn);
    assertIllegal(insn);
  }

  @Test
  void supervisorMayAccessSupervisorCsrs() {
    h.enter(Hart.PRIV_S).x(6, 0x1234).run(csrrw(5, SSCRATCH, 6));
    assertEquals(0x1234, h.hart.sscratch);
    assertEquals(CODE + 4, h.hart.pc());
  }

  @Test
  void userCounterTrapsInSupervisorWithoutMcounteren() {
    int insn = csrrs(5, CYCLE, 0);
    h.enter(Hart.PRIV_S).run(insn);
    assertIllegal(insn);
  }

  @Test
  void mcounterenOpensCounterToSupervisorButNotUser() {
    h.hart.mcounteren = 0b001;
    h.enter(Hart.PRIV_S).run(csrrs(5, CYCLE, 0));
    assertEquals(CODE + 4, h.hart.pc());
    int insn = csrrs(5, CYCLE, 0);
    h.hart.setPc(CODE);
    h.enter(Hart.PRIV_U).run(insn);
    assertIllegal(insn);
  }

  @Test
  void userNeedsBothMcounterenAndScounteren() {
    h.hart.mcounteren = 0b111;
    h.hart.scounteren = 0b100;
    h.enter(Hart.PRIV_U).run(csrrs(5, INSTRET, 0));
    assertEquals(CODE + 4, h.hart.pc());
    int insn = csrrs(6, TIME, 0);
    h.hart.setPc(CODE);
    h.run(insn);
    assertIllegal(insn);
  }

  @Test
  void scounterenAloneDoesNotOpenACounterToUser() {
    h.hart.scounteren = 0b111;
    int insn = csrrs(5, INSTRET, 0);
    h.enter(Hart.PRIV_U).run(insn);
    assertIllegal(insn);
  }

  @Test
  void hpmCounterGatedByItsOwnMcounterenBit() {
    h.hart.mcounteren = 1 << 3;
    h.enter(Hart.PRIV_S).run(csrrs(5, 0xc03, 0));
    assertEquals(CODE + 4, h.hart.pc());
    int insn = csrrs(5, 0xc04, 0);
    h.hart.setPc(CODE);
    h.run(insn);
    assertIllegal(insn);
  }

  @Test
  void machineModeReadsCountersRegardlessOfCounteren() {
    h.run(
        nop(),
        nop(),
        csrrs(5, INSTRET, 0),
        csrrs(6, MINSTRET, 0),
        csrrs(7, MCYCLE, 0),
        csrrs(8, TIME, 0));
    assertEquals(2, h.x(5));
    assertEquals(3, h.x(6));
    assertEquals(4, h.x(7));
    assertEquals(0, h.x(8)); // five instructions at ten per tick
  }

  @Test
  void timeCsrFollowsTheInstructionCount() {
    h.program(jal(0, 0));
    h.step(1234);
    h.program(csrrs(5, TIME, 0));
    h.hart.setPc(CODE);
    h.step(1);
    assertEquals(123, h.x(5));
  }

  @Test
  void mhpmcounterAndMcountinhibitReadZeroAndIgnoreWrites() {
    h.x(6, -1)
        .run(
            csrrw(5, 0xb03, 6),
            csrrs(7, 0xb03, 0),
            csrrw(8, MCOUNTINHIBIT, 6),
            csrrs(9, MCOUNTINHIBIT, 0));
    assertEquals(0, h.x(7));
    assertEquals(0, h.x(9));
  }

  @Test
  void satpAccessInSupervisorTrapsWhenTvmIsSet() {
    h.hart.mstatus |= Hart.MSTATUS_TVM;
    int insn = csrrs(5, SATP, 0);
    h.enter(Hart.PRIV_S).run(insn);
    assertIllegal(insn);
  }

  @Test
  void satpAccessInMachineModeIgnoresTvm() {
    h.hart.mstatus |= Hart.MSTATUS_TVM;
    h.run(csrrs(5, SATP, 0));
    assertEquals(CODE + 4, h.hart.pc());
  }

  // ------------------------------------------------------------------ WARL fields

  @Test
  void misaReportsRv64AcdfimsuAndIgnoresWrites() {
    h.run(csrrw(5, MISA, 0), csrrs(6, MISA, 0));
    long expected =
        (2L << 62)
            | 1
            | (1 << 2)
            | (1 << 3)
            | (1 << 5)
            | (1 << 8)
            | (1 << 12)
            | (1 << 18)
            | (1 << 20);
    assertEquals(expected, h.x(5));
    assertEquals(expected, h.x(6));
  }

  @Test
  void mtvecAcceptsDirectAndVectoredModes() {
    h.x(6, 0x8000_1001L).run(csrrw(0, MTVEC, 6));
    assertEquals(0x8000_1001L, h.hart.mtvec);
    h.hart.setPc(CODE);
    h.x(6, 0x8000_2000L).run(csrrw(0, MTVEC, 6));
    assertEquals(0x8000_2000L, h.hart.mtvec);
  }

  @Test
  void mtvecReservedModesKeepThePreviousMode() {
    h.hart.mtvec = 0x8000_1001L;
    h.x(6, 0x8000_2002L).run(csrrw(0, MTVEC, 6));
    assertEquals(0x8000_2001L, h.hart.mtvec);
  }

  @Test
  void stvecReservedModesKeepThePreviousMode() {
    h.hart.stvec = 0x8000_1000L;
    h.x(6, 0x8000_3003L).run(csrrw(0, STVEC, 6));
    assertEquals(0x8000_3000L, h.hart.stvec);
  }

  @Test
  void satpWriteWithUnsupportedModeIsIgnored() {
    h.hart.satp = (8L << 60) | 0x80123;
    h.x(6, (9L << 60) | 0x80456).run(csrrw(5, SATP, 6), csrrs(7, SATP, 0));
    assertEquals((8L << 60) | 0x80123, h.x(7));
  }

  @Test
  void satpAcceptsSv39AndBare() {
    h.x(6, (8L << 60) | (5L << 44) | 0x80456).x(7, 0);
    h.run(csrrw(0, SATP, 6), csrrs(8, SATP, 0), csrrw(0, SATP, 7), csrrs(9, SATP, 0));
    assertEquals((8L << 60) | (5L << 44) | 0x80456, h.x(8));
    assertEquals(0, h.x(9));
  }

  @Test
  void mstatusMppOfTwoIsIgnored() {
    h.hart.mstatus = (h.hart.mstatus & ~Hart.MSTATUS_MPP) | (1L << Hart.MSTATUS_MPP_SHIFT);
    h.x(6, 2L << Hart.MSTATUS_MPP_SHIFT).run(csrrw(0, MSTATUS, 6));
    assertEquals(1, (h.hart.mstatus & Hart.MSTATUS_MPP) >>> Hart.MSTATUS_MPP_SHIFT);
  }

  @Test
  void mstatusReportsSixtyFourBitUxlAndSxlThatWritesCannotChange() {
    h.x(6, 0).run(csrrw(0, MSTATUS, 6), csrrs(5, MSTATUS, 0));
    assertEquals(2, (h.x(5) >>> 32) & 3);
    assertEquals(2, (h.x(5) >>> 34) & 3);
  }

  @Test
  void mstatusSdSummarisesDirtyFs() {
    h.x(6, 3L << Hart.MSTATUS_FS_SHIFT).x(7, 1L << Hart.MSTATUS_FS_SHIFT);
    h.run(
        csrrw(0, MSTATUS, 6),
        csrrs(5, MSTATUS, 0),
        csrrs(8, SSTATUS, 0),
        csrrw(0, MSTATUS, 7),
        csrrs(9, MSTATUS, 0));
    assertTrue(h.x(5) < 0);
    assertTrue(h.x(8) < 0);
    assertTrue(h.x(9) >= 0);
  }

  @Test
  void sstatusHidesAndProtectsMachineFields() {
    h.hart.mstatus |= Hart.MSTATUS_MIE | Hart.MSTATUS_MPP | Hart.MSTATUS_TVM;
    h.x(6, 0).run(csrrs(5, SSTATUS, 0), csrrw(0, SSTATUS, 6));
    assertEquals(0, h.x(5) & (Hart.MSTATUS_MIE | Hart.MSTATUS_MPP | Hart.MSTATUS_TVM));
    assertEquals(
        Hart.MSTATUS_MIE | Hart.MSTATUS_MPP | Hart.MSTATUS_TVM,
        h.hart.mstatus & (Hart.MSTATUS_MIE | Hart.MSTATUS_MPP | Hart.MSTATUS_TVM));
  }

  @Test
  void sstatusWritesSupervisorFields() {
    long fields =
        Hart.MSTATUS_SIE
            | Hart.MSTATUS_SPIE
            | Hart.MSTATUS_SPP
            | Hart.MSTATUS_SUM
            | Hart.MSTATUS_MXR;
    h.x(6, fields).run(csrrs(0, SSTATUS, 6));
    assertEquals(fields, h.hart.mstatus & fields);
  }

  @Test
  void sieAndSipAreWindowsThroughMideleg() {
    h.hart.mideleg = Hart.MIP_SSIP | Hart.MIP_STIP;
    h.x(6, -1).run(csrrw(0, SIE, 6), csrrw(0, SIP, 6), csrrs(5, SIE, 0), csrrs(7, SIP, 0));
    assertEquals(Hart.MIP_SSIP | Hart.MIP_STIP, h.hart.mie);
    assertEquals(Hart.MIP_SSIP, h.hart.mip()); // only SSIP is writable through sip
    assertEquals(Hart.MIP_SSIP | Hart.MIP_STIP, h.x(5));
    assertEquals(Hart.MIP_SSIP, h.x(7));
  }

  @Test
  void sipHidesUndelegatedPendingBits() {
    h.hart.mipSoftware = Hart.MIP_STIP;
    h.run(csrrs(5, SIP, 0));
    assertEquals(0, h.x(5));
  }

  @Test
  void mipMachineBitsAreReadOnly() {
    h.x(6, -1).run(csrrw(0, MIP, 6));
    assertEquals(Hart.MIP_SSIP | Hart.MIP_STIP | Hart.MIP_SEIP, h.hart.mip());
  }

  @Test
  void medelegCannotDelegateEcallFromMachineMode() {
    h.x(6, -1).run(csrrw(0, MEDELEG, 6));
    assertEquals(0, h.hart.medeleg & (1L << Causes.ECALL_FROM_M));
    assertEquals(1L << Causes.ECALL_FROM_U, h.hart.medeleg & (1L << Causes.ECALL_FROM_U));
    assertEquals(1L << Causes.STORE_PAGE_FAULT, h.hart.medeleg & (1L << Causes.STORE_PAGE_FAULT));
  }

  @Test
  void midelegDelegatesOnlySupervisorInterrupts() {
    h.x(6, -1).run(csrrw(0, MIDELEG, 6));
    assertEquals(Hart.MIP_SSIP | Hart.MIP_STIP | Hart.MIP_SEIP, h.hart.mideleg);
  }

  @Test
  void epcRegistersClearBitZero() {
    h.x(6, 0x8000_0003L).run(csrrw(0, MEPC, 6), csrrw(0, SEPC, 6));
    assertEquals(0x8000_0002L, h.hart.mepc);
    assertEquals(0x8000_0002L, h.hart.sepc);
  }

  @Test
  void machineInformationRegistersReadZero() {
    h.run(csrrs(5, MVENDORID, 0), csrrs(6, MARCHID, 0), csrrs(7, MIMPID, 0), csrrs(8, MHARTID, 0));
    assertEquals(0, h.x(5) | h.x(6) | h.x(7) | h.x(8));
  }

  @Test
  void csrWriteToMieTakesEffectBeforeTheNextInstruction() {
    h.hart.mstatus |= Hart.MSTATUS_MIE;
    h.hart.mipSoftware = Hart.MIP_SSIP;
    h.x(6, Hart.MIP_SSIP).run(csrrs(0, MIE, 6), nop());
    assertEquals(CODE + 4, h.hart.mepc);
    assertEquals(Causes.INTERRUPT_BIT | Causes.IRQ_S_SOFT, h.hart.mcause);
  }
}
