package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.D_CANONICAL_NAN;
import static org.crtrmotion.vm.cpu.fp.FpBits.D_EXP;
import static org.crtrmotion.vm.cpu.fp.FpBits.D_FRAC;
import static org.crtrmotion.vm.cpu.fp.FpBits.D_QUIET;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_CANONICAL_NAN;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_EXP;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_FRAC;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_QUIET;
import static org.crtrmotion.vm.cpu.fp.FpBits.isNaND;
import static org.crtrmotion.vm.cpu.fp.FpBits.isNaNS;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingD;
import static org.crtrmotion.vm.cpu.fp.FpBits.isSignallingS;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;

/** fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber), feq/flt/fle and fclass. */
final class Comparisons {
  private Comparisons() {}

  // ---------------------------------------------------------------- binary64

  static long minD(long a, long b, FpStatus st) {
    if (isNaND(a) || isNaND(b)) {
      return nanOperandD(a, b, st);
    }
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    if (x != y) {
      return x < y ? a : b;
    }
    return a | b; // equal values have equal bits, except +0/-0 where min is -0
  }

  static long maxD(long a, long b, FpStatus st) {
    if (isNaND(a) || isNaND(b)) {
      return nanOperandD(a, b, st);
    }
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    if (x != y) {
      return x > y ? a : b;
    }
    return a & b; // +0/-0: max is +0
  }

  private static long nanOperandD(long a, long b, FpStatus st) {
    if (isSignallingD(a) || isSignallingD(b)) {
      st.flags |= NV;
    }
    if (isNaND(a)) {
      return isNaND(b) ? D_CANONICAL_NAN : b;
    }
    return a;
  }

  /** Quiet comparison: only a signalling NaN is invalid. */
  static boolean eqD(long a, long b, FpStatus st) {
    if (isNaND(a) || isNaND(b)) {
      if (isSignallingD(a) || isSignallingD(b)) {
        st.flags |= NV;
      }
      return false;
    }
    return Double.longBitsToDouble(a) == Double.longBitsToDouble(b);
  }

  /** Signalling comparison: any NaN is invalid. */
  static boolean ltD(long a, long b, FpStatus st) {
    if (isNaND(a) || isNaND(b)) {
      st.flags |= NV;
      return false;
    }
    return Double.longBitsToDouble(a) < Double.longBitsToDouble(b);
  }

  static boolean leD(long a, long b, FpStatus st) {
    if (isNaND(a) || isNaND(b)) {
      st.flags |= NV;
      return false;
    }
    return Double.longBitsToDouble(a) <= Double.longBitsToDouble(b);
  }

  static long classD(long a) {
    return fclass(
        a < 0, (a & D_EXP) == D_EXP, (a & D_EXP) == 0, (a & D_FRAC) == 0, (a & D_QUIET) != 0);
  }

  // ---------------------------------------------------------------- binary32

  static int minS(int a, int b, FpStatus st) {
    if (isNaNS(a) || isNaNS(b)) {
      return nanOperandS(a, b, st);
    }
    float x = Float.intBitsToFloat(a);
    float y = Float.intBitsToFloat(b);
    if (x != y) {
      return x < y ? a : b;
    }
    return a | b;
  }

  static int maxS(int a, int b, FpStatus st) {
    if (isNaNS(a) || isNaNS(b)) {
      return nanOperandS(a, b, st);
    }
    float x = Float.intBitsToFloat(a);
    float y = Float.intBitsToFloat(b);
    if (x != y) {
      return x > y ? a : b;
    }
    return a & b;
  }

  private static int nanOperandS(int a, int b, FpStatus st) {
    if (isSignallingS(a) || isSignallingS(b)) {
      st.flags |= NV;
    }
    if (isNaNS(a)) {
      return isNaNS(b) ? S_CANONICAL_NAN : b;
    }
    return a;
  }

  static boolean eqS(int a, int b, FpStatus st) {
    if (isNaNS(a) || isNaNS(b)) {
      if (isSignallingS(a) || isSignallingS(b)) {
        st.flags |= NV;
      }
      return false;
    }
    return Float.intBitsToFloat(a) == Float.intBitsToFloat(b);
  }

  static boolean ltS(int a, int b, FpStatus st) {
    if (isNaNS(a) || isNaNS(b)) {
      st.flags |= NV;
      return false;
    }
    return Float.intBitsToFloat(a) < Float.intBitsToFloat(b);
  }

  static boolean leS(int a, int b, FpStatus st) {
    if (isNaNS(a) || isNaNS(b)) {
      st.flags |= NV;
      return false;
    }
    return Float.intBitsToFloat(a) <= Float.intBitsToFloat(b);
  }

  static long classS(int a) {
    return fclass(
        a < 0, (a & S_EXP) == S_EXP, (a & S_EXP) == 0, (a & S_FRAC) == 0, (a & S_QUIET) != 0);
  }

  // ---------------------------------------------------------------- fclass

  /**
   * fclass bit: 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal, 6 +normal, 7 +inf, 8
   * sNaN, 9 qNaN.
   */
  private static long fclass(
      boolean neg, boolean maxExp, boolean zeroExp, boolean zeroFrac, boolean quietBit) {
    int bit;
    if (maxExp) {
      bit = zeroFrac ? (neg ? 0 : 7) : (quietBit ? 9 : 8);
    } else if (zeroExp) {
      bit = zeroFrac ? (neg ? 3 : 4) : (neg ? 2 : 5);
    } else {
      bit = neg ? 1 : 6;
    }
    return 1L << bit;
  }
}
