package org.crtrmotion.vm.cpu.fp;

import java.math.BigInteger;
import java.util.Random;
import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.crtrmotion.vm.cpu.fp.Oracle.IntType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** fcvt in every direction against the oracle, in every rounding mode. */
class ConversionPropertyTest {
  static final int CASES = 32_000;

  private static final double[] INTEGER_EDGES = {
    0, 1, 2, 3, 0x1p24, 0x1p31, 0x1p32, 0x1p52, 0x1p53, 0x1p63, 0x1p64,
  };
  private static final double[] FRACTIONS = {
    0, 0.5, 0.25, 0.75, 0.125, 0.875, 0.4999999, 0.5000001
  };

  /** Values around integers, halves and the 2^31/2^32/2^63/2^64 limits, plus the general mix. */
  private static long floatToIntOperand(Operands g) {
    Random r = g.random();
    Format f = g.f;
    if (r.nextInt(100) < 35) {
      return g.next();
    }
    double edge = INTEGER_EDGES[r.nextInt(INTEGER_EDGES.length)];
    double v;
    if (r.nextBoolean()) {
      v = edge + (r.nextInt(9) - 4) + FRACTIONS[r.nextInt(FRACTIONS.length)];
    } else {
      v = edge;
      for (int i = r.nextInt(4); i > 0; i--) { // ulp steps
        v = r.nextBoolean() ? Math.nextUp(v) : Math.nextDown(v);
      }
    }
    if (r.nextBoolean()) {
      v = -v;
    }
    if (f == Format.S) {
      float x = (float) v;
      if (r.nextBoolean()) {
        x = r.nextBoolean() ? Math.nextUp(x) : Math.nextDown(x);
      }
      return Float.floatToRawIntBits(x) & 0xFFFF_FFFFL;
    }
    return Double.doubleToRawLongBits(v);
  }

  /** Integers around the precision limits of both formats and the 32/64-bit boundaries. */
  private static long integerOperand(Random r) {
    int k = r.nextInt(100);
    if (k < 15) return r.nextLong();
    if (k < 25) return r.nextInt(2001) - 1000;
    if (k < 35) return r.nextInt();
    int bit = new int[] {23, 24, 25, 31, 32, 52, 53, 54, 62, 63}[r.nextInt(10)];
    long base = 1L << bit;
    if (k < 60) return base + r.nextInt(33) - 16;
    if (k < 80) { // a few significant bits around the rounding position: ties and near-ties
      long high = (r.nextLong() >>> 1) | (1L << 62);
      int drop = 64 - bit;
      long tail = r.nextInt(4) == 0 ? 1L << Math.max(0, 62 - 53 - r.nextInt(3)) : r.nextInt(8);
      return (high >>> drop << drop) ^ tail;
    }
    return -(base + r.nextInt(33) - 16);
  }

  private static void toInt(
      Format f, IntType t, Mode mode, int seed, PropertyRunner.Subject subject) {
    PropertyRunner.run(
        "to" + t,
        f,
        mode,
        seed,
        CASES,
        g -> new long[] {floatToIntOperand(g)},
        subject,
        (o, rm) -> Oracle.toInt(f, o[0], t, rm));
  }

  private static void fromInt(
      Format f,
      String name,
      Mode mode,
      int seed,
      java.util.function.LongFunction<BigInteger> asRead,
      PropertyRunner.Subject subject) {
    PropertyRunner.run(
        name,
        f,
        mode,
        seed,
        CASES,
        g -> new long[] {integerOperand(g.random())},
        subject,
        (o, rm) -> {
          Oracle.Result r = Oracle.fromInt(f, asRead.apply(o[0]), rm);
          return r;
        });
  }

  private static long u(int bits) {
    return bits & 0xFFFF_FFFFL;
  }

  private static BigInteger unsigned(long x) {
    return new BigInteger(Long.toUnsignedString(x));
  }

