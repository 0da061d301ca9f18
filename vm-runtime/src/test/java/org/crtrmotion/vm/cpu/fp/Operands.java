package org.crtrmotion.vm.cpu.fp;

import java.util.Random;
import org.crtrmotion.vm.cpu.fp.Oracle.Format;

/**
 * Seeded operand generator biased towards the places where floating-point code goes wrong: special
 * values, powers of two and their neighbours, subnormals, the overflow edge, values with few
 * significant bits (exact results and ties), and operand pairs built to cancel, to tie, or to land
 * the result near the subnormal or overflow threshold.
 */
final class Operands {
  private final Random rnd;
  final Format f;

  Operands(Format f, long seed) {
    this.f = f;
    this.rnd = new Random(seed);
  }

  private long compose(boolean neg, int field, long frac) {
    return (neg ? f.signBit() : 0) | ((long) field << (f.p - 1)) | (frac & f.fracMask());
  }

  private long randomFrac() {
    return rnd.nextLong() & f.fracMask();
  }

  private int normalField(int unbiasedExp) {
    return Math.max(1, Math.min(f.fieldMax - 1, unbiasedExp + f.bias));
  }

  private long special() {
    long[] s = {
      0,
      f.signBit(),
      f.inf(false),
      f.inf(true),
      f.canonicalNaN(),
      f.canonicalNaN() | f.signBit() | 0x1234, // quiet NaN with payload and sign
      ((long) f.fieldMax << (f.p - 1)) | 1, // signalling NaN
      ((long) f.fieldMax << (f.p - 1)) | f.signBit() | (f.fracMask() >>> 1), // signalling
      1,
      1 | f.signBit(), // smallest subnormals
      1L << (f.p - 1),
      (1L << (f.p - 1)) | f.signBit(), // smallest normals
      f.fracMask(), // largest subnormal
      f.maxFinite(false),
      f.maxFinite(true),
      compose(false, f.bias, 0),
      compose(true, f.bias, 0), // +-1
    };
    return s[rnd.nextInt(s.length)];
  }

  private long wrap(long bits) {
    return bits & (f.signBit() | (f.signBit() - 1));
  }

  /** One operand from the biased mix. */
  long next() {
    int k = rnd.nextInt(100);
    boolean neg = rnd.nextBoolean();
    if (k < 8) return special();
    if (k < 25) return rnd.nextLong() & (f.signBit() | (f.signBit() - 1)); // any bits
    if (k < 40) { // a power of two or a few ulps around it
      long frac = rnd.nextBoolean() ? rnd.nextInt(4) : f.fracMask() - rnd.nextInt(4);
      return compose(neg, 1 + rnd.nextInt(f.fieldMax - 1), frac);
    }
    if (k < 50) { // subnormal, often with few bits
      long frac = rnd.nextBoolean() ? randomFrac() : randomFrac() >>> rnd.nextInt(f.p - 1);
      return compose(neg, 0, frac == 0 ? 1 : frac);
    }
    if (k < 58) return compose(neg, f.fieldMax - 1 - rnd.nextInt(3), randomFrac()); // near max
    if (k < 72) return fewBits(neg, rnd.nextInt(f.fieldMax - 1) + 1 - f.bias);
    if (k < 80) return compose(neg, 1 + rnd.nextInt(3), randomFrac()); // just above subnormal
    return compose(neg, normalField(rnd.nextInt(61) - 30), randomFrac()); // moderate
  }

  /** A value with a short significand: sums and products of these are exact or tie. */
  long fewBits(boolean neg, int unbiasedExp) {
    int bits = 1 + rnd.nextInt(f.p / 2 + 2);
    long sig = (rnd.nextLong() >>> (64 - bits)) | (1L << (bits - 1)) | 1;
    long frac = (sig << (f.p - bits)) & f.fracMask();
    return compose(neg, normalField(unbiasedExp), frac);
  }

  private int exponentOf(long bits) {
    return Math.max(f.field(bits), 1) - f.bias;
  }

  /** A second operand: independent, or related to a so that the result is interesting. */
  long partnerForAdd(long a) {
    if (rnd.nextInt(100) < 40 || f.field(a) == f.fieldMax) return next();
    int ea = exponentOf(a);
    boolean neg = rnd.nextBoolean();
    switch (rnd.nextInt(5)) {
      case 0: // cancellation: -a plus a few ulps
        return wrap((a ^ f.signBit()) + rnd.nextInt(7) - 3);
      case 1: // lands around half an ulp of a: ties and near-ties
        return compose(
            neg,
            normalField(ea - f.p + rnd.nextInt(3) - 1),
            rnd.nextBoolean() ? 0 : rnd.nextInt(4));
      case 2: // same binade, random bits
        return compose(neg, normalField(ea + rnd.nextInt(5) - 2), randomFrac());
      case 3: // few bits near a's exponent
        return fewBits(neg, ea - rnd.nextInt(f.p + 3));
      default: // far below a: only sticky
        return compose(neg, normalField(ea - f.p - 2 - rnd.nextInt(60)), randomFrac());
    }
  }

  /** A second factor/divisor that puts the result near the edges of the range. */
  long partnerForProduct(long a, boolean divide) {
    if (rnd.nextInt(100) < 40 || f.field(a) == f.fieldMax || f.isZero(a)) return next();
    int ea = exponentOf(a);
    boolean neg = rnd.nextBoolean();
    int target;
    switch (rnd.nextInt(4)) {
      case 0:
        target = f.emin - rnd.nextInt(f.p + 2);
        break; // subnormal result
      case 1:
        target = f.emin - 1 + rnd.nextInt(3);
        break; // around the smallest normal
      case 2:
        target = f.emax - 1 + rnd.nextInt(3);
        break; // around overflow
      default:
        target = rnd.nextInt(41) - 20;
        break;
    }
    int eb = divide ? ea - target : target - ea;
    if (eb < f.emin - f.p + 1 || eb > f.emax) return next();
    long b = rnd.nextBoolean() ? fewBits(neg, eb) : compose(neg, normalField(eb), randomFrac());
    if (eb < f.emin) { // a subnormal partner
      long frac = 1L << (eb - (f.emin - f.p + 1));
      return compose(neg, 0, frac | (rnd.nextBoolean() ? 0 : randomFrac() & (frac - 1)));
    }
    return b;
  }

  /** An addend for a*b: often near -(a*b) (cancellation) or around its rounding point. */
  long addendFor(long a, long b, long productBits) {
    int k = rnd.nextInt(100);
    if (k < 35 || f.isNaN(productBits) || f.isInf(productBits) || f.isZero(productBits)) {
      return next();
    }
    if (k < 60) return wrap((productBits ^ f.signBit()) + rnd.nextInt(5) - 2); // cancellation
    return partnerForAdd(productBits);
  }

  /** An exact square, a near-square or any operand. */
  long radicand() {
    if (rnd.nextInt(100) < 50) {
      long x = next();
      return rnd.nextInt(4) == 0 ? x : x & ~f.signBit(); // mostly non-negative
    }
    long root = fewBits(false, rnd.nextInt(f.fieldMax - 2) - f.bias + 1);
    long square = Oracle.mul(f, root, root, SoftFloat.RNE).bits();
    return wrap(square + rnd.nextInt(5) - 2);
  }

  Random random() {
    return rnd;
  }
}
