package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.DZ;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.OF;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each fflags bit, when it must be raised and when it must not. */
class ExceptionFlagsTest {
  private final FpStatus st = new FpStatus();

  @Test
  void flagConstantsMatchTheRiscVFflagsLayout() {
    assertEquals(1, FpStatus.NX);
    assertEquals(2, FpStatus.UF);
    assertEquals(4, FpStatus.OF);
    assertEquals(8, FpStatus.DZ);
    assertEquals(16, FpStatus.NV);
  }

  @Test
  void flagsAccumulateAcrossOperations() {
    addD(d(1), d(0x1p-60), RNE, st);
    divD(d(1), d(0), RNE, st);
    assertFlags(NX | DZ, st);
  }

  @Test
  void exactAdditionRaisesNothing() {
    assertD(d(3), NONE, addD(d(1), d(2), RNE, st), st);
  }

  @Test
  void inexactAdditionRaisesOnlyInexact() {
    assertD(d(1), NX, addD(d(1), d(0x1p-60), RNE, st), st);
  }

  @Test
  void inexactSingleMultiplicationRaisesOnlyInexact() {
    assertS(s(1.0f / 3.0f * 3.0f), NX, mulS(s(1.0f / 3.0f), s(3.0f), RNE, st), st);
  }

  @Test
  void overflowRaisesOverflowAndInexact() {
    assertD(D_PLUS_INF, OF | NX, mulD(D_MAX, d(2), RNE, st), st);
  }

  @Test
  void singleOverflowRaisesOverflowAndInexact() {
    assertS(S_PLUS_INF, OF | NX, addS(s(Float.MAX_VALUE), s(Float.MAX_VALUE), RNE, st), st);
  }

  @Test
  void exactSubnormalResultRaisesNoUnderflow() {
    assertD(d(0x1p-1023), NONE, mulD(d(Double.MIN_NORMAL), d(0.5), RNE, st), st);
  }

  @Test
  void tinyInexactResultRaisesUnderflowAndInexact() {
    assertD(D_PLUS_ZERO, UF | NX, mulD(d(Double.MIN_VALUE), d(0.5), RNE, st), st);
  }

  @Test
  void singleTinyInexactResultRaisesUnderflowAndInexact() {
    assertS(s(Float.MIN_VALUE), UF | NX, divS(s(Float.MIN_VALUE), s(1.5f), RNE, st), st);
  }

  /**
   * (2^-1022 - 2^-1074)(1 + 2^-52) = 2^-1022 - 2^-1126 rounds to 2^-1022 even with an unbounded
   * exponent.
   */
  @Test
  void resultRoundingUpToSmallestNormalIsNotTinyAfterRounding() {
    long belowMinNormal = d(Double.MIN_NORMAL) - 1;
    assertD(d(Double.MIN_NORMAL), NX, mulD(belowMinNormal, d(1 + 0x1p-52), RNE, st), st);
  }

  @Test
  void sameValueRoundedTowardZeroIsTinyAndUnderflows() {
    long belowMinNormal = d(Double.MIN_NORMAL) - 1;
    assertD(belowMinNormal, UF | NX, mulD(belowMinNormal, d(1 + 0x1p-52), RTZ, st), st);
  }

  @Test
  void singleResultRoundingUpToSmallestNormalIsNotTinyAfterRounding() {
    int belowMinNormal = s(Float.MIN_NORMAL) - 1;
    assertS(s(Float.MIN_NORMAL), NX, mulS(belowMinNormal, s(1 + 0x1p-23f), RNE, st), st);
  }

  @Test
  void divisionOfFiniteByZeroRaisesDivideByZero() {
    assertD(D_PLUS_INF, DZ, divD(d(1), D_PLUS_ZERO, RNE, st), st);
  }

  @Test
  void divisionByMinusZeroGivesNegativeInfinity() {
    assertD(D_MINUS_INF, DZ, divD(d(1), D_MINUS_ZERO, RNE, st), st);
  }

