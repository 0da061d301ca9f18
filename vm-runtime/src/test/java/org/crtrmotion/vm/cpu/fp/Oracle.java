package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpStatus.DZ;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NX;
import static org.crtrmotion.vm.cpu.fp.FpStatus.OF;
import static org.crtrmotion.vm.cpu.fp.FpStatus.UF;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RDN;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RMM;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RNE;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RTZ;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.RUP;

import java.math.BigInteger;

/**
 * Reference IEEE-754 / RISC-V arithmetic, deliberately naive and independent of the code under
 * test: every finite operand becomes an exact rational (BigInteger numerator and denominator times
 * a power of two), the exact result is formed (quotients stay fractions, roots are bracketed
 * between integers), and it is rounded by one long division at the quantum of its binade. No
 * precision argument is needed: nothing is ever approximated. Values are raw bits in a long
 * (binary32 in the low 32 bits).
 */
final class Oracle {
  private Oracle() {}

  /** An IEEE binary interchange format. */
  static final class Format {
    static final Format D = new Format("binary64", 53, 11);
    static final Format S = new Format("binary32", 24, 8);

    final String name;
    final int p;
    final int expBits;
    final int bias;
    final int emin;
    final int emax;
    final int fieldMax;

    private Format(String name, int p, int expBits) {
      this.name = name;
      this.p = p;
      this.expBits = expBits;
      this.bias = (1 << (expBits - 1)) - 1;
      this.emax = bias;
      this.emin = 1 - bias;
      this.fieldMax = (1 << expBits) - 1;
    }

    long signBit() {
      return 1L << (p - 1 + expBits);
    }

    long fracMask() {
      return (1L << (p - 1)) - 1;
    }

    int field(long bits) {
      return (int) ((bits >>> (p - 1)) & fieldMax);
    }

    long frac(long bits) {
      return bits & fracMask();
    }

    boolean neg(long bits) {
      return (bits & signBit()) != 0;
    }

    boolean isNaN(long bits) {
      return field(bits) == fieldMax && frac(bits) != 0;
    }

    boolean isSNaN(long bits) {
      return isNaN(bits) && (frac(bits) >>> (p - 2)) == 0;
    }

    boolean isInf(long bits) {
      return field(bits) == fieldMax && frac(bits) == 0;
    }

    boolean isZero(long bits) {
      return field(bits) == 0 && frac(bits) == 0;
    }

    long canonicalNaN() {
      return ((long) fieldMax << (p - 1)) | (1L << (p - 2));
    }

    long inf(boolean neg) {
      return (neg ? signBit() : 0) | ((long) fieldMax << (p - 1));
    }

    long maxFinite(boolean neg) {
      return inf(neg) - 1;
    }

    long zero(boolean neg) {
      return neg ? signBit() : 0;
    }

