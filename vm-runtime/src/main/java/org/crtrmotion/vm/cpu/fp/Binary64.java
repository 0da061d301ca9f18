package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.D_SIGN;
import static org.crtrmotion.vm.cpu.fp.FpBits.canonicalD;
import static org.crtrmotion.vm.cpu.fp.FpBits.expD;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingD;
import static org.crtrmotion.vm.cpu.fp.FpBits.sigD;
import static org.crtrmotion.vm.cpu.fp.FpBits.signTimes;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;

/**
 * binary64 arithmetic. Each operation first lets the hardware compute the round-to-nearest result
 * and its exact error (error-free transformations); when the result is comfortably inside the
 * normal range that error gives both the NX flag and the directed roundings. All other cases
 * (special operands, overflow, results near or below the subnormal range) take an exact integer
 * slow path.
 */
final class Binary64 {
  private Binary64() {}

  /** Below 2^1023 no intermediate of the fast paths can overflow, nor can a directed step. */
  private static final double BIG = 0x1p1023;

  /** From 2^-968 up, the error of a product is a multiple of 2^-1074: representable. */
  private static final double PRODUCT_MIN = 0x1p-968;

  /** Keeps every quantity of the FMA error computation at least 2^-1006: never subnormal. */
  private static final double FMA_MIN = 0x1p-900;

  private static final double FMA_MAX = 0x1p1000;

  // ---------------------------------------------------------------- add

  static long add(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double s = x + y;
    if (Math.abs(s) < BIG && Math.abs(x) < BIG && Math.abs(y) < BIG) {
      if (s == 0) {
        // Exact cancellation: Java's +0 is right except when rounding down.
        return rm == RDN ? (a | b) & D_SIGN : Double.doubleToRawLongBits(s);
      }
      // A sum below 2^-1021 is always exact, so a non-zero error implies a normal s.
      return Double.doubleToRawLongBits(finish(s, twoSumError(x, y, s), rm, st));
    }
    return addSlow(a, b, rm, st);
  }

