package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpStatus.DZ;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;

/**
 * IEEE-754 rules for NaN, infinite and zero operands, shared by both formats: a binary32 operand
 * widened to double keeps its class, so only signalling-ness must come from the raw bits ({@code
 * signalling}). A NaN answer means "the canonical NaN of the format"; every other answer is exact.
 */
final class Specials {
  private Specials() {}

  /** For x + y when x or y is NaN or infinite. */
  static double add(double x, double y, boolean signalling, FpStatus st) {
    if (x != x || y != y) {
      return nan(signalling, st);
    }
    if (Double.isInfinite(x) && Double.isInfinite(y) && x != y) {
      return invalid(st);
    }
    return x + y;
  }

  /** For x * y when x or y is NaN or infinite. */
  static double mul(double x, double y, boolean signalling, FpStatus st) {
    if (x != x || y != y) {
      return nan(signalling, st);
    }
    if (x == 0 || y == 0) {
      return invalid(st);
    }
    return x * y;
  }

  /** For x / y when x or y is NaN or infinite, or y is zero. */
  static double div(double x, double y, boolean signalling, FpStatus st) {
    if (x != x || y != y) {
      return nan(signalling, st);
    }
    if ((x == 0 && y == 0) || (Double.isInfinite(x) && Double.isInfinite(y))) {
      return invalid(st);
    }
    if (y == 0 && !Double.isInfinite(x)) {
      st.flags |= DZ;
    }
    return x / y;
  }

  /** For x * y + z when any operand is NaN or infinite. */
  static double fma(double x, double y, double z, boolean signalling, FpStatus st) {
    boolean infTimesZero = (Double.isInfinite(x) && y == 0) || (x == 0 && Double.isInfinite(y));
    if (x != x || y != y || z != z) {
      // RISC-V: inf * 0 is invalid even when the addend is a quiet NaN.
      return nan(signalling || infTimesZero, st);
    }
    if (infTimesZero) {
      return invalid(st);
    }
    if (Double.isInfinite(x) || Double.isInfinite(y)) {
      double product = x * y;
      return Double.isInfinite(z) && z != product ? invalid(st) : product;
    }
    return z;
  }

  /** For sqrt(x) when x is NaN, infinite, zero or negative. */
  static double sqrt(double x, boolean signalling, FpStatus st) {
    if (x != x) {
      return nan(signalling, st);
    }
    if (x < 0) {
      return invalid(st);
    }
    return x; // +-0 and +inf are their own roots
  }

  /**
   * Whether an exact zero sum of zeros with these signs is negative: like signs keep their sign,
   * otherwise only round-down gives -0. An exact cancellation of non-zero terms is the unlike-signs
   * case.
   */
  static boolean zeroSumIsNegative(boolean negA, boolean negB, int rm) {
    return negA == negB ? negA : rm == RDN;
  }

  private static double nan(boolean invalid, FpStatus st) {
    if (invalid) {
      st.flags |= NV;
    }
    return Double.NaN;
  }

  private static double invalid(FpStatus st) {
    st.flags |= NV;
    return Double.NaN;
  }
}
