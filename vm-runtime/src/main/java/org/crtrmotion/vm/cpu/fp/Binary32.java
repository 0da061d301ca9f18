package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.S_SIGN;
import static org.crtrmotion.vm.cpu.fp.FpBits.canonicalS;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingS;
import static org.crtrmotion.vm.cpu.fp.FpBits.toDouble;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;

/**
 * binary32 arithmetic, computed in binary64: for finite singles every intermediate stays normal and
 * finite in double (2^-298 .. 2^256), products are exact, and the error-free transformations give
 * the exact error of sums, quotients and roots. The double result plus the sign of its error is
 * then rounded once to single ({@link #round}).
 */
final class Binary32 {
  private Binary32() {}

  static int add(int a, int b, int rm, FpStatus st) {
    double x = toDouble(a);
    double y = toDouble(b);
    double s = x + y;
    if (!Double.isFinite(s)) {
      return canonicalS(Specials.add(x, y, isSignallingS(a) || isSignallingS(b), st));
    }
    if (s == 0) {
      return rm == RDN ? (a | b) & S_SIGN : Float.floatToRawIntBits((float) s);
    }
    return round(s, Binary64.twoSumError(x, y, s), rm, st);
  }

  static int mul(int a, int b, int rm, FpStatus st) {
    double x = toDouble(a);
    double y = toDouble(b);
    double p = x * y; // exact: 24 x 24 bits
    if (!Double.isFinite(p)) {
      return canonicalS(Specials.mul(x, y, isSignallingS(a) || isSignallingS(b), st));
    }
    return round(p, 0, rm, st);
  }

  static int div(int a, int b, int rm, FpStatus st) {
    double x = toDouble(a);
    double y = toDouble(b);
    double q = x / y;
    if (!Double.isFinite(q) || y == 0) {
      return canonicalS(Specials.div(x, y, isSignallingS(a) || isSignallingS(b), st));
    }
    if (q == 0) {
      return Float.floatToRawIntBits((float) q);
    }
    double r = Math.fma(-q, y, x); // x/y - q = r/y
    return round(q, FpBits.signTimes(r, y), rm, st);
  }

  static int sqrt(int a, int rm, FpStatus st) {
    double x = toDouble(a);
    if (x > 0 && x < Double.POSITIVE_INFINITY) {
      double r = Math.sqrt(x);
      return round(r, Math.fma(-r, r, x), rm, st);
    }
    return canonicalS(Specials.sqrt(x, isSignallingS(a), st));
  }

  /** x * y + z with a single rounding: the product is exact, TwoSum gives the sum's error. */
  static int fma(int a, int b, int c, int rm, FpStatus st) {
    double x = toDouble(a);
    double y = toDouble(b);
    double z = toDouble(c);
    double p = x * y;
    double s = p + z;
    if (!Double.isFinite(s)) {
      boolean signalling = isSignallingS(a) || isSignallingS(b) || isSignallingS(c);
      return canonicalS(Specials.fma(x, y, z, signalling, st));
    }
    if (s == 0) {
      // The double sum of singles cannot underflow: s == 0 means an exact zero.
      boolean productNeg = Double.doubleToRawLongBits(p) < 0;
      return Specials.zeroSumIsNegative(productNeg, c < 0, rm) ? S_SIGN : 0;
    }
    return round(s, Binary64.twoSumError(p, z, s), rm, st);
  }

  /**
   * Rounds an exact value to binary32, given as a finite double s plus the sign of its error (err:
   * the exact value minus s, or anything with that sign); the error itself must be at most half an
   * ulp of s, which holds for every RN(exact) computed above.
   */
  static int round(double s, double err, int rm, FpStatus st) {
    float f = (float) s;
    float af = Math.abs(f);
    if (rm == RNE
        && af > Float.MIN_NORMAL
        && af <= Float.MAX_VALUE
        && (err == 0 || !isSingleMidpoint(s))) {
      st.flags |= (err != 0 | f != s) ? NX : 0; // no data-dependent branch on the hot path
      return Float.floatToRawIntBits(f);
    }
    if (err == 0 && f == s) {
      return Float.floatToRawIntBits(f); // exact, including tiny results and directed modes
    }
    return roundSlow(s, err, rm, st);
  }

  /** Whether s lies exactly halfway between two adjacent normal singles. */
  private static boolean isSingleMidpoint(double s) {
    return (Double.doubleToRawLongBits(s) & 0x1FFF_FFFFL) == 0x1000_0000L;
  }

  /**
   * Replaces s + err by s ± a quarter of s's ulp: every binary32 rounding boundary near s is a
   * multiple of s's ulp, so the stand-in lies between the same boundaries as the exact value and is
   * only equal to a boundary when the exact value is.
   */
  private static int roundSlow(double s, double err, int rm, FpStatus st) {
    long bits = Double.doubleToRawLongBits(s);
    boolean neg = bits < 0;
    long sig = FpBits.sigD(bits);
    int exp = FpBits.expD(bits);
    if (err != 0) {
      sig = (sig << 2) + ((err > 0) != neg ? 1 : -1);
      exp -= 2;
    }
    return Rounding.packS(neg, exp, sig, rm, st);
  }
}