  private static long addSlow(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return canonicalD(Specials.add(x, y, isSignallingD(a) || isSignallingD(b), st));
    }
    if (x == 0 || y == 0) {
      return y == 0 ? a : b; // the other one is a huge value, returned exactly
    }
    return ExactSum.roundD(a < 0, sigD(a), 1, expD(a), b < 0, sigD(b), expD(b), rm, st);
  }

  // ---------------------------------------------------------------- multiply

  static long mul(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double p = x * y;
    double ap = Math.abs(p);
    if (ap >= PRODUCT_MIN && ap < BIG) {
      return Double.doubleToRawLongBits(finish(p, Math.fma(x, y, -p), rm, st));
    }
    return mulSlow(a, b, rm, st);
  }

  private static long mulSlow(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return canonicalD(Specials.mul(x, y, isSignallingD(a) || isSignallingD(b), st));
    }
    boolean neg = (a ^ b) < 0;
    if (x == 0 || y == 0) {
      return neg ? D_SIGN : 0;
    }
    // 53x53-bit significands shifted by 10 each: the high word holds the top 61-62 bits.
    long sa = sigD(a) << 10;
    long sb = sigD(b) << 10;
    long hi = Math.multiplyHigh(sa, sb);
    long lo = sa * sb;
    return Rounding.packD(neg, expD(a) + expD(b) + 44, hi | (lo != 0 ? 1 : 0), rm, st);
  }

  // ---------------------------------------------------------------- divide

  static long div(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double q = x / y;
    double aq = Math.abs(q);
    // The remainder x - q*y is representable when y is normal and e(q) + e(y) >= -970.
    if (aq > Double.MIN_NORMAL
        && aq < BIG
        && Math.abs(y) >= Double.MIN_NORMAL
        && Math.getExponent(q) + Math.getExponent(y) >= -970) {
      double r = Math.fma(-q, y, x); // x/y - q = r/y
      return Double.doubleToRawLongBits(finishNoTie(q, signTimes(r, y), rm, st));
    }
    return divSlow(a, b, rm, st);
  }

  private static long divSlow(long a, long b, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    if (!Double.isFinite(x) || !Double.isFinite(y) || y == 0) {
      return canonicalD(Specials.div(x, y, isSignallingD(a) || isSignallingD(b), st));
    }
    boolean neg = (a ^ b) < 0;
    if (x == 0) {
      return neg ? D_SIGN : 0;
    }
    long sa = sigD(a);
    long sb = sigD(b);
    // Long division, 10 bits per step so the shifted remainder (< 2^53) stays below 2^63.
    long q = sa / sb;
    long rem = sa % sb;
    for (int i = 0; i < 6; i++) {
      rem <<= 10;
      q = (q << 10) | (rem / sb);
      rem %= sb;
    }
    return Rounding.packD(neg, expD(a) - expD(b) - 60, q | (rem != 0 ? 1 : 0), rm, st);
  }

  // ---------------------------------------------------------------- square root

  static long sqrt(long a, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    if (x >= PRODUCT_MIN && x < Double.POSITIVE_INFINITY) {
      return Double.doubleToRawLongBits(sqrtNormal(x, rm, st));
    }
    if (x > 0 && x < PRODUCT_MIN) {
      // Scaling by an even power of two keeps the root exact to scale back: the root of
      // even the smallest subnormal is a normal number.
      return Double.doubleToRawLongBits(sqrtNormal(x * 0x1p108, rm, st) * 0x1p-54);
    }
    return canonicalD(Specials.sqrt(x, isSignallingD(a), st));
  }

  /** Correctly rounded root of x >= 2^-968, where the residual x - r*r is representable. */
  private static double sqrtNormal(double x, int rm, FpStatus st) {
    double r = Math.sqrt(x);
    return finishNoTie(r, Math.fma(-r, r, x), rm, st);
  }

  // ---------------------------------------------------------------- fused multiply-add

  /** x * y + z with a single rounding. */
  static long fma(long a, long b, long c, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double z = Double.longBitsToDouble(c);
    double r = Math.fma(x, y, z);
    double u1 = x * y;
    if (inFmaRange(u1) && (z == 0 || inFmaRange(z))) {
      if (r == 0) {
        // Terms this large cannot leave a tiny sum: this is an exact cancellation.
        return rm == RDN ? D_SIGN : 0;
      }
      if (inFmaRange(r)) {
        return Double.doubleToRawLongBits(fmaNormal(x, y, z, u1, r, rm, st));
      }
    }
    return fmaSlow(a, b, c, rm, st);
  }

  private static boolean inFmaRange(double v) {
    double av = Math.abs(v);
    return av >= FMA_MIN && av < FMA_MAX;
  }

  /**
   * Boldo and Muller's ErrFma: x*y + z = r + e1 + e2 exactly, with e1 = RN(e1 + e2), which gives
   * the sign of the error and, when e2 == 0, whether it is exactly half an ulp.
   */
  private static double fmaNormal(
      double x, double y, double z, double u1, double r, int rm, FpStatus st) {
    double u2 = Math.fma(x, y, -u1);
    double alpha1 = z + u2;
    double alpha2 = twoSumError(z, u2, alpha1);
    double beta1 = u1 + alpha1;
    double beta2 = twoSumError(u1, alpha1, beta1);
    double gamma = (beta1 - r) + beta2;
    double e1 = gamma + alpha2;
    double e2 = alpha2 - (e1 - gamma);
    st.flags |= e1 != 0 ? NX : 0;
    if (rm == RNE || e1 == 0) {
      return r;
    }
    return e2 == 0 ? Rounding.adjust(r, e1, rm) : Rounding.adjustNoTie(r, e1, rm);
  }

  /**
   * Raises NX for a non-zero exact error and re-rounds in the directed modes. Written without a
   * data-dependent branch on the RNE path: whether a result is exact is unpredictable.
   */
  private static double finish(double hi, double err, int rm, FpStatus st) {
    st.flags |= err != 0 ? NX : 0;
    return rm == RNE || err == 0 ? hi : Rounding.adjust(hi, err, rm);
  }

  /** As {@link #finish} for errors known only by sign or that can never be a tie. */
  private static double finishNoTie(double hi, double errSign, int rm, FpStatus st) {
    st.flags |= errSign != 0 ? NX : 0;
    return rm == RNE || errSign == 0 ? hi : Rounding.adjustNoTie(hi, errSign, rm);
  }

  /** Knuth's TwoSum: a + b - s exactly, for s = RN(a + b) without overflow. */
  static double twoSumError(double a, double b, double s) {
    double bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  private static long fmaSlow(long a, long b, long c, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double z = Double.longBitsToDouble(c);
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
      boolean signalling = isSignallingD(a) || isSignallingD(b) || isSignallingD(c);
      return canonicalD(Specials.fma(x, y, z, signalling, st));
    }
    boolean negProduct = (a ^ b) < 0;
    if (x == 0 || y == 0) {
      if (z != 0) {
        return c;
      }
      return Specials.zeroSumIsNegative(negProduct, c < 0, rm) ? D_SIGN : 0;
    }
    long sc = z == 0 ? 0 : sigD(c);
    int ec = z == 0 ? 0 : expD(c);
    return ExactSum.roundD(negProduct, sigD(a), sigD(b), expD(a) + expD(b), c < 0, sc, ec, rm, st);
  }
}
