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
 * Sv39 translation from S- and U-mode (and M-mode through MPRV): page sizes, permission checks,
 * hardware A/D updates, faults and their tval, and when changes to the tables become visible.
 */
class Sv39Test {
  static final long VCODE = 0x4000_0000L; // -> CODE
  static final long VDATA = 0x4010_0000L; // -> DATA
  static final long VSTVEC = 0x4020_0000L; // -> S_TRAP_VECTOR
  static final long TABLES = RAM_BASE + 0x40_0000;

  private final CpuHarness h = new CpuHarness();
  private final PageTables pt = new PageTables(h, TABLES);

  Sv39Test() {
    pt.map4k(VCODE, CODE, R | X | A);
    pt.map4k(VCODE + 0x1000, CODE + 0x1000, R | X | A);
    pt.map4k(VDATA, DATA, R | W | A | D);
    pt.map4k(VSTVEC, S_TRAP_VECTOR, R | X | A);
    h.hart.satp = pt.satp();
    h.hart.stvec = VSTVEC;
  }

  /** Runs {@code words} from VCODE in {@code priv}. */
  private void runAt(int priv, int... words) {
    h.place(CODE, words);
    h.hart.setPc(VCODE);
    h.enter(priv);
    h.step(words.length);
  }

  private void assertFault(int cause, long tval) {
    assertTrue(
        h.trapped(cause),
        () -> "mcause " + h.hart.mcause + " pc 0x" + Long.toHexString(h.hart.pc()));
    assertEquals(tval, h.hart.mtval);
  }

  // ------------------------------------------------------------------ translation

  @Test
  void loadAndStoreTranslateThroughA4KiBPage() {
    h.writeLong(DATA + 8, 0x1234);
    h.x(10, VDATA).x(6, 0x5678);
    runAt(PRIV_S, ld(5, 10, 8), sd(6, 10, 16));
    assertEquals(0x1234, h.x(5));
    assertEquals(0x5678, h.readLong(DATA + 16));
    assertEquals(VCODE + 8, h.hart.pc());
  }

  @Test
  void megapageTranslatesTheLow21Bits() {
    long va = 0x6000_0000L;
    pt.map(va, RAM_BASE + 0x20_0000, R | W | A | D, 1); // DATA is 2 MiB aligned
    h.writeLong(DATA + 0x1_2340, 99);
    h.x(10, va + 0x1_2340);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(99, h.x(5));
  }

  @Test
  void gigapageTranslatesTheLow30Bits() {
    long va = 0x40_0000_0000L - 0x4000_0000L; // the last gigabyte below the canonical hole
    pt.map(va, RAM_BASE, R | W | A | D, 2);
    h.writeLong(DATA + 0x40, 77);
    h.x(10, va + (DATA - RAM_BASE) + 0x40);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(77, h.x(5));
  }

  @Test
  void negativeCanonicalAddressesTranslate() {
    long va = 0xffff_ffc0_0000_0000L; // first gigabyte of the upper half, like Linux's kernel map
    pt.map(va, RAM_BASE, R | W | A | D, 2);
    h.writeLong(DATA, 55);
    h.x(10, va + (DATA - RAM_BASE));
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(55, h.x(5));
  }

  @Test
  void instructionStraddlingTwoVirtualPagesJoinsTheirPhysicalPages() {
    long first = CODE + 0x5000, second = CODE + 0x9000; // not adjacent in physical memory
    pt.map4k(0x5000_0000L, first, R | X | A).map4k(0x5000_1000L, second, R | X | A);
    int insn = addi(5, 0, 0x123);
    h.placeHalves(first + 0xffc, 0x0001, insn & 0xffff);
    h.placeHalves(second, insn >>> 16);
    h.hart.setPc(0x5000_0ffcL);
    h.enter(PRIV_S).step(2);
    assertEquals(0x123, h.x(5));
    assertEquals(0x5000_1002L, h.hart.pc());
  }

  @Test
  void bareSatpInSupervisorModeDoesNotTranslate() {
    h.hart.satp = 0;
    h.writeLong(DATA, 31);
    h.x(10, DATA);
    h.hart.setPc(CODE);
    h.place(CODE, ld(5, 10, 0));
    h.enter(PRIV_S).step(1);
    assertEquals(31, h.x(5));
  }