  @Test
  void singleDivisionByZeroRaisesDivideByZero() {
    assertS(S_MINUS_INF, DZ, divS(s(-2f), S_PLUS_ZERO, RNE, st), st);
  }

  @Test
  void infinityDividedByZeroIsExactInfinity() {
    assertD(D_PLUS_INF, NONE, divD(D_PLUS_INF, D_PLUS_ZERO, RNE, st), st);
  }

  @Test
  void zeroDividedByZeroIsInvalidNotDivideByZero() {
    assertD(D_QNAN, NV, divD(D_PLUS_ZERO, D_PLUS_ZERO, RNE, st), st);
  }

  @Test
  void infinityDividedByInfinityIsInvalid() {
    assertS(S_QNAN, NV, divS(S_PLUS_INF, S_MINUS_INF, RNE, st), st);
  }

  @Test
  void infinityMinusInfinityIsInvalid() {
    assertD(D_QNAN, NV, subD(D_PLUS_INF, D_PLUS_INF, RNE, st), st);
  }

  @Test
  void zeroTimesInfinityIsInvalid() {
    assertD(D_QNAN, NV, mulD(D_MINUS_ZERO, D_PLUS_INF, RNE, st), st);
  }

  @Test
  void squareRootOfNegativeIsInvalid() {
    assertD(D_QNAN, NV, sqrtD(d(-1), RNE, st), st);
  }

  @Test
  void squareRootOfNegativeInfinityIsInvalid() {
    assertS(S_QNAN, NV, sqrtS(S_MINUS_INF, RNE, st), st);
  }

  @Test
  void squareRootOfTinyNegativeSubnormalIsInvalid() {
    assertD(D_QNAN, NV, sqrtD(d(-Double.MIN_VALUE), RNE, st), st);
  }

  @Test
  void fusedInfinityTimesZeroIsInvalidEvenWithQuietNaNAddend() {
    assertD(D_QNAN, NV, fmaddD(D_PLUS_INF, D_PLUS_ZERO, D_QNAN, RNE, st), st);
  }

  @Test
  void singleFusedZeroTimesInfinityIsInvalidEvenWithQuietNaNAddend() {
    assertS(S_QNAN, NV, fmaddS(S_MINUS_ZERO, S_PLUS_INF, S_QNAN_PAYLOAD, RNE, st), st);
  }

  @Test
  void fusedInfinityTimesZeroPlusFiniteIsInvalid() {
    assertD(D_QNAN, NV, fmaddD(D_PLUS_INF, D_PLUS_ZERO, d(1), RNE, st), st);
  }

  @Test
  void fusedInfiniteProductPlusOppositeInfinityIsInvalid() {
    assertD(D_QNAN, NV, fmaddD(D_PLUS_INF, d(2), D_MINUS_INF, RNE, st), st);
  }

  @Test
  void fusedInfiniteProductPlusSameInfinityIsInfinity() {
    assertD(D_MINUS_INF, NONE, fmaddD(D_MINUS_INF, d(2), D_MINUS_INF, RNE, st), st);
  }

  @Test
  void fusedQuietNaNOperandRaisesNothing() {
    assertD(D_QNAN, NONE, fmaddD(D_QNAN_PAYLOAD, d(1), d(1), RNE, st), st);
  }

  @Test
  void fusedSignallingNaNAddendIsInvalid() {
    assertD(D_QNAN, NV, fmaddD(d(1), d(1), D_SNAN, RNE, st), st);
  }

  @Test
  void fusedOverflowRaisesOverflowAndInexact() {
    assertD(D_PLUS_INF, OF | NX, fmaddD(D_MAX, d(2), d(-1), RNE, st), st);
  }

  @Test
  void fusedTinyInexactResultRaisesUnderflow() {
    assertD(D_MINUS_ZERO, UF | NX, fmaddD(d(Double.MIN_VALUE), d(-0.5), D_PLUS_ZERO, RNE, st), st);
  }
}