  // ---------------------------------------------------------------- to integer

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dToWMatchesOracle(Mode m) {
    toInt(Format.D, IntType.W, m, 11, (o, rm, st) -> SoftFloat.dToW(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dToWuMatchesOracle(Mode m) {
    toInt(Format.D, IntType.WU, m, 12, (o, rm, st) -> SoftFloat.dToWu(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dToLMatchesOracle(Mode m) {
    toInt(Format.D, IntType.L, m, 13, (o, rm, st) -> SoftFloat.dToL(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dToLuMatchesOracle(Mode m) {
    toInt(Format.D, IntType.LU, m, 14, (o, rm, st) -> SoftFloat.dToLu(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sToWMatchesOracle(Mode m) {
    toInt(Format.S, IntType.W, m, 15, (o, rm, st) -> SoftFloat.sToW((int) o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sToWuMatchesOracle(Mode m) {
    toInt(Format.S, IntType.WU, m, 16, (o, rm, st) -> SoftFloat.sToWu((int) o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sToLMatchesOracle(Mode m) {
    toInt(Format.S, IntType.L, m, 17, (o, rm, st) -> SoftFloat.sToL((int) o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sToLuMatchesOracle(Mode m) {
    toInt(Format.S, IntType.LU, m, 18, (o, rm, st) -> SoftFloat.sToLu((int) o[0], rm, st));
  }

  // ---------------------------------------------------------------- from integer

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wToDMatchesOracle(Mode m) {
    fromInt(
        Format.D,
        "wToD",
        m,
        21,
        x -> BigInteger.valueOf((int) x),
        (o, rm, st) -> SoftFloat.wToD(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wuToDMatchesOracle(Mode m) {
    fromInt(
        Format.D,
        "wuToD",
        m,
        22,
        x -> BigInteger.valueOf(x & 0xFFFF_FFFFL),
        (o, rm, st) -> SoftFloat.wuToD(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void lToDMatchesOracle(Mode m) {
    fromInt(
        Format.D, "lToD", m, 23, BigInteger::valueOf, (o, rm, st) -> SoftFloat.lToD(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void luToDMatchesOracle(Mode m) {
    fromInt(
        Format.D,
        "luToD",
        m,
        24,
        ConversionPropertyTest::unsigned,
        (o, rm, st) -> SoftFloat.luToD(o[0], rm, st));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wToSMatchesOracle(Mode m) {
    fromInt(
        Format.S,
        "wToS",
        m,
        25,
        x -> BigInteger.valueOf((int) x),
        (o, rm, st) -> u(SoftFloat.wToS(o[0], rm, st)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wuToSMatchesOracle(Mode m) {
    fromInt(
        Format.S,
        "wuToS",
        m,
        26,
        x -> BigInteger.valueOf(x & 0xFFFF_FFFFL),
        (o, rm, st) -> u(SoftFloat.wuToS(o[0], rm, st)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void lToSMatchesOracle(Mode m) {
    fromInt(
        Format.S,
        "lToS",
        m,
        27,
        BigInteger::valueOf,
        (o, rm, st) -> u(SoftFloat.lToS(o[0], rm, st)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void luToSMatchesOracle(Mode m) {
    fromInt(
        Format.S,
        "luToS",
        m,
        28,
        ConversionPropertyTest::unsigned,
        (o, rm, st) -> u(SoftFloat.luToS(o[0], rm, st)));
  }

  // ---------------------------------------------------------------- between formats

  /** Doubles spread over and around the binary32 range, with single-precision ties. */
  private static long doubleForNarrowing(Operands g) {
    Random r = g.random();
    if (r.nextInt(100) < 30) {
      return g.next();
    }
    int exp = -160 + r.nextInt(300); // float subnormals .. beyond float overflow
    long frac = r.nextLong() & 0x000F_FFFF_FFFF_FFFFL;
    switch (r.nextInt(3)) {
      case 0:
        frac = (frac & ~0x1FFF_FFFFL) | 0x1000_0000L;
        break; // exactly halfway
      case 1:
        frac &= ~0x1FFF_FFFFL;
        break; // exactly a single's significand
      default:
        break;
    }
    long bits = ((long) (exp + 1023) << 52) | frac;
    return r.nextBoolean() ? bits | FpBits.D_SIGN : bits;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dToSMatchesOracle(Mode m) {
    PropertyRunner.run(
        "dToS",
        Format.D,
        m,
        31,
        CASES,
        g -> new long[] {doubleForNarrowing(g)},
        (o, rm, st) -> u(SoftFloat.dToS(o[0], rm, st)),
        (o, rm) -> Oracle.convert(Format.D, Format.S, o[0], rm));
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = "RNE")
  void sToDMatchesOracle(Mode m) {
    PropertyRunner.run(
        "sToD",
        Format.S,
        m,
        32,
        CASES,
        g -> new long[] {g.next()},
        (o, rm, st) -> SoftFloat.sToD((int) o[0], st),
        (o, rm) -> Oracle.convert(Format.S, Format.D, o[0], rm));
  }
}
