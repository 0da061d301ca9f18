package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.crtrmotion.vm.cpu.CpuHarness.RAM_BASE;
import static org.crtrmotion.vm.cpu.PageTables.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Code written after it was decoded: the decode cache must never run stale instructions, whatever
 * wrote them (plain, misaligned and atomic stores, virtual aliases, the host) and wherever.
 */
class SelfModifyingCodeTest {
  private final CpuHarness h = new CpuHarness();

  @Test
  void storeOverwritingALaterInstructionInTheSamePageIsSeen() {
    h.x(10, CODE).x(6, addi(5, 0, 42));
    h.program(sw(6, 10, 12), nop(), nop(), addi(5, 0, 1));
    h.step(4);
    assertEquals(42, h.x(5));
  }

  @Test
  void storeOverwritingTheVeryNextInstructionIsSeen() {
    h.x(10, CODE).x(6, addi(5, 0, 42));
    h.program(sw(6, 10, 4), addi(5, 0, 1));
    h.step(2);
    assertEquals(42, h.x(5));
  }

  @Test
  void instructionChangedAfterItRanRunsInItsNewForm() {
    // loop body: x5 += 1 the first time; the store turns it into x5 += 100 for the second pass
    h.x(10, CODE).x(6, addi(5, 5, 100)).x(7, 2);
    h.program(addi(5, 5, 1), sw(6, 10, 0), addi(7, 7, -1), bne(7, 0, -12));
    h.step(8);
    assertEquals(101, h.x(5));
  }

  @Test
  void compressedParcelReplacedByAWordIsSeen() {
    h.x(10, CODE).x(6, addi(5, 0, 9));
    h.program(sw(6, 10, 8), nop());
    h.placeHalves(CODE + 8, cLi(5, 1), cNop());
    h.step(3);
    assertEquals(9, h.x(5));
    assertEquals(CODE + 12, h.hart.pc());
  }

  @Test
  void storeFromAnotherPageIntoCodeThatRanBeforeIsSeen() {
    long other = CODE + 0x3000;
    h.place(other, addi(5, 0, 1), jalr(0, 1, 0));
    h.x(10, other).x(6, addi(5, 0, 2));
    h.program(jalr(1, 10, 0), sw(6, 10, 0), jalr(1, 10, 0));
    h.step(7);
    assertEquals(2, h.x(5));
    assertEquals(CODE + 12, h.hart.pc());
  }

  @Test
  void pageUsedForDataThenCodeThenWrittenAgainRunsTheNewCode() {
    long page = DATA + 0x3000;
    h.x(10, page).x(6, addi(5, 0, 1)).x(7, jalr(0, 1, 0)).x(8, addi(5, 0, 2));
    h.program(
        sd(0, 10, 8), // makes the page a written data page first
        sw(6, 10, 0),
        sw(7, 10, 4),
        jalr(1, 10, 0),
        sw(8, 10, 0),
        jalr(1, 10, 0),
        jal(0, 0));
    h.step(10);
    assertEquals(2, h.x(5));
    assertEquals(CODE + 24, h.hart.pc());
  }

  @Test
  void codeWrittenByAnAmoIsSeen() {
    h.x(10, CODE + 8).x(6, addi(5, 0, 3));
    h.program(amo(AMO_SWAP, false, 0, 10, 6), nop(), addi(5, 0, 1));
    h.step(3);
    assertEquals(3, h.x(5));
  }

  @Test
  void codeWrittenByAStoreConditionalIsSeen() {
    h.x(10, CODE + 12).x(6, addi(5, 0, 4));
    h.program(amo(LR, false, 7, 10, 0), amo(SC, false, 8, 10, 6), nop(), addi(5, 0, 1));
    h.step(4);
    assertEquals(0, h.x(8));
    assertEquals(4, h.x(5));
  }

  @Test
  void codeWrittenByAMisalignedStoreAcrossPagesIsSeen() {
    // the store's second half lands on the first instruction of the next page
    long target = CODE + 0x1000;
    h.place(target, addi(5, 0, 1), jal(0, 0));
    h.x(10, target - 4).x(6, ((long) addi(5, 0, 5) << 32));
    h.x(11, target);
    h.program(jalr(1, 11, 0));
    h.step(2);
    assertEquals(1, h.x(5));
    h.hart.setPc(CODE + 4);
    h.place(CODE + 4, sd(6, 10, 0), jalr(1, 11, 0));
    h.step(3);
    assertEquals(5, h.x(5));
  }

