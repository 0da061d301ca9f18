package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sign of zero results. */
class SignedZeroTest {
  private final FpStatus st = new FpStatus();

  private static long zeroUnlessRoundingDown(Mode m) {
    return m == Mode.RDN ? D_MINUS_ZERO : D_PLUS_ZERO;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void minusZeroPlusMinusZeroIsMinusZeroInEveryMode(Mode m) {
    assertD(D_MINUS_ZERO, NONE, addD(D_MINUS_ZERO, D_MINUS_ZERO, m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void plusZeroPlusMinusZeroIsMinusZeroOnlyWhenRoundingDown(Mode m) {
    assertD(zeroUnlessRoundingDown(m), NONE, addD(D_PLUS_ZERO, D_MINUS_ZERO, m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exactCancellationIsMinusZeroOnlyWhenRoundingDown(Mode m) {
    assertD(zeroUnlessRoundingDown(m), NONE, subD(d(0.1), d(0.1), m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void singleExactCancellationIsMinusZeroOnlyWhenRoundingDown(Mode m) {
    int expected = m == Mode.RDN ? S_MINUS_ZERO : S_PLUS_ZERO;
    assertS(expected, NONE, addS(s(-3.5f), s(3.5f), m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void hugeExactCancellationIsMinusZeroOnlyWhenRoundingDown(Mode m) {
    assertD(zeroUnlessRoundingDown(m), NONE, subD(D_MAX, D_MAX, m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fusedExactCancellationIsMinusZeroOnlyWhenRoundingDown(Mode m) {
    assertD(zeroUnlessRoundingDown(m), NONE, fmaddD(d(3), d(0.5), d(-1.5), m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fusedZeroProductPlusMinusZeroFollowsTheSumRule(Mode m) {
    assertD(zeroUnlessRoundingDown(m), NONE, fmaddD(D_PLUS_ZERO, d(5), D_MINUS_ZERO, m.rm, st), st);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void negatedFusedZerosAreMinusZeroInEveryMode(Mode m) {
    // -(+0 * 1) - (+0) = -0 + -0
    assertD(D_MINUS_ZERO, NONE, fnmaddD(D_PLUS_ZERO, d(1), D_PLUS_ZERO, m.rm, st), st);
  }

  @Test
  void fusedZeroProductPlusNonZeroAddendIsTheAddend() {
    assertD(d(-7), NONE, fmaddD(D_MINUS_ZERO, d(5), d(-7), RNE, st), st);
  }

  @Test
  void productWithZeroHasTheExclusiveOrOfTheSigns() {
    assertD(D_MINUS_ZERO, NONE, mulD(D_MINUS_ZERO, d(5), RNE, st), st);
  }

  @Test
  void productOfTwoNegativeZeroOperandsIsPlusZero() {
    assertS(S_PLUS_ZERO, NONE, mulS(S_MINUS_ZERO, s(-5f), RNE, st), st);
  }

  @Test
  void zeroDividedByNegativeIsMinusZero() {
    assertD(D_MINUS_ZERO, NONE, divD(D_PLUS_ZERO, d(-3), RNE, st), st);
  }

  @Test
  void finiteDividedByNegativeInfinityIsMinusZero() {
    assertS(S_MINUS_ZERO, NONE, divS(s(3f), S_MINUS_INF, RNE, st), st);
  }

  @Test
  void squareRootOfMinusZeroIsMinusZeroWithoutFlags() {
    assertD(D_MINUS_ZERO, NONE, sqrtD(D_MINUS_ZERO, RNE, st), st);
  }

  @Test
  void singleSquareRootOfMinusZeroIsMinusZeroWithoutFlags() {
    assertS(S_MINUS_ZERO, NONE, sqrtS(S_MINUS_ZERO, RNE, st), st);
  }

  @Test
  void negativeProductUnderflowingToZeroIsMinusZero() {
    assertD(D_MINUS_ZERO, UF | NX, mulD(d(-Double.MIN_VALUE), d(Double.MIN_VALUE), RNE, st), st);
  }

  @Test
  void negativeUnderflowRoundedUpIsMinusZero() {
    assertD(D_MINUS_ZERO, UF | NX, mulD(d(-Double.MIN_VALUE), d(0.75), RUP, st), st);
  }

  @Test
  void integerZeroConvertsToPlusZeroEvenWhenRoundingDown() {
    assertD(D_PLUS_ZERO, NONE, lToD(0, RDN, st), st);
  }

  @Test
  void singleIntegerZeroConvertsToPlusZero() {
    assertS(S_PLUS_ZERO, NONE, wToS(0, RDN, st), st);
  }
}
