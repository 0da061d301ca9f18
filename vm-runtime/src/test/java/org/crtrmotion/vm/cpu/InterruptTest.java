package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.Causes.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.S_TRAP_VECTOR;
import static org.crtrmotion.vm.cpu.CpuHarness.TRAP_VECTOR;
import static org.crtrmotion.vm.cpu.Hart.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.board.Uart16550;
import org.junit.jupiter.api.Test;

/** Interrupt priority, enabling and delegation, WFI, and the CLINT and PLIC as sources. */
class InterruptTest {
  private static final long CLINT = 0x0200_0000L;
  private static final long MTIMECMP = CLINT + 0x4000;
  private static final long MTIME = CLINT + 0xbff8;

  private final CpuHarness h = new CpuHarness();

  InterruptTest() {
    h.program(nop(), nop(), nop(), nop(), nop(), nop(), nop(), nop());
  }

  private void setMtimecmp(long ticks) {
    h.board.clint.write(0x4000, 8, ticks);
  }

  private void setMsip(boolean on) {
    h.board.clint.write(0, 4, on ? 1 : 0);
  }

  private static long interrupt(int irq) {
    return INTERRUPT_BIT | irq;
  }

  @Test
  void pendingInterruptsAreTakenInPriorityOrder() {
    h.hart.mie = MIP_MEIP | MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP;
    h.hart.mipSoftware = MIP_SEIP | MIP_SSIP | MIP_STIP;
    h.hart.setLine(IRQ_M_EXT, true);
    setMsip(true);
    setMtimecmp(0);
    List<Long> taken = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      h.hart.setPc(CODE);
      h.hart.mstatus |= MSTATUS_MIE;
      h.step(1);
      assertEquals(TRAP_VECTOR, h.hart.pc());
      taken.add(h.hart.mcause);
      switch ((int) h.hart.mcause) {
        case IRQ_M_EXT:
          h.hart.setLine(IRQ_M_EXT, false);
          break;
        case IRQ_M_SOFT:
          setMsip(false);
          break;
        case IRQ_M_TIMER:
          setMtimecmp(-1);
          break;
        default:
          h.hart.mipSoftware &= ~(1L << (int) h.hart.mcause);
          break;
      }
    }
    assertEquals(
        List.of(
            interrupt(IRQ_M_EXT),
            interrupt(IRQ_M_SOFT),
            interrupt(IRQ_M_TIMER),
            interrupt(IRQ_S_EXT),
            interrupt(IRQ_S_SOFT),
            interrupt(IRQ_S_TIMER)),
        taken);
  }

  @Test
  void interruptEntryRecordsTheNextInstructionAndZeroMtval() {
    h.hart.mtval = 77;
    h.hart.mie = MIP_MSIP;
    setMsip(true);
    h.program(nop(), csrrsi(0, CsrFile.MSTATUS, (int) MSTATUS_MIE), nop());
    h.step(3);
    assertTrue(h.trapped(interrupt(IRQ_M_SOFT)));
    assertEquals(CODE + 8, h.hart.mepc);
    assertEquals(0, h.hart.mtval);
    assertEquals(MSTATUS_MPIE, h.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE));
  }

  @Test
  void machineInterruptIsNotTakenInMachineModeWithMieClear() {
    h.hart.mie = MIP_MSIP;
    setMsip(true);
    h.step(3);
    assertEquals(CODE + 12, h.hart.pc());
  }

  @Test
  void machineInterruptIsTakenInSupervisorModeRegardlessOfMie() {
    h.hart.mie = MIP_MSIP;
    setMsip(true);
    h.enter(PRIV_S).step(1);
    assertTrue(h.trapped(interrupt(IRQ_M_SOFT)));
    assertEquals(PRIV_S, (h.hart.mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
    assertEquals(CODE, h.hart.mepc);
  }

  @Test
  void machineInterruptIsTakenInUserModeRegardlessOfMie() {
    h.hart.mie = MIP_MTIP;
    setMtimecmp(0);
    h.enter(PRIV_U).step(1);
    assertTrue(h.trapped(interrupt(IRQ_M_TIMER)));
  }

  @Test
  void interruptNotEnabledInMieStaysPending() {
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MTIP;
    setMsip(true);
    h.enter(PRIV_U).step(2);
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void delegatedInterruptIsNeverTakenInMachineMode() {
    h.hart.mstatus |= MSTATUS_MIE | MSTATUS_SIE;
    h.hart.mideleg = MIP_SSIP;
    h.hart.mie = MIP_SSIP;
    h.hart.mipSoftware = MIP_SSIP;
    h.step(2);
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void delegatedInterruptIsTakenInSupervisorModeWhenSieIsSet() {
    h.hart.mstatus |= MSTATUS_SIE;
    h.hart.mideleg = MIP_SSIP;
    h.hart.mie = MIP_SSIP;
    h.hart.mipSoftware = MIP_SSIP;
    h.enter(PRIV_S).step(1);
    assertTrue(h.trappedToS(interrupt(IRQ_S_SOFT)));
    assertEquals(CODE, h.hart.sepc);
    assertEquals(0, h.hart.stval);
    assertEquals(
        MSTATUS_SPIE | MSTATUS_SPP, h.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP));
  }

  @Test
  void delegatedInterruptWaitsInSupervisorModeWhileSieIsClear() {
    h.hart.mideleg = MIP_SSIP;
    h.hart.mie = MIP_SSIP;
    h.hart.mipSoftware = MIP_SSIP;
    h.enter(PRIV_S).step(2);
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void delegatedInterruptIsTakenInUserModeRegardlessOfSie() {
    h.hart.mideleg = MIP_STIP;
    h.hart.mie = MIP_STIP;
    h.hart.mipSoftware = MIP_STIP;
    h.enter(PRIV_U).step(1);
    assertTrue(h.trappedToS(interrupt(IRQ_S_TIMER)));
    assertEquals(0, h.hart.mstatus & MSTATUS_SPP);
  }

  @Test
  void undelegatedSupervisorInterruptGoesToMachineMode() {
    h.hart.mie = MIP_SSIP;
    h.hart.mipSoftware = MIP_SSIP;
    h.enter(PRIV_S).step(1);
    assertTrue(h.trapped(interrupt(IRQ_S_SOFT)));
  }

  @Test
  void machineInterruptPreemptsAPendingDelegatedOne() {
    h.hart.mstatus |= MSTATUS_SIE;
    h.hart.mideleg = MIP_SEIP;
    h.hart.mie = MIP_SEIP | MIP_MTIP;
    h.hart.mipSoftware = MIP_SEIP;
    setMtimecmp(0);
    h.enter(PRIV_S).step(1);
    assertTrue(h.trapped(interrupt(IRQ_M_TIMER)));
  }

  @Test
  void vectoredMtvecSendsInterruptsToBasePlusFourTimesCause() {
    h.hart.mtvec = TRAP_VECTOR | 1;
    h.hart.mie = MIP_MTIP;
    setMtimecmp(0);
    h.enter(PRIV_U).step(1);
    assertEquals(TRAP_VECTOR + 4 * IRQ_M_TIMER, h.hart.pc());
    assertEquals(interrupt(IRQ_M_TIMER), h.hart.mcause);
  }

  @Test
  void vectoredStvecSendsDelegatedInterruptsToBasePlusFourTimesCause() {
    h.hart.stvec = S_TRAP_VECTOR | 1;
    h.hart.mideleg = MIP_STIP;
    h.hart.mie = MIP_STIP;
    h.hart.mipSoftware = MIP_STIP;
    h.enter(PRIV_U).step(1);
    assertEquals(S_TRAP_VECTOR + 4 * IRQ_S_TIMER, h.hart.pc());
    assertEquals(interrupt(IRQ_S_TIMER), h.hart.scause);
  }

  @Test
  void mretIntoAModeWithAPendingInterruptTakesItAtTheReturnAddress() {
    h.hart.mie = MIP_MSIP;
    setMsip(true);
    h.hart.mepc = CODE + 0x20;
    h.hart.mstatus = (h.hart.mstatus & ~MSTATUS_MPP) | ((long) PRIV_U << MSTATUS_MPP_SHIFT);
    h.program(mret());
    h.step(2);
    assertTrue(h.trapped(interrupt(IRQ_M_SOFT)));
    assertEquals(CODE + 0x20, h.hart.mepc);
    assertEquals(PRIV_U, (h.hart.mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
  }

  // ------------------------------------------------------------------ WFI

  @Test
  void wfiWithNothingPendingStopsTheRun() {
    h.program(wfi(), nop());
    assertEquals(Interpreter.EXIT_WFI, h.step(10));
    assertEquals(CODE + 4, h.hart.pc());
    assertEquals(1, h.hart.instret());
  }

  @Test
  void wfiWakesOnAPendingButGloballyDisabledInterrupt() {
    h.hart.mie = MIP_MSIP;
    setMsip(true);
    h.program(wfi(), addi(5, 0, 1));
    assertEquals(Interpreter.EXIT_BUDGET, h.step(2));
    assertEquals(CODE + 8, h.hart.pc());
    assertEquals(1, h.x(5));
  }

  @Test
  void wfiIgnoresPendingInterruptsDisabledInMie() {
    setMsip(true);
    h.program(wfi());
    assertEquals(Interpreter.EXIT_WFI, h.step(5));
  }

  @Test
  void timerWakesWfiAfterTheClockIdlesToTheDeadline() throws InterruptedException {
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MTIP;
    setMtimecmp(500);
    h.program(wfi(), nop());
    assertEquals(Interpreter.EXIT_WFI, h.step(100));
    h.board.clock.idleUntil(500);
    h.step(1);
    assertTrue(h.trapped(interrupt(IRQ_M_TIMER)));
    assertEquals(CODE + 4, h.hart.mepc);
    assertEquals(500, h.board.clock.now());
  }

  // ------------------------------------------------------------------ CLINT and PLIC

  @Test
  void timerInterruptArrivesAtTheExactInstructionCountOfTheDeadline() {
    // mtimecmp = 100 ticks = 1000 instructions at ten per tick
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MTIP;
    h.place(TRAP_VECTOR, csrrs(7, CsrFile.MINSTRET, 0), jal(0, 0));
    h.program(lui(5, (int) (MTIMECMP >>> 12)), addi(6, 0, 100), sd(6, 5, 0), jal(0, 0));
    h.step(5000);
    assertEquals(interrupt(IRQ_M_TIMER), h.hart.mcause);
    assertEquals(1000, h.x(7));
    assertEquals(CODE + 12, h.hart.mepc);
  }

  @Test
  void rearmingMtimecmpFromTheHandlerDeliversTheNextTickExactly() {
    // handler: mtimecmp += 50; count in x9; mret
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MTIP;
    setMtimecmp(50);
    h.x(5, MTIMECMP);
    h.place(TRAP_VECTOR, ld(6, 5, 0), addi(6, 6, 50), sd(6, 5, 0), addi(9, 9, 1), mret());
    h.program(jal(0, 0));
    h.step(5000 - 1); // just before the tenth tick at 500 ticks = 5000 instructions
    assertEquals(9, h.x(9));
    h.step(7);
    assertEquals(10, h.x(9));
  }

  @Test
  void movingMtimecmpIntoTheFutureDropsTheTimerLine() {
    setMtimecmp(0);
    h.step(1);
    assertEquals(MIP_MTIP, h.hart.mip() & MIP_MTIP);
    h.x(5, MTIMECMP).x(6, -1).program(sd(6, 5, 0));
    h.hart.setPc(CODE);
    h.step(1);
    assertEquals(0, h.hart.mip() & MIP_MTIP);
  }

  @Test
  void storeToMsipRaisesTheSoftwareInterruptAtOnce() {
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MSIP;
    h.program(lui(5, (int) (CLINT >>> 12)), addi(6, 0, 1), sw(6, 5, 0), nop());
    h.step(4);
    assertTrue(h.trapped(interrupt(IRQ_M_SOFT)));
    assertEquals(CODE + 12, h.hart.mepc);
  }

  @Test
  void mtimeReadsTheInstructionCountInTicks() {
    h.x(5, MTIME)
        .program(
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            nop(),
            ld(6, 5, 0),
            lw(7, 5, 4));
    h.step(14);
    assertEquals(1, h.x(6));
    assertEquals(0, h.x(7));
  }

  @Test
  void writingMtimeMovesTheTimeCsr() {
    h.x(5, MTIME).x(6, 1_000_000);
    h.run(sd(6, 5, 0), csrrs(7, CsrFile.TIME, 0));
    assertEquals(1_000_000, h.x(7));
  }

  @Test
  void uartInterruptReachesMachineModeThroughThePlic() {
    h.board.plic.write(4 * Uart16550.IRQ, 4, 1); // priority
    h.board.plic.write(0x2000, 4, 1 << Uart16550.IRQ); // enable for context 0 (M)
    h.hart.mstatus |= MSTATUS_MIE;
    h.hart.mie = MIP_MEIP;
    h.x(5, 0x1000_0000L).x(6, 2).x(7, 0x0c20_0004L);
    h.program(sb(6, 5, 1), nop());
    h.step(2);
    assertTrue(h.trapped(interrupt(IRQ_M_EXT)));
    assertEquals(CODE + 4, h.hart.mepc);
    h.hart.setPc(CODE + 8);
    h.place(CODE + 8, lw(8, 7, 0));
    h.step(1);
    assertEquals(Uart16550.IRQ, h.x(8));
  }

  @Test
  void plicSupervisorContextRaisesSeipForTheSupervisor() {
    h.board.plic.write(4 * Uart16550.IRQ, 4, 1);
    h.board.plic.write(0x2080, 4, 1 << Uart16550.IRQ); // context 1 (S)
    h.board.uart.write(1, 1, 2); // THR-empty interrupt enabled
    h.hart.mideleg = MIP_SEIP;
    h.hart.mie = MIP_SEIP;
    h.hart.mstatus |= MSTATUS_SIE;
    h.enter(PRIV_S).step(1);
    assertTrue(h.trappedToS(interrupt(IRQ_S_EXT)));
  }
}