  @Test
  void secondHalfOfAStraddlingInstructionChangedAfterItRanIsSeen() {
    int first = addi(5, 0, 1), second = addi(5, 0, 0x7ff);
    h.placeHalves(CODE + 0xffe, first & 0xffff, first >>> 16);
    h.place(CODE + 0x1002, jal(0, 0));
    h.hart.setPc(CODE + 0xffe);
    h.step(1);
    assertEquals(1, h.x(5));
    // only the upper parcel differs between the two instructions
    assertEquals(first & 0xffff, second & 0xffff);
    h.x(10, CODE + 0x1000).x(6, second >>> 16);
    h.place(CODE, sh(6, 10, 0), jal(0, 0xffe - 4));
    h.hart.setPc(CODE);
    h.step(3);
    assertEquals(0x7ff, h.x(5));
  }

  @Test
  void codeWrittenThroughAVirtualAliasIsSeen() {
    PageTables pt = new PageTables(h, RAM_BASE + 0x40_0000);
    long vcode = 0x4000_0000L, alias = 0x5000_0000L;
    pt.map4k(vcode, CODE, R | X | A).map4k(alias, CODE, R | W | A | D);
    h.hart.satp = pt.satp();
    h.x(10, alias).x(6, addi(5, 0, 6));
    h.program(sw(6, 10, 8), nop(), addi(5, 0, 1));
    h.hart.setPc(vcode);
    h.enter(Hart.PRIV_S).step(3);
    assertEquals(6, h.x(5));
  }

  @Test
  void codeWrittenByTheHostBetweenRunsIsSeen() {
    h.program(addi(5, 0, 1));
    h.step(1);
    h.hart.setPc(CODE);
    h.program(addi(5, 0, 2));
    h.step(1);
    assertEquals(2, h.x(5));
  }

  @Test
  void fenceIBeforeJumpingToFreshlyWrittenCodeRunsIt() {
    long other = CODE + 0x3000;
    h.x(10, other).x(6, addi(5, 0, 8)).x(7, jal(0, 0));
    h.program(sw(6, 10, 0), sw(7, 10, 4), fenceI(), jalr(0, 10, 0));
    h.step(6);
    assertEquals(8, h.x(5));
    assertEquals(other + 4, h.hart.pc());
  }

  @Test
  void fenceIInTheMiddleOfALoopKeepsExecutionCorrect() {
    h.x(7, 5);
    h.program(addi(5, 5, 1), fenceI(), addi(7, 7, -1), bne(7, 0, -12), addi(6, 0, 1));
    h.step(21);
    assertEquals(5, h.x(5));
    assertEquals(1, h.x(6));
  }

  @Test
  void codeRewrittenByMachineModeBetweenSupervisorRunsIsSeen() {
    // M writes the page first (a cached M-mode write translation), S runs it, M rewrites it
    PageTables pt = new PageTables(h, RAM_BASE + 0x40_0000);
    long page = DATA + 0x5000, vpage = 0x5000_0000L;
    pt.map4k(vpage, page, R | X | A);
    h.hart.satp = pt.satp();
    h.hart.mepc = vpage;
    h.hart.mstatus |= (long) Hart.PRIV_S << Hart.MSTATUS_MPP_SHIFT;
    h.x(10, page).x(6, addi(5, 0, 1)).x(7, ecall()).x(8, addi(5, 0, 2));
    h.program(sd(0, 10, 8), sw(6, 10, 0), sw(7, 10, 4), mret());
    h.place(CpuHarness.TRAP_VECTOR, sw(8, 10, 0), mret());
    h.step(4 + 2); // M writes and returns, S runs addi x5, 1 and traps, M rewrites the addi
    assertEquals(1, h.x(5));
    h.hart.mepc = vpage;
    h.step(2 + 1); // M returns, S runs the new addi
    assertEquals(2, h.x(5));
  }
}
