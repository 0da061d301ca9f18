package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** fmin/fmax (minimumNumber/maximumNumber) and the quiet/signalling comparisons. */
class MinMaxCompareTest {
  private final FpStatus st = new FpStatus();

  @Test
  void minOrdersMinusZeroBelowPlusZero() {
    assertD(D_MINUS_ZERO, NONE, minD(D_PLUS_ZERO, D_MINUS_ZERO, st), st);
  }

  @Test
  void minOrdersMinusZeroBelowPlusZeroWhicheverComesFirst() {
    assertD(D_MINUS_ZERO, NONE, minD(D_MINUS_ZERO, D_PLUS_ZERO, st), st);
  }

  @Test
  void maxOrdersPlusZeroAboveMinusZero() {
    assertD(D_PLUS_ZERO, NONE, maxD(D_MINUS_ZERO, D_PLUS_ZERO, st), st);
  }

  @Test
  void singleMaxOrdersPlusZeroAboveMinusZero() {
    assertS(S_PLUS_ZERO, NONE, maxS(S_PLUS_ZERO, S_MINUS_ZERO, st), st);
  }

  @Test
  void singleMinOrdersMinusZeroBelowPlusZero() {
    assertS(S_MINUS_ZERO, NONE, minS(S_PLUS_ZERO, S_MINUS_ZERO, st), st);
  }

  @Test
  void minOfOrdinaryValuesIsTheSmaller() {
    assertD(d(-2), NONE, minD(d(1), d(-2), st), st);
  }

  @Test
  void maxOfInfinitiesIsPlusInfinity() {
    assertD(D_PLUS_INF, NONE, maxD(D_MINUS_INF, D_PLUS_INF, st), st);
  }

  @Test
  void minWithQuietNaNReturnsTheOtherOperandWithoutFlags() {
    assertD(d(3), NONE, minD(D_QNAN_PAYLOAD, d(3), st), st);
  }

  @Test
  void maxWithQuietNaNSecondReturnsTheFirstOperand() {
    assertD(d(-3), NONE, maxD(d(-3), D_QNAN, st), st);
  }

  @Test
  void minWithSignallingNaNReturnsTheOtherOperandAndRaisesInvalid() {
    assertD(d(3), NV, minD(d(3), D_SNAN, st), st);
  }

  @Test
  void minOfTwoQuietNaNsIsTheCanonicalNaN() {
    assertD(D_QNAN, NONE, minD(D_QNAN_PAYLOAD, D_QNAN_PAYLOAD, st), st);
  }

  @Test
  void maxOfSignallingAndQuietNaNIsCanonicalAndInvalid() {
    assertD(D_QNAN, NV, maxD(D_SNAN, D_QNAN, st), st);
  }

  @Test
  void singleMaxWithSignallingNaNReturnsTheOtherOperandAndRaisesInvalid() {
    assertS(s(1.5f), NV, maxS(S_SNAN_NEG, s(1.5f), st), st);
  }

  @Test
  void singleMinOfTwoNaNsIsTheCanonicalNaN() {
    assertS(S_QNAN, NONE, minS(S_QNAN_PAYLOAD, S_QNAN, st), st);
  }

  @Test
  void equalityWithQuietNaNIsFalseAndQuiet() {
    assertFalse(eqD(D_QNAN, D_QNAN, st));
    assertFlags(NONE, st);
  }

  @Test
  void equalityWithSignallingNaNRaisesInvalid() {
    assertFalse(eqD(d(1), D_SNAN, st));
    assertFlags(NV, st);
  }

  @Test
  void lessThanWithQuietNaNRaisesInvalid() {
    assertFalse(ltD(D_QNAN, d(1), st));
    assertFlags(NV, st);
  }

  @Test
  void lessOrEqualWithQuietNaNRaisesInvalid() {
    assertFalse(leS(s(1), S_QNAN, st));
    assertFlags(NV, st);
  }

  @Test
  void singleEqualityWithQuietNaNIsQuiet() {
    assertFalse(eqS(S_QNAN_PAYLOAD, s(1), st));
    assertFlags(NONE, st);
  }

  @Test
  void singleEqualityWithSignallingNaNRaisesInvalid() {
    assertFalse(eqS(S_SNAN, S_SNAN, st));
    assertFlags(NV, st);
  }

  @Test
  void minusZeroEqualsPlusZero() {
    assertTrue(eqD(D_MINUS_ZERO, D_PLUS_ZERO, st));
    assertFlags(NONE, st);
  }

  @Test
  void minusZeroIsNotLessThanPlusZero() {
    assertFalse(ltD(D_MINUS_ZERO, D_PLUS_ZERO, st));
  }

  @Test
  void minusZeroIsLessOrEqualToPlusZero() {
    assertTrue(leS(S_MINUS_ZERO, S_PLUS_ZERO, st));
  }

  @Test
  void lessThanOrdersNegativeInfinityFirst() {
    assertTrue(ltD(D_MINUS_INF, d(-Double.MAX_VALUE), st));
    assertFlags(NONE, st);
  }

  @Test
  void subnormalsCompareByValue() {
    assertTrue(ltS(s(Float.MIN_VALUE), s(2 * Float.MIN_VALUE), st));
  }
}
