package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The A extension: LR/SC reservations and every AMO in both widths. */
class AtomicTest {
  private static final long OLD = 0x8000_0001_ffff_fffeL; // word: negative, unsigned large
  private static final long SRC = 0x7fff_ffff_0000_0003L; // word: small positive

  private final CpuHarness h = new CpuHarness().x(10, DATA);

  private static int lrD(int rd, int rs1) {
    return amo(LR, true, rd, rs1, 0);
  }

  private static int lrW(int rd, int rs1) {
    return amo(LR, false, rd, rs1, 0);
  }

  private static int scD(int rd, int rs1, int rs2) {
    return amo(SC, true, rd, rs1, rs2);
  }

  private static int scW(int rd, int rs1, int rs2) {
    return amo(SC, false, rd, rs1, rs2);
  }

  // ------------------------------------------------------------------ LR/SC

  @Test
  void scAfterLrSucceedsAndStores() {
    h.writeLong(DATA, 5).x(7, 99);
    h.run(lrD(5, 10), scD(6, 10, 7));
    assertEquals(5, h.x(5));
    assertEquals(0, h.x(6));
    assertEquals(99, h.readLong(DATA));
  }

  @Test
  void scWithoutReservationFailsAndWritesNothing() {
    h.writeLong(DATA, 5).x(7, 99);
    h.run(scD(6, 10, 7));
    assertEquals(1, h.x(6));
    assertEquals(5, h.readLong(DATA));
  }

  @Test
  void secondScAfterASuccessfulScFails() {
    h.x(7, 1).x(8, 2);
    h.run(lrD(5, 10), scD(6, 10, 7), scD(9, 10, 8));
    assertEquals(0, h.x(6));
    assertEquals(1, h.x(9));
    assertEquals(1, h.readLong(DATA));
  }

  @Test
  void scToAnotherAddressThanTheReservationFailsAndLosesIt() {
    h.x(11, DATA + 8).x(7, 1);
    h.run(lrD(5, 10), scD(6, 11, 7), scD(8, 10, 7));
    assertEquals(1, h.x(6));
    assertEquals(1, h.x(8));
    assertEquals(0, h.readLong(DATA));
    assertEquals(0, h.readLong(DATA + 8));
  }

  @Test
  void scFailsAfterTrapClearsReservation() {
    h.x(7, 1);
    h.program(lrD(5, 10), ecall(), scD(6, 10, 7));
    h.step(2);
    assertTrue(h.trapped(Causes.ECALL_FROM_M));
    h.hart.setPc(CODE + 8);
    h.step(1);
    assertEquals(1, h.x(6));
    assertEquals(0, h.readLong(DATA));
  }

  @Test
  void scFailsAfterMretClearsReservation() {
    h.x(7, 1);
    h.hart.mepc = CODE + 8;
    h.hart.mstatus |= 3L << Hart.MSTATUS_MPP_SHIFT;
    h.run(lrD(5, 10), mret(), scD(6, 10, 7));
    assertEquals(1, h.x(6));
    assertEquals(0, h.readLong(DATA));
  }

  @Test
  void scFailsAfterSretClearsReservation() {
    h.x(7, 1);
    h.hart.sepc = CODE + 8;
    h.hart.mstatus |= Hart.MSTATUS_SPP;
    h.enter(Hart.PRIV_S);
    h.run(lrD(5, 10), sret(), scD(6, 10, 7));
    assertEquals(1, h.x(6));
    assertEquals(0, h.readLong(DATA));
  }

  @Test
  void lrWSignExtendsAndScWWritesOnlyTheWord() {
    h.writeLong(DATA, 0x1111_1111_8000_0000L).x(7, 0x2222_2222_3333_3333L);
    h.run(lrW(5, 10), scW(6, 10, 7));
    assertEquals(0xffff_ffff_8000_0000L, h.x(5));
    assertEquals(0, h.x(6));
    assertEquals(0x1111_1111_3333_3333L, h.readLong(DATA));
  }

  @Test
  void misalignedLrRaisesLoadAddressMisaligned() {
    h.x(10, DATA + 4);
    h.run(lrD(5, 10));
    assertTrue(h.trapped(Causes.MISALIGNED_LOAD));
    assertEquals(DATA + 4, h.hart.mtval);
  }

  @Test
  void lrFromMmioRaisesLoadAccessFault() {
    h.x(10, 0x1000_1000L);
    h.run(lrW(5, 10));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(0x1000_1000L, h.hart.mtval);
  }

  @Test
  void lrFromUnmappedAddressRaisesLoadAccessFault() {
    h.x(10, 0x4000_0000L);
    h.run(lrD(5, 10));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
  }

  // ------------------------------------------------------------------ AMOs

  static Stream<Arguments> amos() {
    return Stream.of(
        Arguments.of("amoswap", AMO_SWAP, (LongBinaryOperator) (a, b) -> b),
        Arguments.of("amoadd", AMO_ADD, (LongBinaryOperator) (a, b) -> a + b),
        Arguments.of("amoxor", AMO_XOR, (LongBinaryOperator) (a, b) -> a ^ b),
        Arguments.of("amoand", AMO_AND, (LongBinaryOperator) (a, b) -> a & b),
        Arguments.of("amoor", AMO_OR, (LongBinaryOperator) (a, b) -> a | b),
        Arguments.of("amomin", AMO_MIN, (LongBinaryOperator) Math::min),
        Arguments.of("amomax", AMO_MAX, (LongBinaryOperator) Math::max),
        Arguments.of(
            "amominu",
            AMO_MINU,
            (LongBinaryOperator) (a, b) -> Long.compareUnsigned(a, b) < 0 ? a : b),
        Arguments.of(
            "amomaxu",
            AMO_MAXU,
            (LongBinaryOperator) (a, b) -> Long.compareUnsigned(a, b) > 0 ? a : b));
  }

