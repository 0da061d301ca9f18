package org.crtrmotion.vm.cpu.fp;

/** Bit-level layout of binary64 and binary32 values. */
final class FpBits {
  private FpBits() {}

  static final long D_SIGN = 0x8000_0000_0000_0000L;
  static final long D_EXP = 0x7FF0_0000_0000_0000L;
  static final long D_FRAC = 0x000F_FFFF_FFFF_FFFFL;
  static final long D_IMPLICIT = 0x0010_0000_0000_0000L;
  static final long D_QUIET = 0x0008_0000_0000_0000L;
  static final long D_CANONICAL_NAN = 0x7FF8_0000_0000_0000L;

  static final int S_SIGN = 0x8000_0000;
  static final int S_EXP = 0x7F80_0000;
  static final int S_FRAC = 0x007F_FFFF;
  static final int S_QUIET = 0x0040_0000;
  static final int S_CANONICAL_NAN = 0x7FC0_0000;

  static boolean isNaND(long a) {
    return (a & ~D_SIGN) > D_EXP;
  }

  static boolean isSignallingD(long a) {
    return isNaND(a) && (a & D_QUIET) == 0;
  }

  static boolean isNaNS(int a) {
    return (a & ~S_SIGN) > S_EXP;
  }

  static boolean isSignallingS(int a) {
    return isNaNS(a) && (a & S_QUIET) == 0;
  }

  /** Significand of a finite non-zero double, normalised into [2^52, 2^53) even for subnormals. */
  static long sigD(long a) {
    long frac = a & D_FRAC;
    if ((a & D_EXP) != 0) {
      return frac | D_IMPLICIT;
    }
    return frac << (Long.numberOfLeadingZeros(frac) - 11);
  }

  /** Exponent matching {@link #sigD}: |a| = sigD(a) * 2^expD(a). */
  static int expD(long a) {
    int field = (int) (a >>> 52) & 0x7FF;
    if (field != 0) {
      return field - 1075;
    }
    return -1074 - (Long.numberOfLeadingZeros(a & D_FRAC) - 11);
  }

  /** Maps the "any NaN" answer of a special-case rule to the RISC-V canonical NaN. */
  static long canonicalD(double r) {
    return r != r ? D_CANONICAL_NAN : Double.doubleToRawLongBits(r);
  }

  static int canonicalS(double r) {
    return r != r ? S_CANONICAL_NAN : Float.floatToRawIntBits((float) r);
  }

  /** v negated when s is negative: the sign of v / s without a division or a branch. */
  static double signTimes(double v, double s) {
    return Double.longBitsToDouble(
        Double.doubleToRawLongBits(v) ^ (Double.doubleToRawLongBits(s) & D_SIGN));
  }

  static double toDouble(int singleBits) {
    return Float.intBitsToFloat(singleBits);
  }
}