    /** Exact value of a finite operand. */
    Dyadic value(long bits) {
      int field = field(bits);
      long m = frac(bits) | (field != 0 ? 1L << (p - 1) : 0);
      int e = Math.max(field, 1) - bias - (p - 1);
      return new Dyadic(BigInteger.valueOf(neg(bits) ? -m : m), e);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** m * 2^e, exactly. */
  record Dyadic(BigInteger m, int e) {
    Dyadic add(Dyadic o) {
      int k = Math.min(e, o.e);
      return new Dyadic(m.shiftLeft(e - k).add(o.m.shiftLeft(o.e - k)), k);
    }

    Dyadic mul(Dyadic o) {
      return new Dyadic(m.multiply(o.m), e + o.e);
    }

    int signum() {
      return m.signum();
    }
  }

  /** Result bits plus the flags the operation must raise. */
  record Result(long bits, int flags) {}

  // ------------------------------------------------------------------ rounding

  /** Rounds the exact non-zero rational num/den * 2^exp (num, den &gt; 0) with sign neg. */
  static Result round(Format f, boolean neg, BigInteger num, BigInteger den, int exp, int rm) {
    int e = exp + floorLog2(num, den);
    // Tininess after rounding: round to p bits as if the exponent range were unbounded.
    Rounded unbounded = roundAt(num, den, exp, e - (f.p - 1), neg, rm);
    int unboundedExp = e + (unbounded.m.bitLength() > f.p ? 1 : 0);
    boolean tiny = unboundedExp < f.emin;

    int q = Math.max(e, f.emin) - (f.p - 1);
    Rounded r = roundAt(num, den, exp, q, neg, rm);
    BigInteger m = r.m;
    if (m.bitLength() > f.p) { // carried into the next binade
      m = m.shiftRight(1);
      q++;
    }
    int flags = r.inexact ? NX : 0;
    if (r.inexact && tiny) {
      flags |= UF;
    }
    if (m.signum() == 0) {
      return new Result(f.zero(neg), flags);
    }
    long mm = m.longValueExact();
    boolean normal = m.bitLength() == f.p;
    int field = normal ? q + (f.p - 1) + f.bias : 0;
    if (field >= f.fieldMax) {
      boolean toInf =
          switch (rm) {
            case RNE, RMM -> true;
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> throw new IllegalArgumentException("rm " + rm);
          };
      return new Result(toInf ? f.inf(neg) : f.maxFinite(neg), OF | NX);
    }
    long bits = (neg ? f.signBit() : 0) | ((long) field << (f.p - 1)) | (mm & f.fracMask());
    return new Result(bits, flags);
  }

  static Result round(Format f, Dyadic v, int rm) {
    return round(f, v.signum() < 0, v.m.abs(), BigInteger.ONE, v.e, rm);
  }

  /** floor(log2(n/d)) for positive n, d. */
  private static int floorLog2(BigInteger n, BigInteger d) {
    int e = n.bitLength() - d.bitLength();
    boolean atLeast = e >= 0 ? n.compareTo(d.shiftLeft(e)) >= 0 : n.shiftLeft(-e).compareTo(d) >= 0;
    return atLeast ? e : e - 1;
  }

  record Rounded(BigInteger m, boolean inexact) {}

  /** The integer nearest (per rm) to num/den * 2^(exp - q), i.e. the value in units of 2^q. */
  static Rounded roundAt(BigInteger num, BigInteger den, int exp, int q, boolean neg, int rm) {
    int shift = exp - q;
    BigInteger m;
    boolean inexact;
    int half; // sign of (remainder - half a unit)
    if (den.equals(BigInteger.ONE) && shift < 0) {
      // Dyadic: the quotient is a shift and the remainder its low bits (fast for wide sums).
      int k = -shift;
      m = num.shiftRight(k);
      int low = num.getLowestSetBit();
      inexact = low < k;
      half = !num.testBit(k - 1) ? -1 : (low < k - 1 ? 1 : 0);
    } else {
      BigInteger n = shift > 0 ? num.shiftLeft(shift) : num;
      BigInteger d = shift < 0 ? den.shiftLeft(-shift) : den;
      BigInteger[] qr = n.divideAndRemainder(d);
      m = qr[0];
      inexact = qr[1].signum() != 0;
      half = qr[1].shiftLeft(1).compareTo(d);
    }
    boolean up =
        switch (rm) {
          case RNE -> half > 0 || (half == 0 && m.testBit(0));
          case RTZ -> false;
          case RDN -> neg && inexact;
          case RUP -> !neg && inexact;
          case RMM -> half >= 0;
          default -> throw new IllegalArgumentException("rm " + rm);
        };
    return new Rounded(up ? m.add(BigInteger.ONE) : m, inexact);
  }

  // ------------------------------------------------------------------ arithmetic

  private static Result nan(Format f, boolean invalid) {
    return new Result(f.canonicalNaN(), invalid ? NV : 0);
  }

  /** The rule for an exactly zero sum x + y. */
  private static Result zeroSum(
      Format f, boolean bothZeroOperands, boolean negX, boolean negY, int rm) {
    boolean neg = bothZeroOperands && negX == negY ? negX : rm == RDN;
    return new Result(f.zero(neg), 0);
  }

  static Result add(Format f, long a, long b, int rm) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return nan(f, f.isSNaN(a) || f.isSNaN(b));
    }
    if (f.isInf(a) && f.isInf(b)) {
      return f.neg(a) == f.neg(b) ? new Result(a, 0) : nan(f, true);
    }
    if (f.isInf(a)) return new Result(a, 0);
    if (f.isInf(b)) return new Result(b, 0);
    Dyadic sum = f.value(a).add(f.value(b));
    if (sum.signum() == 0) {
      return zeroSum(f, f.isZero(a) && f.isZero(b), f.neg(a), f.neg(b), rm);
    }
    return round(f, sum, rm);
  }

  static Result sub(Format f, long a, long b, int rm) {
    return add(f, a, b ^ f.signBit(), rm);
  }

