package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.D_SIGN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;

import java.math.BigInteger;

/**
 * The exact value of ±pa·pb·2^ep ± c·2^ec, rounded once to binary64. Only the rare slow path of add
 * and fused multiply-add gets here (results near overflow or underflow, extreme exponent gaps), so
 * it trades allocation for obviously exact arithmetic.
 */
final class ExactSum {
  private ExactSum() {}

  /**
   * Beyond this exponent gap the smaller term lies below a quarter ulp of the larger one (whose
   * significand is normalised to at least 2^52) and only its sign can matter; clamping it keeps the
   * integers small.
   */
  private static final int GAP = 128;

  /**
   * @param pa, pb significands of the product (pb = 1 for a plain sum), each in [2^52, 2^53)
   * @param c the addend's significand in [2^52, 2^53), or 0 for no addend
   */
  static long roundD(
      boolean negP, long pa, long pb, int ep, boolean negC, long c, int ec, int rm, FpStatus st) {
    BigInteger p = BigInteger.valueOf(pa).multiply(BigInteger.valueOf(pb));
    if (negP) {
      p = p.negate();
    }
    if (c == 0) {
      return round(p, ep, rm, st);
    }
    BigInteger q = BigInteger.valueOf(negC ? -c : c);
    if (ep < ec - GAP) {
      p = BigInteger.valueOf(p.signum());
      ep = ec - GAP;
    } else if (ec < ep - GAP) {
      q = BigInteger.valueOf(q.signum());
      ec = ep - GAP;
    }
    int e = Math.min(ep, ec);
    BigInteger sum = p.shiftLeft(ep - e).add(q.shiftLeft(ec - e));
    if (sum.signum() == 0) {
      return rm == RDN ? D_SIGN : 0;
    }
    return round(sum, e, rm, st);
  }

  /** Rounds the non-zero integer v·2^e, compressed to 62 bits plus a sticky bit. */
  private static long round(BigInteger v, int e, int rm, FpStatus st) {
    boolean neg = v.signum() < 0;
    BigInteger mag = v.abs();
    int excess = mag.bitLength() - 62;
    if (excess <= 0) {
      return Rounding.packD(neg, e, mag.longValue(), rm, st);
    }
    long sticky = mag.getLowestSetBit() < excess ? 1 : 0;
    return Rounding.packD(neg, e + excess, mag.shiftRight(excess).longValue() | sticky, rm, st);
  }
}
