package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.assertD;
import static org.crtrmotion.vm.cpu.fp.Fp.d;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;

import java.util.Random;
import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * binary64 results straddling the thresholds where the hardware fast paths hand over to the exact
 * slow paths (2^1023, 2^1000, 2^-900, 2^-968, the smallest normal, the largest finite value, and
 * the exponent-sum limit of exact division remainders): both sides must agree with the oracle.
 */
class FastPathBoundaryTest {
  private static final int CASES = 6_000;
  private static final int[] RESULT_EXPONENTS = {
    1023, 1022, 1000, 999, -900, -901, -968, -969, -1021, -1022, -1023
  };

  private static double randomSignificand(Random r) {
    return (1 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
  }

  private static double nudge(Random r, double x) {
    for (int i = r.nextInt(4); i > 0; i--) {
      x = r.nextBoolean() ? Math.nextUp(x) : Math.nextDown(x);
    }
    return x;
  }

  private static int target(Random r) {
    return RESULT_EXPONENTS[r.nextInt(RESULT_EXPONENTS.length)];
  }

  /** a * b (or a / b) lands within a few ulps of 2^target, a's exponent spread widely. */
  private static long[] factors(Random r, boolean divide) {
    int t = target(r);
    int ea = r.nextInt(1400) - 700;
    if (t - ea > 1023 || t - ea < -1074) {
      ea = t / 2;
    }
    double a = Math.scalb(randomSignificand(r), ea);
    double goal = Math.scalb(randomSignificand(r), t);
    double b = divide ? a / goal : goal / a;
    if (b == 0 || Double.isInfinite(b)) {
      b = 1;
    }
    return new long[] {
      Double.doubleToRawLongBits(nudge(r, a)), Double.doubleToRawLongBits(nudge(r, b))
    };
  }

  private static long[] addends(Random r) {
    int t = target(r);
    double a = Math.scalb(randomSignificand(r), t);
    double b = Math.scalb(randomSignificand(r), t - r.nextInt(60));
    return new long[] {
      Double.doubleToRawLongBits(nudge(r, a)), Double.doubleToRawLongBits(nudge(r, b))
    };
  }

  private static long[] fmaOperands(Random r) {
    long[] ab = factors(r, false);
    double p = Double.longBitsToDouble(ab[0]) * Double.longBitsToDouble(ab[1]);
    double c;
    switch (r.nextInt(4)) {
      case 0:
        c = 0;
        break;
      case 1:
        c = nudge(r, -p);
        break; // cancellation
      case 2:
        c = Math.scalb(randomSignificand(r), target(r));
        break;
      default:
        c = p * Math.scalb(randomSignificand(r), -r.nextInt(60));
        break;
    }
    return new long[] {ab[0], ab[1], Double.doubleToRawLongBits(c)};
  }

  private static long[] radicand(Random r) {
    double x = Math.abs(Math.scalb(randomSignificand(r), 2 * target(r) + r.nextInt(3) - 1));
    return new long[] {Double.doubleToRawLongBits(nudge(r, x))};
  }

  private static void run(
      String op,
      Mode m,
      int seed,
      java.util.function.Function<Random, long[]> gen,
      PropertyRunner.Subject subject,
      PropertyRunner.Reference reference) {
    PropertyRunner.run(
        op, Format.D, m, seed, CASES, g -> gen.apply(g.random()), subject, reference);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void productsAcrossFastPathThresholdsMatchOracle(Mode m) {
    run(
        "mul",
        m,
        51,
        r -> factors(r, false),
        (o, rm, st) -> SoftFloat.mulD(o[0], o[1], rm, st),
        (o, rm) -> Oracle.mul(Format.D, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void quotientsAcrossFastPathThresholdsMatchOracle(Mode m) {
    run(
        "div",
        m,
        52,
        r -> factors(r, true),
        (o, rm, st) -> SoftFloat.divD(o[0], o[1], rm, st),
        (o, rm) -> Oracle.div(Format.D, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sumsAcrossFastPathThresholdsMatchOracle(Mode m) {
    run(
        "add",
        m,
        53,
        FastPathBoundaryTest::addends,
        (o, rm, st) -> SoftFloat.addD(o[0], o[1], rm, st),
        (o, rm) -> Oracle.add(Format.D, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fusedResultsAcrossFastPathThresholdsMatchOracle(Mode m) {
    run(
        "fmadd",
        m,
        54,
        FastPathBoundaryTest::fmaOperands,
        (o, rm, st) -> SoftFloat.fmaddD(o[0], o[1], o[2], rm, st),
        (o, rm) -> Oracle.fma(Format.D, o[0], o[1], o[2], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rootsAcrossFastPathThresholdsMatchOracle(Mode m) {
    run(
        "sqrt",
        m,
        55,
        FastPathBoundaryTest::radicand,
        (o, rm, st) -> SoftFloat.sqrtD(o[0], rm, st),
        (o, rm) -> Oracle.sqrt(Format.D, o[0], rm));
  }

  // The error terms below are non-zero but smaller than half the smallest subnormal, so a
  // hardware residual would round them to zero and miss the inexact flag.

  private static final double ONE_PLUS_ULP = 1 + 0x1p-52;

  /** (1 + 2^-52)^2 * 2^-990 loses 2^-1094. */
  @Test
  void productWhoseErrorIsBelowTheSubnormalRangeIsInexact() {
    FpStatus st = new FpStatus();
    long a = d(Math.scalb(ONE_PLUS_ULP, -495));
    assertD(d(Math.scalb(1 + 0x1p-51, -990)), NX, SoftFloat.mulD(a, a, RNE, st), st);
  }

  @Test
  void fusedProductWhoseErrorIsBelowTheSubnormalRangeIsInexact() {
    FpStatus st = new FpStatus();
    long a = d(Math.scalb(ONE_PLUS_ULP, -495));
    assertD(d(Math.scalb(1 + 0x1p-51, -990)), NX, SoftFloat.fmaddD(a, a, 0, RNE, st), st);
  }

  /** q*b exceeds a by 2^-1084, which is the remainder of a / b. */
  @Test
  void quotientWhoseRemainderIsBelowTheSubnormalRangeIsInexact() {
    FpStatus st = new FpStatus();
    double q = Math.scalb(ONE_PLUS_ULP, -480);
    double b = Math.scalb(ONE_PLUS_ULP, -500);
    assertD(d(q), NX, SoftFloat.divD(d(q * b), d(b), RNE, st), st);
  }

  /** x = RN(s^2) with s = (1 + 2^-52) 2^-490: x - s^2 = -2^-1084. */
  @Test
  void rootWhoseResidualIsBelowTheSubnormalRangeIsInexact() {
    FpStatus st = new FpStatus();
    double root = Math.scalb(ONE_PLUS_ULP, -490);
    assertD(d(root), NX, SoftFloat.sqrtD(d(root * root), RNE, st), st);
  }
}
