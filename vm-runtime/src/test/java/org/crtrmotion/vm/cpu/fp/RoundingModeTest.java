package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.OF;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known results in each of the five rounding modes. */
class RoundingModeTest {
  private final FpStatus st = new FpStatus();

  private static long bits(String hex) {
    return Long.parseUnsignedLong(hex, 16);
  }

  /** 1 + 2^-53 is exactly halfway between 1 and 1 + 2^-52. */
  @ParameterizedTest
  @CsvSource({
    "RNE, 3ff0000000000000",
    "RTZ, 3ff0000000000000",
    "RDN, 3ff0000000000000",
    "RUP, 3ff0000000000001",
    "RMM, 3ff0000000000001"
  })
  void positiveTieInAddition(Mode m, String expected) {
    assertD(bits(expected), NX, addD(d(1), d(0x1p-53), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, bff0000000000000",
    "RTZ, bff0000000000000",
    "RDN, bff0000000000001",
    "RUP, bff0000000000000",
    "RMM, bff0000000000001"
  })
  void negativeTieInAddition(Mode m, String expected) {
    assertD(bits(expected), NX, subD(d(-1), d(0x1p-53), m.rm, st), st);
  }

  /** 1 + 3*2^-53 is halfway between two odd/even neighbours: RNE rounds up here. */
  @ParameterizedTest
  @CsvSource({
    "RNE, 3ff0000000000002",
    "RTZ, 3ff0000000000001",
    "RDN, 3ff0000000000001",
    "RUP, 3ff0000000000002",
    "RMM, 3ff0000000000002"
  })
  void tieToEvenUpwards(Mode m, String expected) {
    assertD(bits(expected), NX, addD(d(1 + 0x1p-52), d(0x1p-53), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, 3fd5555555555555",
    "RTZ, 3fd5555555555555",
    "RDN, 3fd5555555555555",
    "RUP, 3fd5555555555556",
    "RMM, 3fd5555555555555"
  })
  void oneThird(Mode m, String expected) {
    assertD(bits(expected), NX, divD(d(1), d(3), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, bfd5555555555555",
    "RTZ, bfd5555555555555",
    "RDN, bfd5555555555556",
    "RUP, bfd5555555555555",
    "RMM, bfd5555555555555"
  })
  void minusOneThird(Mode m, String expected) {
    assertD(bits(expected), NX, divD(d(-1), d(3), m.rm, st), st);
  }

  /** sqrt(2) = 1.41421356237309504880..., whose nearest double lies above it. */
  @ParameterizedTest
  @CsvSource({
    "RNE, 3ff6a09e667f3bcd",
    "RTZ, 3ff6a09e667f3bcc",
    "RDN, 3ff6a09e667f3bcc",
    "RUP, 3ff6a09e667f3bcd",
    "RMM, 3ff6a09e667f3bcd"
  })
  void squareRootOfTwo(Mode m, String expected) {
    assertD(bits(expected), NX, sqrtD(d(2), m.rm, st), st);
  }

  /** (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104 exactly: half an ulp above 2^-51, a tie. */
  @ParameterizedTest
  @CsvSource({
    "RNE, 3cc0000000000000",
    "RTZ, 3cc0000000000000",
    "RDN, 3cc0000000000000",
    "RUP, 3cc0000000000001",
    "RMM, 3cc0000000000001"
  })
  void fusedMultiplyAddTieNeedsTheExactProduct(Mode m, String expected) {
    long onePlusUlp = d(1 + 0x1p-52);
    assertD(bits(expected), NX, fmaddD(onePlusUlp, onePlusUlp, d(-1), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, 7ff0000000000000",
    "RTZ, 7fefffffffffffff",
    "RDN, 7fefffffffffffff",
    "RUP, 7ff0000000000000",
    "RMM, 7ff0000000000000"
  })
  void positiveOverflow(Mode m, String expected) {
    assertD(bits(expected), OF | NX, mulD(D_MAX, d(2), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, fff0000000000000",
    "RTZ, ffefffffffffffff",
    "RDN, fff0000000000000",
    "RUP, ffefffffffffffff",
    "RMM, fff0000000000000"
  })
  void negativeOverflow(Mode m, String expected) {
    assertD(bits(expected), OF | NX, mulD(D_MAX, d(-2), m.rm, st), st);
  }

  /**
   * Half an ulp above the largest finite value: overflow is judged on the value rounded with an
   * unbounded exponent, so truncating modes round to MAX without overflowing.
   */
  @ParameterizedTest
  @CsvSource({
    "RNE, 7ff0000000000000, 5",
    "RTZ, 7fefffffffffffff, 1",
    "RDN, 7fefffffffffffff, 1",
    "RUP, 7ff0000000000000, 5",
    "RMM, 7ff0000000000000, 5"
  })
  void halfUlpAboveMaxOverflowsOnlyWhenRoundingUpOrToNearest(Mode m, String expected, int flags) {
    assertD(bits(expected), flags, addD(D_MAX, d(0x1p970), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, 7fefffffffffffff",
    "RTZ, 7fefffffffffffff",
    "RDN, 7fefffffffffffff",
    "RUP, 7ff0000000000000",
    "RMM, 7fefffffffffffff"
  })
  void justBelowTheOverflowThreshold(Mode m, String expected) {
    int flags = m == Mode.RUP ? OF | NX : NX;
    assertD(bits(expected), flags, addD(D_MAX, d(0x1p969), m.rm, st), st);
  }

  /** 1.5 * 2^-1074 lies halfway between the two smallest subnormals. */
  @ParameterizedTest
  @CsvSource({
    "RNE, 0000000000000002",
    "RTZ, 0000000000000001",
    "RDN, 0000000000000001",
    "RUP, 0000000000000002",
    "RMM, 0000000000000002"
  })
  void subnormalTie(Mode m, String expected) {
    assertD(bits(expected), UF | NX, mulD(d(Double.MIN_VALUE), d(1.5), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, 0000000000000002",
    "RTZ, 0000000000000002",
    "RDN, 0000000000000002",
    "RUP, 0000000000000003",
    "RMM, 0000000000000003"
  })
  void subnormalTieToEvenDownwards(Mode m, String expected) {
    assertD(bits(expected), UF | NX, mulD(d(Double.MIN_VALUE), d(2.5), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({
    "RNE, 0000000000000000",
    "RTZ, 0000000000000000",
    "RDN, 0000000000000000",
    "RUP, 0000000000000001",
    "RMM, 0000000000000001"
  })
  void halfTheSmallestSubnormal(Mode m, String expected) {
    assertD(bits(expected), UF | NX, divD(d(Double.MIN_VALUE), d(2), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({"RNE, 3eaaaaab", "RTZ, 3eaaaaaa", "RDN, 3eaaaaaa", "RUP, 3eaaaaab", "RMM, 3eaaaaab"})
  void singleOneThird(Mode m, String expected) {
    assertS((int) bits(expected), NX, divS(s(1f), s(3f), m.rm, st), st);
  }

  /** 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23 in binary32. */
  @ParameterizedTest
  @CsvSource({"RNE, 3f800000", "RTZ, 3f800000", "RDN, 3f800000", "RUP, 3f800001", "RMM, 3f800001"})
  void singleTieInFusedMultiplyAdd(Mode m, String expected) {
    assertS((int) bits(expected), NX, fmaddS(s(0x1p-12f), s(0x1p-12f), s(1f), m.rm, st), st);
  }

  @ParameterizedTest
  @CsvSource({"RNE, 7f800000", "RTZ, 7f7fffff", "RDN, 7f7fffff", "RUP, 7f800000", "RMM, 7f800000"})
  void singleOverflow(Mode m, String expected) {
    assertS((int) bits(expected), OF | NX, mulS(s(Float.MAX_VALUE), s(1.5f), m.rm, st), st);
  }
}
