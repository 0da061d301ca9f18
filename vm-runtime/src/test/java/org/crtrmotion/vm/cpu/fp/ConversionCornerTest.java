package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.OF;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** fcvt corner cases: NaN, infinities, range limits, signed and unsigned, every direction. */
class ConversionCornerTest {
  private final FpStatus st = new FpStatus();

  private static final long INT_MIN = 0xFFFF_FFFF_8000_0000L; // sign-extended -2^31
  private static final long INT_MAX = 0x7FFF_FFFFL;
  private static final long ALL_ONES = -1L;

  private void assertInt(long expected, int expectedFlags, long actual) {
    assertEquals(Long.toHexString(expected), Long.toHexString(actual), "result");
    assertFlags(expectedFlags, st);
  }

  // ---------------------------------------------------------------- NaN and infinities

  @Test
  void nanToSignedWordIsMaxIntAndInvalid() {
    assertInt(INT_MAX, NV, dToW(D_QNAN, RNE, st));
  }

  @Test
  void nanToUnsignedWordIsAllOnesSignExtendedAndInvalid() {
    assertInt(ALL_ONES, NV, dToWu(D_QNAN_PAYLOAD, RNE, st));
  }

  @Test
  void nanToSignedLongIsMaxLongAndInvalid() {
    assertInt(Long.MAX_VALUE, NV, dToL(D_SNAN_NEG, RNE, st));
  }

  @Test
  void nanToUnsignedLongIsAllOnesAndInvalid() {
    assertInt(ALL_ONES, NV, sToLu(S_QNAN, RNE, st));
  }

  @Test
  void negativeNaNToSignedWordIsStillMaxInt() {
    assertInt(INT_MAX, NV, sToW(S_QNAN_PAYLOAD, RNE, st));
  }

  @Test
  void plusInfinityToSignedWordIsMaxInt() {
    assertInt(INT_MAX, NV, dToW(D_PLUS_INF, RNE, st));
  }

  @Test
  void minusInfinityToSignedWordIsMinInt() {
    assertInt(INT_MIN, NV, dToW(D_MINUS_INF, RNE, st));
  }

  @Test
  void minusInfinityToUnsignedWordIsZero() {
    assertInt(0, NV, sToWu(S_MINUS_INF, RNE, st));
  }

  @Test
  void plusInfinityToUnsignedLongIsAllOnes() {
    assertInt(ALL_ONES, NV, dToLu(D_PLUS_INF, RNE, st));
  }

  @Test
  void minusInfinityToSignedLongIsMinLong() {
    assertInt(Long.MIN_VALUE, NV, sToL(S_MINUS_INF, RNE, st));
  }

  // ---------------------------------------------------------------- 2^31 boundaries

  @Test
  void twoToThe31ToSignedWordOverflows() {
    assertInt(INT_MAX, NV, dToW(d(0x1p31), RTZ, st));
  }

  @Test
  void minusTwoToThe31ToSignedWordIsExact() {
    assertInt(INT_MIN, NONE, dToW(d(-0x1p31), RNE, st));
  }

  @Test
  void justBelowMinusTwoToThe31TruncatesIntoRange() {
    assertInt(INT_MIN, NX, dToW(d(-0x1p31 - 0.5), RTZ, st));
  }

  @Test
  void halfBelowMinIntTiesToEvenMinInt() {
    assertInt(INT_MIN, NX, dToW(d(-0x1p31 - 0.5), RNE, st));
  }

  @Test
  void halfBelowMinIntRoundedDownIsOutOfRange() {
    assertInt(INT_MIN, NV, dToW(d(-0x1p31 - 0.5), RDN, st));
  }

  @Test
  void halfBelowTwoToThe31TiesToEvenAndOverflows() {
    assertInt(INT_MAX, NV, dToW(d(0x1p31 - 0.5), RNE, st));
  }

  @Test
  void halfBelowTwoToThe31TruncatesToMaxInt() {
    assertInt(INT_MAX, NX, dToW(d(0x1p31 - 0.5), RTZ, st));
  }

  @Test
  void singleTwoToThe31ToSignedWordOverflows() {
    assertInt(INT_MAX, NV, sToW(s(0x1p31f), RNE, st));
  }

  @Test
  void singleMinusTwoToThe31ToSignedWordIsExact() {
    assertInt(INT_MIN, NONE, sToW(s(-0x1p31f), RNE, st));
  }

  // ---------------------------------------------------------------- unsigned word

  @Test
  void unsignedWordResultIsSignExtendedFromBit31() {
    assertInt(0xFFFF_FFFF_B2D0_5E00L, NONE, dToWu(d(3e9), RNE, st));
  }