  @Test
  void leafPointingAtMmioReachesTheDevice() {
    pt.map4k(0x7000_0000L, 0x1000_0000L, R | W | A | D);
    h.x(10, 0x7000_0000L).x(6, 'Z');
    runAt(PRIV_S, sb(6, 10, 0));
    assertEquals("Z", h.console.toString());
  }

  // ------------------------------------------------------------------ A and D

  @Test
  void loadSetsTheAccessedBitButNotDirty() {
    pt.map4k(0x7000_0000L, DATA, R | W);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(V | R | W | A, pt.readPte(0x7000_0000L, 0) & 0xff);
  }

  @Test
  void storeSetsAccessedAndDirtyBits() {
    pt.map4k(0x7000_0000L, DATA, R | W);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertEquals(V | R | W | A | D, pt.readPte(0x7000_0000L, 0) & 0xff);
  }

  @Test
  void storeAfterALoadToTheSamePageStillSetsDirty() {
    pt.map4k(0x7000_0000L, DATA, R | W);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0), sd(0, 10, 8));
    assertEquals(A | D, pt.readPte(0x7000_0000L, 0) & (A | D));
  }

  @Test
  void fetchSetsTheAccessedBit() {
    pt.map4k(VCODE, CODE, R | X);
    runAt(PRIV_S, nop());
    assertEquals(A, pt.readPte(VCODE, 0) & (A | D));
  }

  @Test
  void amoSetsAccessedAndDirtyBits() {
    pt.map4k(0x7000_0000L, DATA, R | W);
    h.x(10, 0x7000_0000L).x(6, 1);
    runAt(PRIV_S, amo(AMO_ADD, true, 5, 10, 6));
    assertEquals(A | D, pt.readPte(0x7000_0000L, 0) & (A | D));
    assertEquals(1, h.readLong(DATA));
  }

  @Test
  void superpageLeafGetsItsAccessedAndDirtyBits() {
    pt.map(0x6000_0000L, RAM_BASE + 0x20_0000, R | W, 1);
    h.x(10, 0x6000_0000L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertEquals(A | D, pt.readPte(0x6000_0000L, 1) & (A | D));
  }

  // ------------------------------------------------------------------ page faults

  @Test
  void invalidPteRaisesLoadPageFaultWithTheAddress() {
    h.x(10, 0x7000_0123L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0123L);
    assertEquals(VCODE, h.hart.mepc);
  }

  @Test
  void invalidPteRaisesStorePageFaultForStores() {
    h.x(10, 0x7000_0008L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, 0x7000_0008L);
  }

  @Test
  void writableButNotReadablePteIsReserved() {
    pt.map4k(0x7000_0000L, DATA, W | A | D);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void writableButNotReadablePteFaultsLoadsToo() {
    pt.map4k(0x7000_0000L, DATA, W | X | A | D);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void storeToReadOnlyPageFaultsAndWritesNothing() {
    pt.map4k(0x7000_0000L, DATA, R | A);
    h.writeLong(DATA, 5);
    h.x(10, 0x7000_0000L).x(6, 9);
    runAt(PRIV_S, sd(6, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, 0x7000_0000L);
    assertEquals(5, h.readLong(DATA));
    assertEquals(0, pt.readPte(0x7000_0000L, 0) & D);
  }

  @Test
  void amoToReadOnlyPageRaisesStorePageFault() {
    pt.map4k(0x7000_0000L, DATA, R | A);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, amo(AMO_SWAP, false, 5, 10, 6));
    assertFault(Causes.STORE_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void lrFromUnmappedPageRaisesLoadPageFault() {
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, amo(LR, true, 5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void userPageFromSupervisorWithoutSumFaults() {
    pt.map4k(0x7000_0000L, DATA, R | W | U | A | D);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void userPageFromSupervisorWithSumIsAccessible() {
    pt.map4k(0x7000_0000L, DATA, R | W | U | A | D);
    h.writeLong(DATA, 3);
    h.hart.mstatus |= MSTATUS_SUM;
    h.x(10, 0x7000_0000L).x(6, 4);
    runAt(PRIV_S, ld(5, 10, 0), sd(6, 10, 8));
    assertEquals(3, h.x(5));
    assertEquals(4, h.readLong(DATA + 8));
  }

  @Test
  void supervisorNeverExecutesFromAUserPageEvenWithSum() {
    pt.map4k(VCODE, CODE, R | X | U | A);
    h.hart.mstatus |= MSTATUS_SUM;
    runAt(PRIV_S, nop());
    assertFault(Causes.FETCH_PAGE_FAULT, VCODE);
    assertEquals(VCODE, h.hart.mepc);
  }

  @Test
  void supervisorPageFromUserFaults() {
    pt.map4k(VCODE, CODE, R | X | U | A);
    h.x(10, VDATA);
    runAt(PRIV_U, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, VDATA);
  }

  @Test
  void userExecutesFromUserPageButNotFromSupervisorPage() {
    pt.map4k(VCODE, CODE, R | X | U | A);
    h.x(6, VSTVEC);
    runAt(PRIV_U, addi(5, 0, 1), jalr(0, 6, 0));
    h.step(1);
    assertEquals(1, h.x(5));
    assertFault(Causes.FETCH_PAGE_FAULT, VSTVEC);
  }

  @Test
  void executeWithoutXRaisesFetchPageFault() {
    h.x(6, VDATA);
    runAt(PRIV_S, jalr(1, 6, 0));
    h.step(1);
    assertFault(Causes.FETCH_PAGE_FAULT, VDATA);
    assertEquals(VDATA, h.hart.mepc);
    assertEquals(VCODE + 4, h.x(1));
  }

  @Test
  void loadFromExecuteOnlyPageFaultsWithoutMxr() {
    pt.map4k(0x7000_0000L, DATA, X | A);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void mxrLetsLoadsReadExecuteOnlyPages() {
    pt.map4k(0x7000_0000L, DATA, X | A);
    h.writeLong(DATA, 42);
    h.hart.mstatus |= MSTATUS_MXR;
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(42, h.x(5));
  }

  @Test
  void mxrDoesNotMakeExecuteOnlyPagesWritable() {
    pt.map4k(0x7000_0000L, DATA, X | A | D);
    h.hart.mstatus |= MSTATUS_MXR;
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void settingMxrThroughSstatusTakesEffectForTheNextLoad() {
    pt.map4k(0x7000_0000L, DATA, X | A);
    h.writeLong(DATA, 42);
    h.x(10, 0x7000_0000L).x(6, MSTATUS_MXR);
    runAt(PRIV_S, csrrs(0, CsrFile.SSTATUS, 6), ld(5, 10, 0));
    assertEquals(42, h.x(5));
  }

  @Test
  void clearingSumTakesEffectWithoutSfence() {
    pt.map4k(0x7000_0000L, DATA, R | W | U | A | D);
    h.hart.mstatus |= MSTATUS_SUM;
    h.x(10, 0x7000_0000L).x(6, MSTATUS_SUM);
    runAt(PRIV_S, ld(5, 10, 0), csrrc(0, CsrFile.SSTATUS, 6), ld(7, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
    assertEquals(VCODE + 8, h.hart.mepc);
  }

  @Test
  void misalignedMegapageRaisesPageFault() {
    pt.map(0x6000_0000L, RAM_BASE + 0x20_1000, R | W | A | D, 1);
    h.x(10, 0x6000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x6000_0000L);
  }

  @Test
  void misalignedGigapageRaisesPageFault() {
    pt.map(0x20_0000_0000L, RAM_BASE + 0x20_0000, R | W | A | D, 2);
    h.x(10, 0x20_0000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x20_0000_0000L);
  }

  @Test
  void nonCanonicalAddressRaisesPageFault() {
    long va = 0x0000_0040_0000_0000L; // bit 39 set, bit 38 clear
    h.x(10, va);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, va);
  }

  @Test
  void nonCanonicalStoreAddressRaisesStorePageFault() {
    long va = 0xffff_ff00_0000_0000L; // upper bits set, bit 38 clear
    h.x(10, va);
    runAt(PRIV_S, sd(0, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, va);
  }

  @Test
  void reservedPteBitsRaisePageFault() {
    pt.setPte(0x7000_0000L, 0, pte(DATA, V | R | W | A | D) | (1L << 54));
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void svnapotBitWithoutSvnapotRaisesPageFault() {
    pt.setPte(0x7000_0000L, 0, pte(DATA, V | R | W | A | D) | (1L << 63));
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void pointerPteAtTheLastLevelRaisesPageFault() {
    pt.setPte(0x7000_0000L, 0, pte(DATA, V));
    h.x(10, 0x7000_0000L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, 0x7000_0000L);
  }

  @Test
  void pageTablePointerOutsideRamRaisesAccessFault() {
    long va = 0x30_0000_0000L;
    h.writeLong(pt.root + 8L * PageTables.vpn(va, 2), pte(0x4000_0000L, V));
    h.x(10, va);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_ACCESS, va);
  }

  @Test
  void rootTableOutsideRamRaisesFetchAccessFault() {
    h.hart.satp = (8L << 60) | (0x4000_0000L >>> 12);
    runAt(PRIV_S, nop());
    assertFault(Causes.FETCH_ACCESS, VCODE);
  }

  @Test
  void leafPointingOutsideRamAndDevicesRaisesAccessFault() {
    pt.map4k(0x7000_0000L, 0x4000_0000L, R | W | A | D);
    h.x(10, 0x7000_0008L);
    runAt(PRIV_S, sd(0, 10, 0));
    assertFault(Causes.STORE_ACCESS, 0x7000_0008L);
  }

  @Test
  void instructionStraddlingIntoAnUnmappedPageFaultsOnTheSecondPage() {
    int insn = addi(5, 0, 1);
    h.placeHalves(CODE + 0xffe, insn & 0xffff);
    pt.setPte(VCODE + 0x1000, 0, 0);
    h.hart.setPc(VCODE + 0xffe);
    h.enter(PRIV_S).step(1);
    assertFault(Causes.FETCH_PAGE_FAULT, VCODE + 0x1000);
    assertEquals(VCODE + 0xffe, h.hart.mepc);
    assertEquals(0, h.x(5));
  }

  @Test
  void misalignedLoadStraddlingIntoAnUnmappedPageFaultsAtTheSecondPage() {
    h.x(10, VDATA + 0xffc).x(5, 7);
    runAt(PRIV_S, ld(5, 10, 0));
    assertFault(Causes.LOAD_PAGE_FAULT, VDATA + 0x1000);
    assertEquals(7, h.x(5));
  }

  @Test
  void misalignedStoreStraddlingIntoAReadOnlyPageWritesNeitherPage() {
    pt.map4k(VDATA + 0x1000, DATA + 0x1000, R | A);
    h.writeLong(DATA + 0xff8, 1).writeLong(DATA + 0x1000, 2);
    h.x(10, VDATA + 0xffc).x(6, -1);
    runAt(PRIV_S, sd(6, 10, 0));
    assertFault(Causes.STORE_PAGE_FAULT, VDATA + 0x1000);
    assertEquals(1, h.readLong(DATA + 0xff8));
    assertEquals(2, h.readLong(DATA + 0x1000));
  }

  @Test
  void delegatedPageFaultReportsTheAddressInStval() {
    h.hart.medeleg = 1L << Causes.LOAD_PAGE_FAULT;
    h.x(10, 0x7000_0040L);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(VSTVEC, h.hart.pc());
    assertEquals(Causes.LOAD_PAGE_FAULT, h.hart.scause);
    assertEquals(0x7000_0040L, h.hart.stval);
    assertEquals(VCODE, h.hart.sepc);
  }

  @Test
  void machineModeIgnoresSatp() {
    h.writeLong(DATA, 8);
    h.x(10, DATA);
    h.hart.setPc(CODE);
    h.place(CODE, ld(5, 10, 0));
    h.step(1);
    assertEquals(8, h.x(5));
  }

  // ------------------------------------------------------------------ MPRV

  @Test
  void mprvTranslatesMachineLoadsAndStoresAsMpp() {
    h.hart.mstatus |= MSTATUS_MPRV | ((long) PRIV_S << MSTATUS_MPP_SHIFT);
    h.writeLong(DATA, 66);
    h.x(10, VDATA).x(6, 1);
    h.hart.setPc(CODE);
    h.run(ld(5, 10, 0), sd(6, 10, 8));
    assertEquals(66, h.x(5));
    assertEquals(1, h.readLong(DATA + 8));
  }

  @Test
  void mprvDoesNotTranslateInstructionFetch() {
    h.hart.mstatus |= MSTATUS_MPRV | ((long) PRIV_S << MSTATUS_MPP_SHIFT);
    h.hart.setPc(CODE);
    h.run(addi(5, 0, 3));
    assertEquals(3, h.x(5));
    assertEquals(CODE + 4, h.hart.pc());
  }

  @Test
  void mprvWithUserMppAppliesUserPermissions() {
    h.hart.mstatus |= MSTATUS_MPRV | ((long) PRIV_U << MSTATUS_MPP_SHIFT);
    h.x(10, VDATA);
    h.hart.setPc(CODE);
    h.run(ld(5, 10, 0));
    assertTrue(h.trapped(Causes.LOAD_PAGE_FAULT));
    assertEquals(VDATA, h.hart.mtval);
  }

  @Test
  void mprvWithMachineMppDoesNotTranslate() {
    h.hart.mstatus |= MSTATUS_MPRV | ((long) PRIV_M << MSTATUS_MPP_SHIFT);
    h.writeLong(DATA, 12);
    h.x(10, DATA);
    h.hart.setPc(CODE);
    h.run(ld(5, 10, 0));
    assertEquals(12, h.x(5));
  }

  @Test
  void clearingMprvEndsTranslationForTheNextLoad() {
    h.hart.mstatus |= MSTATUS_MPRV | ((long) PRIV_S << MSTATUS_MPP_SHIFT);
    h.writeLong(DATA, 12);
    h.x(10, DATA).x(6, MSTATUS_MPRV);
    h.hart.setPc(CODE);
    h.run(csrrc(0, CsrFile.MSTATUS, 6), ld(5, 10, 0));
    assertEquals(12, h.x(5));
  }

  // ------------------------------------------------------------------ changing the tables

  @Test
  void sfenceVmaMakesAChangedPteVisible() {
    h.writeLong(DATA, 1).writeLong(DATA + 0x1000, 2);
    h.x(10, VDATA);
    runAt(PRIV_S, ld(5, 10, 0));
    assertEquals(1, h.x(5));
    pt.map4k(VDATA, DATA + 0x1000, R | W | A | D);
    h.hart.setPc(VCODE);
    h.place(CODE, sfenceVma(0, 0), ld(6, 10, 0));
    h.step(2);
    assertEquals(2, h.x(6));
  }

  @Test
  void sfenceVmaMakesARemovedMappingFault() {
    h.x(10, VDATA);
    runAt(PRIV_S, ld(5, 10, 0));
    pt.setPte(VDATA, 0, 0);
    h.hart.setPc(VCODE);
    h.place(CODE, sfenceVma(10, 0), ld(6, 10, 0));
    h.step(2);
    assertFault(Causes.LOAD_PAGE_FAULT, VDATA);
  }

  @Test
  void satpWriteSwitchesToAnotherAddressSpace() {
    PageTables other = new PageTables(h, TABLES + 0x10_0000);
    other.map4k(VCODE, CODE, R | X | A).map4k(VDATA, DATA + 0x1000, R | W | A | D);
    h.hart.satp = pt.satp(1);
    h.writeLong(DATA, 1).writeLong(DATA + 0x1000, 2);
    h.x(10, VDATA).x(7, other.satp(2));
    runAt(PRIV_S, ld(5, 10, 0), csrrw(0, CsrFile.SATP, 7), ld(6, 10, 0));
    assertEquals(1, h.x(5));
    assertEquals(2, h.x(6));
  }

  @Test
  void satpWriteToBareEndsTranslation() {
    pt.map4k(CODE, CODE, R | X | A); // identity-mapped code keeps running across the switch
    h.writeLong(DATA, 1);
    h.x(10, DATA).x(7, 0);
    h.hart.setPc(CODE);
    h.place(CODE, csrrw(0, CsrFile.SATP, 7), ld(5, 10, 0));
    h.enter(PRIV_S).step(2);
    assertEquals(1, h.x(5));
  }

  @Test
  void userCodeSeesItsOwnMappingsOnly() {
    pt.map4k(VCODE, CODE, R | X | U | A);
    pt.map4k(0x7000_0000L, DATA, R | W | U | A | D);
    h.writeLong(DATA, 5);
    h.x(10, 0x7000_0000L);
    runAt(PRIV_U, ld(5, 10, 0), sd(5, 10, 8));
    assertEquals(5, h.x(5));
    assertEquals(5, h.readLong(DATA + 8));
  }
}