  @ParameterizedTest(name = "{0}.d")
  @MethodSource("amos")
  void doublewordAmoReturnsOldValueAndStoresResult(
      String name, int funct5, LongBinaryOperator ref) {
    long[][] cases = {{OLD, SRC}, {SRC, OLD}, {-1, 1}, {1, -1}, {Long.MIN_VALUE, Long.MAX_VALUE}};
    for (long[] c : cases) {
      h.hart.setPc(CODE);
      h.writeLong(DATA, c[0]).x(7, c[1]).run(amo(funct5, true, 5, 10, 7));
      assertEquals(c[0], h.x(5), name);
      assertEquals(ref.applyAsLong(c[0], c[1]), h.readLong(DATA), name);
    }
  }

  @ParameterizedTest(name = "{0}.w")
  @MethodSource("amos")
  void wordAmoSignExtendsOldValueAndLeavesTheUpperWordAlone(
      String name, int funct5, LongBinaryOperator ref) {
    long[][] cases = {
      {OLD, SRC}, {SRC, OLD}, {0xffff_ffffL, 1}, {1, 0xffff_ffffL}, {0x8000_0000L, 0x7fff_ffffL}
    };
    for (long[] c : cases) {
      long memory = 0x5a5a_5a5a_0000_0000L | (c[0] & 0xffff_ffffL);
      h.hart.setPc(CODE);
      h.writeLong(DATA, memory).x(7, c[1]).run(amo(funct5, false, 5, 10, 7));
      long oldWord = (int) c[0];
      long srcWord = (int) c[1];
      // min/max compare the words as 32-bit signed or unsigned values, which the sign-extended
      // 64-bit comparison reproduces
      long expectedWord = ref.applyAsLong(oldWord, srcWord);
      assertEquals(oldWord, h.x(5), name);
      assertEquals(0x5a5a_5a5a_0000_0000L | (expectedWord & 0xffff_ffffL), h.readLong(DATA), name);
    }
  }

  @Test
  void amominWComparesSignedAndAmominuWUnsigned() {
    h.writeLong(DATA, 0xffff_ffffL).writeLong(DATA + 8, 0xffff_ffffL).x(11, DATA + 8).x(7, 1);
    h.run(amo(AMO_MIN, false, 5, 10, 7), amo(AMO_MINU, false, 6, 11, 7));
    assertEquals(0xffff_ffffL, h.readLong(DATA)); // -1 < 1
    assertEquals(1, h.readLong(DATA + 8)); // 1 < 0xffffffff
    assertEquals(-1, h.x(5));
    assertEquals(-1, h.x(6));
  }

  @Test
  void amomaxDComparesSignedAndAmomaxuDUnsigned() {
    h.writeLong(DATA, -1).writeLong(DATA + 8, -1).x(11, DATA + 8).x(7, 1);
    h.run(amo(AMO_MAX, true, 5, 10, 7), amo(AMO_MAXU, true, 6, 11, 7));
    assertEquals(1, h.readLong(DATA));
    assertEquals(-1, h.readLong(DATA + 8));
  }

  @Test
  void amoaddWWrapsWithinTheWord() {
    h.writeLong(DATA, 0x0000_0001_7fff_ffffL).x(7, 1);
    h.run(amo(AMO_ADD, false, 5, 10, 7));
    assertEquals(0x0000_0001_8000_0000L, h.readLong(DATA));
    assertEquals(0x7fff_ffffL, h.x(5));
  }

  @Test
  void amoswapWithRdEqualToRs2ExchangesRegisterAndMemory() {
    h.writeLong(DATA, 11).x(7, 22);
    h.run(amo(AMO_SWAP, true, 7, 10, 7));
    assertEquals(11, h.x(7));
    assertEquals(22, h.readLong(DATA));
  }

  @Test
  void amoWithX0DestinationStillUpdatesMemory() {
    h.writeLong(DATA, 11).x(7, 22);
    h.run(amo(AMO_ADD, true, 0, 10, 7));
    assertEquals(0, h.hart.x[0]);
    assertEquals(33, h.readLong(DATA));
  }

  @Test
  void misalignedAmoRaisesStoreAmoMisaligned() {
    h.writeLong(DATA, 5).x(10, DATA + 2).x(7, 1);
    h.run(amo(AMO_ADD, false, 5, 10, 7));
    assertTrue(h.trapped(Causes.MISALIGNED_STORE));
    assertEquals(DATA + 2, h.hart.mtval);
    assertEquals(5, h.readLong(DATA));
    assertEquals(0, h.x(5));
  }

  @Test
  void misalignedScWithoutReservationJustFails() {
    // Like QEMU: with no matching reservation SC fails before it looks at the address.
    h.x(10, DATA + 1).x(7, 1);
    h.run(scD(6, 10, 7));
    assertEquals(1, h.x(6));
    assertEquals(CODE + 4, h.hart.pc());
  }

  @Test
  void amoToMmioRaisesStoreAmoAccessFault() {
    h.x(10, 0x1000_0000L).x(7, 'A');
    h.run(amo(AMO_SWAP, false, 5, 10, 7));
    assertTrue(h.trapped(Causes.STORE_ACCESS));
    assertEquals(0x1000_0000L, h.hart.mtval);
    assertEquals("", h.console.toString());
  }

  @Test
  void amoToUnmappedAddressRaisesStoreAmoAccessFault() {
    h.x(10, 0x4000_0000L);
    h.run(amo(AMO_OR, true, 5, 10, 7));
    assertTrue(h.trapped(Causes.STORE_ACCESS));
  }
}
