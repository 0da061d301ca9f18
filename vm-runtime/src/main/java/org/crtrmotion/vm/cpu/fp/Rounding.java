package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.OF;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RMM;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RTZ;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RUP;

/**
 * The two ways a result gets rounded.
 *
 * <p>{@link #packD}/{@link #packS} round an integer significand exactly (the slow path): they
 * handle subnormals, overflow and every flag. {@link #adjust}/{@link #adjustNoTie} re-round a
 * hardware round-to-nearest-even result in another mode from the sign of its exact error (the fast
 * path): valid only when the result and its neighbours are normal and finite.
 */
final class Rounding {
  private Rounding() {}

  /**
   * Rounds {@code sig * 2^exp} (sig &gt; 0) to binary64. {@code sig} must be exact, or hold at
   * least 55 significant bits with any discarded remainder ORed into its lowest bit: the rounding
   * point then stays above that sticky bit.
   */
  static long packD(boolean neg, int exp, long sig, int rm, FpStatus st) {
    return pack(neg, exp, sig, rm, st, 53, 1023, FpBits.D_EXP, FpBits.D_SIGN);
  }

  /** Rounds {@code sig * 2^exp} to binary32; same contract as {@link #packD} with 26 bits. */
  static int packS(boolean neg, int exp, long sig, int rm, FpStatus st) {
    return (int) pack(neg, exp, sig, rm, st, 24, 127, FpBits.S_EXP, 0x8000_0000L);
  }

  private static long pack(
      boolean neg,
      int exp,
      long sig,
      int rm,
      FpStatus st,
      int p,
      int emax,
      long infBits,
      long signBit) {
    int emin = 1 - emax;
    int norm = Long.numberOfLeadingZeros(sig) - 1;
    sig <<= norm;
    int e = exp - norm + 62; // exponent of the leading bit, now at bit 62
    long signBits = neg ? signBit : 0;
    if (e > emax) {
      return signBits | overflow(neg, rm, infBits, st);
    }
    int shift = 63 - p;
    boolean tiny = false;
    if (e < emin) {
      // RISC-V detects tininess after rounding: of the tiny exponents only emin-1 can
      // round (at full precision) up to the smallest normal and so escape being tiny.
      tiny = e < emin - 1 || !carriesOut(sig, shift, neg, rm, p);
      shift += emin - e;
      e = emin;
      if (shift > 63) {
        sig = 1; // everything lies below half the smallest subnormal: keep only "non-zero"
        shift = 63;
      }
    }
    long rest = sig & ((1L << shift) - 1);
    long mant = sig >>> shift;
    if (roundUp(rm, neg, rest, 1L << (shift - 1), mant & 1)) {
      mant++;
    }
    // Adding the significand (implicit bit included) onto exponent-1 makes a carry out of
    // the significand, or out of the subnormal range, bump the exponent field by itself.
    long bits = ((long) (e + emax - 1) << (p - 1)) + mant;
    if (bits >= infBits) {
      return signBits | overflow(neg, rm, infBits, st);
    }
    if (rest != 0) {
      st.flags |= tiny ? NX | UF : NX;
    }
    return signBits | bits;
  }

  private static boolean carriesOut(long sig, int shift, boolean neg, int rm, int p) {
    return (sig >>> shift) == (1L << p) - 1
        && roundUp(rm, neg, sig & ((1L << shift) - 1), 1L << (shift - 1), 1);
  }

  private static long overflow(boolean neg, int rm, long infBits, FpStatus st) {
    st.flags |= OF | NX;
    boolean toInfinity = rm == RNE || rm == RMM || (rm == RDN && neg) || (rm == RUP && !neg);
    return toInfinity ? infBits : infBits - 1;
  }

  /** Whether the magnitude rounds up, given the discarded bits {@code rest} and half an ulp. */
  static boolean roundUp(int rm, boolean neg, long rest, long half, long lsb) {
    switch (rm) {
      case RNE:
        return rest > half || (rest == half && lsb != 0);
      case RTZ:
        return false;
      case RDN:
        return neg && rest != 0;
      case RUP:
        return !neg && rest != 0;
      default:
        return rest >= half; // RMM
    }
  }

  /**
   * Re-rounds {@code hi = RNE(x)} in mode {@code rm}, where {@code err = x - hi} is exact and
   * non-zero. RMM differs from RNE only on an exact tie that RNE resolved towards zero.
   */
  static double adjust(double hi, double err, int rm) {
    if (rm == RMM) {
      boolean tieTowardZero = (err > 0) == (hi > 0) && Math.abs(err) == 0.5 * Math.ulp(hi);
      return tieTowardZero ? awayFromZero(hi) : hi;
    }
    return directed(hi, err, rm);
  }

  /**
   * As {@link #adjust} for results that can never be exactly halfway (quotients, square roots) or
   * whose error is only known by its sign.
   */
  static double adjustNoTie(double hi, double errSign, int rm) {
    return rm == RMM ? hi : directed(hi, errSign, rm);
  }

  private static double directed(double hi, double err, int rm) {
    switch (rm) {
      case RTZ:
        return (err > 0) == (hi > 0) ? hi : towardZero(hi);
      case RDN:
        return err < 0 ? Math.nextDown(hi) : hi;
      case RUP:
        return err > 0 ? Math.nextUp(hi) : hi;
      default:
        return hi;
    }
  }

  private static double towardZero(double hi) {
    return hi > 0 ? Math.nextDown(hi) : Math.nextUp(hi);
  }

  private static double awayFromZero(double hi) {
    return hi > 0 ? Math.nextUp(hi) : Math.nextDown(hi);
  }
}