  static Result mul(Format f, long a, long b, int rm) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return nan(f, f.isSNaN(a) || f.isSNaN(b));
    }
    boolean neg = f.neg(a) != f.neg(b);
    if ((f.isInf(a) && f.isZero(b)) || (f.isZero(a) && f.isInf(b))) {
      return nan(f, true);
    }
    if (f.isInf(a) || f.isInf(b)) return new Result(f.inf(neg), 0);
    if (f.isZero(a) || f.isZero(b)) return new Result(f.zero(neg), 0);
    return round(f, f.value(a).mul(f.value(b)), rm);
  }

  static Result div(Format f, long a, long b, int rm) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return nan(f, f.isSNaN(a) || f.isSNaN(b));
    }
    boolean neg = f.neg(a) != f.neg(b);
    if ((f.isInf(a) && f.isInf(b)) || (f.isZero(a) && f.isZero(b))) {
      return nan(f, true);
    }
    if (f.isInf(a)) return new Result(f.inf(neg), 0);
    if (f.isInf(b)) return new Result(f.zero(neg), 0);
    if (f.isZero(b)) return new Result(f.inf(neg), DZ);
    if (f.isZero(a)) return new Result(f.zero(neg), 0);
    Dyadic x = f.value(a);
    Dyadic y = f.value(b);
    return round(f, neg, x.m.abs(), y.m.abs(), x.e - y.e, rm);
  }

  static Result sqrt(Format f, long a, int rm) {
    if (f.isNaN(a)) return nan(f, f.isSNaN(a));
    if (f.isZero(a)) return new Result(a, 0);
    if (f.neg(a)) return nan(f, true);
    if (f.isInf(a)) return new Result(a, 0);
    Dyadic x = f.value(a);
    BigInteger m = x.m;
    int e = x.e;
    if ((e & 1) != 0) {
      m = m.shiftLeft(1);
      e--;
    }
    // s = floor(sqrt(m * 4^t)) with at least p+8 bits. If it is not exact, the root lies
    // strictly inside (s, s+1); every rounding boundary is then an even integer, so the
    // stand-in s + 1/2 rounds exactly like the root.
    int t = Math.max(0, (2 * f.p + 16 - m.bitLength()) / 2 + 1);
    BigInteger scaled = m.shiftLeft(2 * t);
    BigInteger s = scaled.sqrt();
    int exp = e / 2 - t;
    if (s.multiply(s).equals(scaled)) {
      return round(f, false, s, BigInteger.ONE, exp, rm);
    }
    return round(f, false, s.shiftLeft(1).add(BigInteger.ONE), BigInteger.TWO, exp, rm);
  }

  /** a * b + c with one rounding. */
  static Result fma(Format f, long a, long b, long c, int rm) {
    boolean infTimesZero = (f.isInf(a) && f.isZero(b)) || (f.isZero(a) && f.isInf(b));
    if (f.isNaN(a) || f.isNaN(b) || f.isNaN(c)) {
      return nan(f, f.isSNaN(a) || f.isSNaN(b) || f.isSNaN(c) || infTimesZero);
    }
    if (infTimesZero) return nan(f, true);
    boolean negP = f.neg(a) != f.neg(b);
    if (f.isInf(a) || f.isInf(b)) {
      if (f.isInf(c) && f.neg(c) != negP) return nan(f, true);
      return new Result(f.inf(negP), 0);
    }
    if (f.isInf(c)) return new Result(c, 0);
    Dyadic sum = f.value(a).mul(f.value(b)).add(f.value(c));
    if (sum.signum() == 0) {
      boolean productZero = f.isZero(a) || f.isZero(b);
      return zeroSum(f, productZero && f.isZero(c), negP, f.neg(c), rm);
    }
    return round(f, sum, rm);
  }

  static Result fmsub(Format f, long a, long b, long c, int rm) {
    return fma(f, a, b, c ^ f.signBit(), rm);
  }

  static Result fnmsub(Format f, long a, long b, long c, int rm) {
    return fma(f, a ^ f.signBit(), b, c, rm);
  }

  static Result fnmadd(Format f, long a, long b, long c, int rm) {
    return fma(f, a ^ f.signBit(), b, c ^ f.signBit(), rm);
  }

  // ------------------------------------------------------------------ comparisons

  /** Exact comparison of two non-NaN values, -0 == +0. Infinities handled by sign. */
  static int compare(Format f, long a, long b) {
    if (f.isInf(a) || f.isInf(b)) {
      int ka = f.isInf(a) ? (f.neg(a) ? -1 : 1) : 0;
      int kb = f.isInf(b) ? (f.neg(b) ? -1 : 1) : 0;
      if (ka != kb) return Integer.compare(ka, kb);
      if (ka != 0) return 0;
    }
    Dyadic negB = f.value(b ^ f.signBit());
    return f.value(a).add(negB).signum();
  }

  static Result min(Format f, long a, long b) {
    return minMax(f, a, b, true);
  }

  static Result max(Format f, long a, long b) {
    return minMax(f, a, b, false);
  }

  private static Result minMax(Format f, long a, long b, boolean min) {
    int flags = f.isSNaN(a) || f.isSNaN(b) ? NV : 0;
    if (f.isNaN(a) && f.isNaN(b)) return new Result(f.canonicalNaN(), flags);
    if (f.isNaN(a)) return new Result(b, flags);
    if (f.isNaN(b)) return new Result(a, flags);
    int c = compare(f, a, b);
    if (c == 0) {
      // -0 is less than +0; otherwise the two are the same bits
      boolean pickA = min ? f.neg(a) : !f.neg(a);
      return new Result(pickA ? a : b, 0);
    }
    return new Result((c < 0) == min ? a : b, 0);
  }

  static Result eq(Format f, long a, long b) {
    if (f.isNaN(a) || f.isNaN(b)) return new Result(0, f.isSNaN(a) || f.isSNaN(b) ? NV : 0);
    return new Result(compare(f, a, b) == 0 ? 1 : 0, 0);
  }

  static Result lt(Format f, long a, long b) {
    if (f.isNaN(a) || f.isNaN(b)) return new Result(0, NV);
    return new Result(compare(f, a, b) < 0 ? 1 : 0, 0);
  }

  static Result le(Format f, long a, long b) {
    if (f.isNaN(a) || f.isNaN(b)) return new Result(0, NV);
    return new Result(compare(f, a, b) <= 0 ? 1 : 0, 0);
  }

  static long fclass(Format f, long a) {
    boolean neg = f.neg(a);
    if (f.isNaN(a)) return f.isSNaN(a) ? 1 << 8 : 1 << 9;
    if (f.isInf(a)) return neg ? 1 : 1 << 7;
    if (f.isZero(a)) return neg ? 1 << 3 : 1 << 4;
    if (f.field(a) == 0) return neg ? 1 << 2 : 1 << 5;
    return neg ? 1 << 1 : 1 << 6;
  }

  // ------------------------------------------------------------------ conversions

  /** Integer destination of fcvt.{w,wu,l,lu}. */
  enum IntType {
    W(32, true),
    WU(32, false),
    L(64, true),
    LU(64, false);

    final BigInteger min;
    final BigInteger max;
    final boolean signed;
    final int width;

    IntType(int width, boolean signed) {
      this.width = width;
      this.signed = signed;
      this.min = signed ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
      this.max =
          (signed ? BigInteger.ONE.shiftLeft(width - 1) : BigInteger.ONE.shiftLeft(width))
              .subtract(BigInteger.ONE);
    }

    /** As RV64 writes it into an x register: 32-bit results sign-extended. */
    long register(BigInteger v) {
      long raw = v.longValue();
      return width == 32 ? (long) (int) raw : raw;
    }
  }

  static Result toInt(Format f, long a, IntType t, int rm) {
    if (f.isNaN(a)) return new Result(t.register(t.max), NV);
    if (f.isInf(a)) return new Result(t.register(f.neg(a) ? t.min : t.max), NV);
    if (f.isZero(a)) return new Result(0, 0);
    Dyadic v = f.value(a);
    boolean neg = v.signum() < 0;
    Rounded r = roundAt(v.m.abs(), BigInteger.ONE, v.e, 0, neg, rm);
    BigInteger value = neg ? r.m.negate() : r.m;
    if (value.compareTo(t.min) < 0) return new Result(t.register(t.min), NV);
    if (value.compareTo(t.max) > 0) return new Result(t.register(t.max), NV);
    return new Result(t.register(value), r.inexact ? NX : 0);
  }

  /** Integer source: the value as the CPU reads it from an x register. */
  static Result fromInt(Format f, BigInteger value, int rm) {
    if (value.signum() == 0) return new Result(0, 0);
    return round(f, value.signum() < 0, value.abs(), BigInteger.ONE, 0, rm);
  }

  static Result convert(Format from, Format to, long a, int rm) {
    if (from.isNaN(a)) return nan(to, from.isSNaN(a));
    if (from.isInf(a)) return new Result(to.inf(from.neg(a)), 0);
    if (from.isZero(a)) return new Result(to.zero(from.neg(a)), 0);
    return round(to, from.value(a), rm);
  }
}
