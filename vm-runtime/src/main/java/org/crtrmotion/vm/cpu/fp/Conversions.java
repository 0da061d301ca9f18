package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.D_CANONICAL_NAN;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_CANONICAL_NAN;
import static org.crtrmotion.vm.cpu.fp.FpBits.isNaNS;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingD;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingS;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RTZ;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RUP;

/**
 * fcvt between formats and integers. Floating-point to integer first rounds to an integral double
 * (exact: every double of magnitude 2^52 or more already is one), then range-checks the rounded
 * value, as RISC-V does: -0.3 to unsigned rounds to 0 and is merely inexact.
 */
final class Conversions {
  private Conversions() {}

  private static final double TWO_31 = 0x1p31;
  private static final double TWO_32 = 0x1p32;
  private static final double TWO_63 = 0x1p63;
  private static final double TWO_64 = 0x1p64;

  // ---------------------------------------------------------------- float -> integer

  /** fcvt.w: the 32-bit result is returned sign-extended, as written to an x register. */
  static long toInt32(double x, int rm, FpStatus st) {
    double r = roundToIntegral(x, rm);
    if (r >= -TWO_31 && r < TWO_31) {
      return exactOrInexact(x, r, st, (long) r);
    }
    return invalid(st, x < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE);
  }

  /** fcvt.wu: also sign-extended from bit 31, so 2^32-1 reads as -1. */
  static long toUInt32(double x, int rm, FpStatus st) {
    double r = roundToIntegral(x, rm);
    if (r >= 0 && r < TWO_32) { // -0.0 >= 0 holds: -0.3 rounding to -0 is in range
      return exactOrInexact(x, r, st, (int) (long) r);
    }
    return invalid(st, x < 0 ? 0 : -1);
  }

  static long toInt64(double x, int rm, FpStatus st) {
    double r = roundToIntegral(x, rm);
    if (r >= -TWO_63 && r < TWO_63) {
      return exactOrInexact(x, r, st, (long) r);
    }
    return invalid(st, x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }

  static long toUInt64(double x, int rm, FpStatus st) {
    double r = roundToIntegral(x, rm);
    if (r >= 0 && r < TWO_64) {
      long v = r < TWO_63 ? (long) r : (long) (r - TWO_63) ^ Long.MIN_VALUE;
      return exactOrInexact(x, r, st, v);
    }
    return invalid(st, x < 0 ? 0 : -1);
  }

  private static long exactOrInexact(double x, double rounded, FpStatus st, long value) {
    if (rounded != x) {
      st.flags |= NX;
    }
    return value;
  }

  /** NaN fails every range check and, being "x < 0 == false", clamps to the maximum. */
  private static long invalid(FpStatus st, long clamped) {
    st.flags |= NV;
    return clamped;
  }

  private static double roundToIntegral(double x, int rm) {
    if (!(Math.abs(x) < 0x1p52)) {
      return x; // integral already, or infinite, or NaN
    }
    switch (rm) {
      case RNE:
        return Math.rint(x);
      case RTZ:
        return x < 0 ? Math.ceil(x) : Math.floor(x);
      case RDN:
        return Math.floor(x);
      case RUP:
        return Math.ceil(x);
      default:
        {
          // RMM: Math.round(x) is floor(x + 0.5), which rounds the sum and ties upwards.
          double t = x < 0 ? Math.ceil(x) : Math.floor(x);
          return Math.abs(x - t) >= 0.5 ? t + Math.copySign(1.0, x) : t;
        }
    }
  }

  // ---------------------------------------------------------------- integer -> float

  /** Rounds the integer ±mag (mag read as unsigned) to binary64. */
  static long fromInteger64ToD(boolean neg, long mag, int rm, FpStatus st) {
    if (mag == 0) {
      return 0; // integer zero is +0.0
    }
    if (mag >>> 53 == 0) {
      double d = mag; // exact
      return Double.doubleToRawLongBits(neg ? -d : d);
    }
    return packInteger(neg, mag, rm, st, true);
  }

  static int fromInteger64ToS(boolean neg, long mag, int rm, FpStatus st) {
    if (mag == 0) {
      return 0;
    }
    if (mag >>> 24 == 0) {
      float f = mag; // exact
      return Float.floatToRawIntBits(neg ? -f : f);
    }
    return (int) packInteger(neg, mag, rm, st, false);
  }

  private static long packInteger(boolean neg, long mag, int rm, FpStatus st, boolean dbl) {
    int exp = 0;
    if (mag < 0) {
      // Bit 63 is set: halve with a sticky bit so the significand stays a positive long.
      mag = (mag >>> 1) | (mag & 1);
      exp = 1;
    }
    return dbl ? Rounding.packD(neg, exp, mag, rm, st) : Rounding.packS(neg, exp, mag, rm, st);
  }

  // ---------------------------------------------------------------- float <-> double

  static int doubleToSingle(long a, int rm, FpStatus st) {
    double x = Double.longBitsToDouble(a);
    float f = (float) x;
    if (f == x) {
      return Float.floatToRawIntBits(f); // exact, zeros and infinities included
    }
    float af = Math.abs(f);
    if (rm == RNE && af > Float.MIN_NORMAL && af <= Float.MAX_VALUE) {
      st.flags |= NX;
      return Float.floatToRawIntBits(f);
    }
    if (x != x) {
      if (isSignallingD(a)) {
        st.flags |= NV;
      }
      return S_CANONICAL_NAN;
    }
    return Rounding.packS(a < 0, FpBits.expD(a), FpBits.sigD(a), rm, st);
  }

  static long singleToDouble(int a, FpStatus st) {
    if (isNaNS(a)) {
      if (isSignallingS(a)) {
        st.flags |= NV;
      }
      return D_CANONICAL_NAN;
    }
    return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
  }
}
