package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RVC parcels executed by the interpreter, alone and mixed with 32-bit instructions. */
class CompressedExecutionTest {
  private final CpuHarness h = new CpuHarness();

  private void runHalves(int... parcels) {
    h.placeHalves(CODE, parcels);
    h.step(parcels.length);
  }

  /** The two parcels of a 32-bit instruction, low half first. */
  private static int[] halves(int word) {
    return new int[] {word & 0xffff, word >>> 16};
  }

  @Test
  void parcelAdvancesPcByTwo() {
    runHalves(cAddi(5, 3));
    assertEquals(3, h.x(5));
    assertEquals(CODE + 2, h.hart.pc());
  }

  @Test
  void parcelsAndWordsMixAtTwoByteAlignment() {
    int[] word = halves(addi(5, 5, 0x100));
    h.placeHalves(CODE, cLi(5, 1), word[0], word[1], cAddi(5, 4), cSlli(5, 1));
    h.step(4);
    assertEquals((1 + 0x100 + 4) << 1, h.x(5));
    assertEquals(CODE + 10, h.hart.pc());
  }

  @Test
  void cJalrLinksPcPlusTwo() {
    h.x(6, CODE + 0x40);
    h.placeHalves(CODE, cNop(), cJalr(6));
    h.step(2);
    assertEquals(CODE + 4, h.x(1));
    assertEquals(CODE + 0x40, h.hart.pc());
  }

  @Test
  void cJrJumpsWithoutLinking() {
    h.x(6, CODE + 0x40).x(1, 99);
    runHalves(cJr(6));
    assertEquals(99, h.x(1));
    assertEquals(CODE + 0x40, h.hart.pc());
  }

  @Test
  void cJIsRelativeToTheParcelsOwnPc() {
    runHalves(cNop(), cJ(-2));
    assertEquals(CODE, h.hart.pc());
  }

  @Test
  void cJForwardAcrossAPage() {
    h.placeHalves(CODE + 0xffe, cJ(0x402));
    h.hart.setPc(CODE + 0xffe);
    h.step(1);
    assertEquals(CODE + 0x1400, h.hart.pc());
  }

  @Test
  void cBeqzBranchesOnZeroOnly() {
    h.x(8, 0);
    runHalves(cBeqz(8, 0x20));
    assertEquals(CODE + 0x20, h.hart.pc());
    h.hart.setPc(CODE);
    h.x(8, 1).step(1);
    assertEquals(CODE + 2, h.hart.pc());
  }

  @Test
  void cBnezBranchesBackwards() {
    h.x(9, 3);
    h.placeHalves(CODE, cAddi(9, -1), cBnez(9, -2), cLi(5, 1));
    h.step(7);
    assertEquals(0, h.x(9));
    assertEquals(1, h.x(5));
  }

  @Test
  void cLuiSignExtendsBit17() {
    runHalves(cLui(5, 0xfffe0), cLui(6, 0x1f));
    assertEquals(0xffff_ffff_fffe_0000L, h.x(5));
    assertEquals(0x1_f000L, h.x(6));
  }

  @Test
  void cAddiwSignExtendsTheWordResult() {
    h.x(5, 0x7fff_ffffL);
    runHalves(cAddiw(5, 1));
    assertEquals(0xffff_ffff_8000_0000L, h.x(5));
  }

  @Test
  void cMvAndCAddUseFullRegisters() {
    h.x(6, 0x1_0000_0000L);
    runHalves(cMv(5, 6), cAdd(5, 6));
    assertEquals(0x2_0000_0000L, h.x(5));
  }

  @Test
  void compressedLoadsAndStoresReachMemory() {
    h.writeLong(DATA + 8, 0x8000_0000_ffff_fffeL);
    h.x(10, DATA).x(11, 0x55);
    runHalves(cLd(8, 10, 8), cLw(9, 10, 8), cSd(11, 10, 16), cSw(11, 10, 24));
    assertEquals(0x8000_0000_ffff_fffeL, h.x(8));
    assertEquals(-2, h.x(9));
    assertEquals(0x55, h.readLong(DATA + 16));
    assertEquals(0x55, h.readLong(DATA + 24));
  }

  @Test
  void stackPointerRelativeParcelsUseX2() {
    h.x(2, DATA).x(6, 77);
    runHalves(cSdsp(6, 496), cLdsp(5, 496));
    assertEquals(77, h.readLong(DATA + 496));
    assertEquals(77, h.x(5));
  }

  @Test
  void cEbreakRaisesBreakpointAtTheParcel() {
    runHalves(cNop(), cEbreak());
    assertTrue(h.trapped(Causes.BREAKPOINT));
    assertEquals(CODE + 2, h.hart.mepc);
  }

  @Test
  void reservedParcelRaisesIllegalWithTheParcelBits() {
    int cLwspX0 = 0x4002; // c.lwsp with rd = x0 is reserved
    runHalves(cLwspX0);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0x4002, h.hart.mtval);
    assertEquals(CODE, h.hart.mepc);
  }

  @Test
  void cLdspIntoX0IsReserved() {
    runHalves(0x6002);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0x6002, h.hart.mtval);
  }

  @Test
  void compressedFpLoadWithFpOffRaisesIllegalWithTheParcelBits() {
    h.hart.mstatus &= ~Hart.MSTATUS_FS;
    h.x(10, DATA);
    int parcel = cFld(8, 10, 0);
    runHalves(parcel);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(parcel, h.hart.mtval);
  }

  @Test
  void compressedLoadFaultReportsTheParcelsPc() {
    h.x(10, 0x4000_0000L);
    runHalves(cNop(), cLw(8, 10, 4));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(CODE + 2, h.hart.mepc);
    assertEquals(0x4000_0004L, h.hart.mtval);
  }

  @Test
  void wordStraddlingAPageBoundaryExecutes() {
    int[] word = halves(addi(5, 0, 0x321));
    h.placeHalves(CODE + 0xffc, cNop(), word[0], word[1], cLi(6, 1));
    h.hart.setPc(CODE + 0xffc);
    h.step(3);
    assertEquals(0x321, h.x(5));
    assertEquals(1, h.x(6));
    assertEquals(CODE + 0x1004, h.hart.pc());
  }

  @Test
  void straddlingIllegalWordReportsAllItsBits() {
    h.placeHalves(CODE + 0xffe, 0xffff, 0xffff);
    h.hart.setPc(CODE + 0xffe);
    h.step(1);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(0xffff_ffffL, h.hart.mtval);
    assertEquals(CODE + 0xffe, h.hart.mepc);
  }

  @Test
  void straddlingWordIntoTheEndOfRamRaisesFetchAccessFault() {
    long end = CpuHarness.RAM_BASE + h.ram().size();
    int[] word = halves(addi(5, 0, 1));
    h.placeHalves(end - 2, word[0]);
    h.hart.setPc(end - 2);
    h.step(1);
    assertTrue(h.trapped(Causes.FETCH_ACCESS));
    assertEquals(end, h.hart.mtval);
    assertEquals(end - 2, h.hart.mepc);
  }

  @Test
  void jumpIntoTheUpperHalfOfAWordExecutesTheParcelThere() {
    // addi x0, x?, imm whose upper half is the parcel c.li x5, 7
    int word = (cLi(5, 7) << 16) | 0x0013;
    h.program(word, jal(0, 0));
    h.step(1);
    assertEquals(0, h.x(5));
    h.hart.setPc(CODE + 2);
    h.step(1);
    assertEquals(7, h.x(5));
    assertEquals(CODE + 4, h.hart.pc());
  }
}
