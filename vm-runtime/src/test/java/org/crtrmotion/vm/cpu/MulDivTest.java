package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The M extension, checked against BigInteger arithmetic and the manual's corner-case table. */
class MulDivTest {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private final CpuHarness h = new CpuHarness();

  private long exec(Rv64iTest.RType op, long a, long b) {
    h.hart.setPc(CpuHarness.CODE);
    h.x(6, a).x(7, b).run(op.encode(5, 6, 7));
    return h.x(5);
  }

  private static BigInteger signed(long v) {
    return BigInteger.valueOf(v);
  }

  private static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v);
    return v < 0 ? b.add(TWO_64) : b;
  }

  private static long high(BigInteger product) {
    return product.shiftRight(64).longValue();
  }

  static Stream<Arguments> highMultiplies() {
    return Stream.of(
        Arguments.of(
            "mulh",
            (Rv64iTest.RType) Asm::mulh,
            (LongBinaryOperator) (a, b) -> high(signed(a).multiply(signed(b)))),
        Arguments.of(
            "mulhu",
            (Rv64iTest.RType) Asm::mulhu,
            (LongBinaryOperator) (a, b) -> high(unsigned(a).multiply(unsigned(b)))),
        Arguments.of(
            "mulhsu",
            (Rv64iTest.RType) Asm::mulhsu,
            (LongBinaryOperator) (a, b) -> high(signed(a).multiply(unsigned(b)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("highMultiplies")
  void highMultiplyMatchesBigIntegerForEdgeAndRandomOperands(
      String name, Rv64iTest.RType op, LongBinaryOperator ref) {
    Random random = new Random(42);
    for (long a : Rv64iTest.EDGES) {
      for (long b : Rv64iTest.EDGES) {
        assertEquals(
            ref.applyAsLong(a, b), exec(op, a, b), String.format("%s 0x%x 0x%x", name, a, b));
      }
    }
    for (int k = 0; k < 2000; k++) {
      long a = random.nextLong(), b = random.nextLong();
      assertEquals(
          ref.applyAsLong(a, b), exec(op, a, b), String.format("%s 0x%x 0x%x", name, a, b));
    }
  }

  @Test
  void mulKeepsTheLow64BitsAndMulwSignExtendsTheLow32() {
    Random random = new Random(7);
    for (int k = 0; k < 500; k++) {
      long a = random.nextLong(), b = random.nextLong();
      assertEquals(signed(a).multiply(signed(b)).longValue(), exec(Asm::mul, a, b));
      assertEquals((long) (int) signed(a).multiply(signed(b)).longValue(), exec(Asm::mulw, a, b));
    }
  }

  @Test
  void signedDivisionAndRemainderTruncateTowardZero() {
    Random random = new Random(11);
    for (int k = 0; k < 1000; k++) {
      long a = random.nextLong(), b = k % 2 == 0 ? random.nextLong() : random.nextInt(100) - 50;
      if (b == 0) {
        continue;
      }
      BigInteger[] qr = signed(a).divideAndRemainder(signed(b));
      assertEquals(qr[0].longValue(), exec(Asm::div, a, b), "div");
      assertEquals(qr[1].longValue(), exec(Asm::rem, a, b), "rem");
    }
  }

  @Test
  void unsignedDivisionAndRemainderTreatOperandsAsUnsigned() {
    Random random = new Random(13);
    for (int k = 0; k < 1000; k++) {
      long a = random.nextLong(), b = k % 2 == 0 ? random.nextLong() : random.nextInt(100) + 1;
      BigInteger[] qr = unsigned(a).divideAndRemainder(unsigned(b));
      assertEquals(qr[0].longValue(), exec(Asm::divu, a, b), "divu");
      assertEquals(qr[1].longValue(), exec(Asm::remu, a, b), "remu");
    }
  }

  @Test
  void wordDivisionsUseTheLow32BitsAndSignExtendTheResult() {
    Random random = new Random(17);
    for (int k = 0; k < 1000; k++) {
      long a = random.nextLong(), b = random.nextLong();
      int x = (int) a, y = (int) b;
      if (y == 0) {
        continue;
      }
      assertEquals(x == Integer.MIN_VALUE && y == -1 ? x : x / y, exec(Asm::divw, a, b), "divw");
      assertEquals(x == Integer.MIN_VALUE && y == -1 ? 0 : x % y, exec(Asm::remw, a, b), "remw");
      assertEquals((long) Integer.divideUnsigned(x, y), exec(Asm::divuw, a, b), "divuw");
      assertEquals((long) Integer.remainderUnsigned(x, y), exec(Asm::remuw, a, b), "remuw");
    }
  }

  @Test
  void divisionByZeroGivesAllOnes() {
    assertEquals(-1, exec(Asm::div, 123, 0));
    assertEquals(-1, exec(Asm::div, Long.MIN_VALUE, 0));
    assertEquals(-1, exec(Asm::divu, 123, 0));
    assertEquals(-1, exec(Asm::divw, 123, 0xffff_ffff_0000_0000L)); // only the low word counts
    assertEquals(-1, exec(Asm::divuw, 123, 0));
  }

  @Test
  void remainderByZeroGivesTheDividend() {
    assertEquals(-123, exec(Asm::rem, -123, 0));
    assertEquals(0xdead_beef_0000_0001L, exec(Asm::remu, 0xdead_beef_0000_0001L, 0));
  }

  @Test
  void wordRemainderByZeroGivesTheSignExtendedLowWordOfTheDividend() {
    assertEquals(0xffff_ffff_8000_0001L, exec(Asm::remw, 0x1234_5678_8000_0001L, 0));
    assertEquals(0xffff_ffff_8000_0001L, exec(Asm::remuw, 0x1234_5678_8000_0001L, 0));
    assertEquals(0x7000_0001L, exec(Asm::remuw, 0xffff_ffff_7000_0001L, 0));
  }

  @Test
  void signedOverflowGivesTheDividendAndZeroRemainder() {
    assertEquals(Long.MIN_VALUE, exec(Asm::div, Long.MIN_VALUE, -1));
    assertEquals(0, exec(Asm::rem, Long.MIN_VALUE, -1));
    assertEquals(0xffff_ffff_8000_0000L, exec(Asm::divw, 0x8000_0000L, -1));
    assertEquals(0, exec(Asm::remw, 0x8000_0000L, -1));
  }

  @Test
  void unsignedDivisionOfMinByAllOnesIsZero() {
    assertEquals(0, exec(Asm::divu, Long.MIN_VALUE, -1));
    assertEquals(Long.MIN_VALUE, exec(Asm::remu, Long.MIN_VALUE, -1));
  }

  @Test
  void divuwSignExtendsA32BitQuotientWithBit31Set() {
    assertEquals(0xffff_ffff_ffff_fffeL, exec(Asm::divuw, 0xffff_fffeL, 1));
  }

  @Test
  void mulDivWithX0DestinationWritesNothing() {
    h.x(6, 7).x(7, 0).run(div(0, 6, 7), mulhu(0, 6, 6));
    assertEquals(0, h.hart.x[0]);
  }
}