  @Test
  void largestUnsignedWordIsExact() {
    assertInt(ALL_ONES, NONE, dToWu(d(0x1p32 - 1), RNE, st));
  }

  @Test
  void twoToThe32ToUnsignedWordOverflows() {
    assertInt(ALL_ONES, NV, dToWu(d(0x1p32), RNE, st));
  }

  @Test
  void largestSingleBelowTwoToThe32ToUnsignedWordIsExact() {
    assertInt(0xFFFF_FFFF_FFFF_FF00L, NONE, sToWu(s(Math.nextDown(0x1p32f)), RNE, st));
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"RNE", "RTZ", "RUP"})
  void minusHalfToUnsignedRoundsToZeroAndIsOnlyInexact(Mode m) {
    assertInt(0, NX, dToWu(d(-0.5), m.rm, st));
  }

  @Test
  void minusPointThreeToUnsignedRoundsToZeroAndIsOnlyInexact() {
    assertInt(0, NX, dToLu(d(-0.3), RNE, st));
  }

  @Test
  void minusHalfToUnsignedRoundedAwayIsInvalid() {
    assertInt(0, NV, dToWu(d(-0.5), RMM, st));
  }

  @Test
  void minusPointThreeToUnsignedRoundedDownIsInvalid() {
    assertInt(0, NV, sToWu(s(-0.3f), RDN, st));
  }

  @Test
  void minusOneToUnsignedIsInvalid() {
    assertInt(0, NV, dToLu(d(-1), RTZ, st));
  }

  @Test
  void minusZeroToUnsignedIsExactZero() {
    assertInt(0, NONE, dToWu(D_MINUS_ZERO, RDN, st));
  }

  // ---------------------------------------------------------------- 2^63 / 2^64 boundaries

  @Test
  void twoToThe63ToSignedLongOverflows() {
    assertInt(Long.MAX_VALUE, NV, dToL(d(0x1p63), RNE, st));
  }

  @Test
  void largestDoubleBelowTwoToThe63ToSignedLongIsExact() {
    assertInt(0x7FFF_FFFF_FFFF_FC00L, NONE, dToL(d(Math.nextDown(0x1p63)), RNE, st));
  }

  @Test
  void minusTwoToThe63ToSignedLongIsExact() {
    assertInt(Long.MIN_VALUE, NONE, dToL(d(-0x1p63), RNE, st));
  }

  @Test
  void belowMinusTwoToThe63ToSignedLongOverflows() {
    assertInt(Long.MIN_VALUE, NV, dToL(d(Math.nextDown(-0x1p63)), RNE, st));
  }

  @Test
  void twoToThe63ToUnsignedLongIsExact() {
    assertInt(Long.MIN_VALUE, NONE, dToLu(d(0x1p63), RNE, st));
  }

  @Test
  void largestDoubleBelowTwoToThe64ToUnsignedLongIsExact() {
    assertInt(0xFFFF_FFFF_FFFF_F800L, NONE, dToLu(d(Math.nextDown(0x1p64)), RNE, st));
  }

  @Test
  void twoToThe64ToUnsignedLongOverflows() {
    assertInt(ALL_ONES, NV, dToLu(d(0x1p64), RNE, st));
  }

  @Test
  void singleTwoToThe63ToSignedLongOverflows() {
    assertInt(Long.MAX_VALUE, NV, sToL(s(0x1p63f), RNE, st));
  }

  // ---------------------------------------------------------------- rounding to integer

  @Test
  void nearestEvenRoundsTwoAndAHalfToTwo() {
    assertInt(2, NX, dToL(d(2.5), RNE, st));
  }

  @Test
  void maxMagnitudeRoundsTwoAndAHalfToThree() {
    assertInt(3, NX, dToL(d(2.5), RMM, st));
  }

  @Test
  void maxMagnitudeRoundsMinusTwoAndAHalfToMinusThree() {
    assertInt(-3, NX, sToW(s(-2.5f), RMM, st));
  }

  @Test
  void maxMagnitudeRoundsTheLargestDoubleBelowAHalfToZero() {
    assertInt(0, NX, dToW(d(Math.nextDown(0.5)), RMM, st));
  }

  @Test
  void roundingUpMinusOneAndAHalfGivesMinusOne() {
    assertInt(-1, NX, dToW(d(-1.5), RUP, st));
  }

  @Test
  void roundingDownMinusOneAndAHalfGivesMinusTwo() {
    assertInt(-2, NX, dToW(d(-1.5), RDN, st));
  }

  @Test
  void exactIntegerConvertsWithoutFlags() {
    assertInt(-12345, NONE, dToL(d(-12345), RUP, st));
  }

  @Test
  void tinySubnormalRoundsUpToOne() {
    assertInt(1, NX, dToLu(d(Double.MIN_VALUE), RUP, st));
  }

  // ---------------------------------------------------------------- integer to float

  @Test
  void signedWordSourceUsesOnlyTheLow32Bits() {
    assertD(d(5), NONE, wToD(0x1_0000_0005L, RNE, st), st);
  }

  @Test
  void signedWordSourceIsSigned() {
    assertD(d(-1), NONE, wToD(0xFFFF_FFFFL, RNE, st), st);
  }

  @Test
  void unsignedWordSourceIgnoresTheUpperBits() {
    assertD(d(4294967295.0), NONE, wuToD(-1L, RNE, st), st);
  }

  @Test
  void longJustAboveTwoToThe53TiesToEven() {
    assertD(d(0x1p53), NX, lToD((1L << 53) + 1, RNE, st), st);
  }

  @Test
  void longJustAboveTwoToThe53RoundedUpGoesUp() {
    assertD(d(0x1p53 + 2), NX, lToD((1L << 53) + 1, RUP, st), st);
  }

  @Test
  void longJustAboveTwoToThe53TieRoundsAwayFromZeroInRmm() {
    assertD(d(-0x1p53 - 2), NX, lToD(-(1L << 53) - 1, RMM, st), st);
  }

  @Test
  void minLongConvertsExactly() {
    assertD(d(-0x1p63), NONE, lToD(Long.MIN_VALUE, RNE, st), st);
  }

  @Test
  void maxLongRoundsToTwoToThe63() {
    assertD(d(0x1p63), NX, lToD(Long.MAX_VALUE, RNE, st), st);
  }

  @Test
  void maxUnsignedLongRoundsToTwoToThe64() {
    assertD(d(0x1p64), NX, luToD(-1L, RNE, st), st);
  }

  @Test
  void maxUnsignedLongTruncatesBelowTwoToThe64() {
    assertD(d(Math.nextDown(0x1p64)), NX, luToD(-1L, RTZ, st), st);
  }

  @Test
  void wordJustAboveTwoToThe24TiesToEvenInSingle() {
    assertS(s(0x1p24f), NX, wToS((1 << 24) + 1, RNE, st), st);
  }

  @Test
  void minIntConvertsExactlyToSingle() {
    assertS(s(-0x1p31f), NONE, wToS(Integer.MIN_VALUE, RNE, st), st);
  }

  @Test
  void maxUnsignedWordRoundsToTwoToThe32InSingle() {
    assertS(s(0x1p32f), NX, wuToS(0xFFFF_FFFFL, RNE, st), st);
  }

  @Test
  void maxUnsignedLongRoundedDownInSingle() {
    assertS(s(Math.nextDown(0x1p64f)), NX, luToS(-1L, RDN, st), st);
  }

  @Test
  void negativeLongToSingleRoundedUpGoesTowardZero() {
    assertS(s(-0x1p24f), NX, lToS(-(1L << 24) - 1, RUP, st), st);
  }

  // ---------------------------------------------------------------- between formats

  @Test
  void narrowingMaxDoubleOverflowsToInfinity() {
    assertS(S_PLUS_INF, OF | NX, dToS(D_MAX, RNE, st), st);
  }

  @Test
  void narrowingMaxDoubleTowardZeroGivesMaxSingle() {
    assertS(s(Float.MAX_VALUE), OF | NX, dToS(D_MAX, RTZ, st), st);
  }

  @Test
  void narrowingSmallestDoubleUnderflowsToZero() {
    assertS(S_PLUS_ZERO, UF | NX, dToS(d(Double.MIN_VALUE), RNE, st), st);
  }

  @Test
  void narrowingSmallestDoubleRoundedUpGivesSmallestSingle() {
    assertS(s(Float.MIN_VALUE), UF | NX, dToS(d(Double.MIN_VALUE), RUP, st), st);
  }

  @Test
  void narrowingAnExactSingleSubnormalRaisesNothing() {
    assertS(s(0x1p-140f), NONE, dToS(d(0x1p-140), RNE, st), st);
  }

  @Test
  void narrowingAThirdIsInexact() {
    assertS(s(1f / 3), NX, dToS(d(1.0 / 3), RNE, st), st);
  }

  @Test
  void narrowingInfinityIsExact() {
    assertS(S_MINUS_INF, NONE, dToS(D_MINUS_INF, RNE, st), st);
  }

  @Test
  void wideningTheSmallestSingleSubnormalIsExact() {
    assertD(d(0x1p-149), NONE, sToD(s(Float.MIN_VALUE), st), st);
  }

  @Test
  void wideningMinusZeroKeepsTheSign() {
    assertD(D_MINUS_ZERO, NONE, sToD(S_MINUS_ZERO, st), st);
  }
}
