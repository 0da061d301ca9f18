package org.crtrmotion.vm.cpu.fp;

import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.crtrmotion.vm.cpu.fp.Oracle.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** fmin/fmax/feq/flt/fle/fclass against the oracle for both formats. */
class ComparisonPropertyTest {
  static final int CASES = 80_000;

  enum Fmt {
    D(Format.D),
    S(Format.S);

    final Format f;

    Fmt(Format f) {
      this.f = f;
    }
  }

  /** Pairs that are often equal, equal but for the sign, or adjacent. */
  private static long[] pair(Operands g) {
    long a = g.next();
    long b;
    switch (g.random().nextInt(4)) {
      case 0:
        b = a;
        break;
      case 1:
        b = a ^ g.f.signBit();
        break;
      case 2:
        b = (a + g.random().nextInt(3) - 1) & (g.f.signBit() | (g.f.signBit() - 1));
        break;
      default:
        b = g.next();
        break;
    }
    return new long[] {a, b};
  }

  private interface Binary {
    long apply(Fmt f, long a, long b, FpStatus st);
  }

  private interface Ref {
    Result apply(Format f, long a, long b);
  }

  private static void run(String op, Fmt fmt, Binary subject, Ref reference) {
    PropertyRunner.run(
        op,
        fmt.f,
        Mode.RNE,
        40 + op.length(),
        CASES,
        ComparisonPropertyTest::pair,
        (o, rm, st) -> subject.apply(fmt, o[0], o[1], st),
        (o, rm) -> reference.apply(fmt.f, o[0], o[1]));
  }

  private static long u(int bits) {
    return bits & 0xFFFF_FFFFL;
  }

  private static long bool(boolean b) {
    return b ? 1 : 0;
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void minMatchesOracle(Fmt fmt) {
    run(
        "min",
        fmt,
        (f, a, b, st) ->
            f == Fmt.D ? SoftFloat.minD(a, b, st) : u(SoftFloat.minS((int) a, (int) b, st)),
        Oracle::min);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void maxMatchesOracle(Fmt fmt) {
    run(
        "max",
        fmt,
        (f, a, b, st) ->
            f == Fmt.D ? SoftFloat.maxD(a, b, st) : u(SoftFloat.maxS((int) a, (int) b, st)),
        Oracle::max);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void eqMatchesOracle(Fmt fmt) {
    run(
        "eq",
        fmt,
        (f, a, b, st) ->
            bool(f == Fmt.D ? SoftFloat.eqD(a, b, st) : SoftFloat.eqS((int) a, (int) b, st)),
        Oracle::eq);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void ltMatchesOracle(Fmt fmt) {
    run(
        "lt",
        fmt,
        (f, a, b, st) ->
            bool(f == Fmt.D ? SoftFloat.ltD(a, b, st) : SoftFloat.ltS((int) a, (int) b, st)),
        Oracle::lt);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void leMatchesOracle(Fmt fmt) {
    run(
        "le",
        fmt,
        (f, a, b, st) ->
            bool(f == Fmt.D ? SoftFloat.leD(a, b, st) : SoftFloat.leS((int) a, (int) b, st)),
        Oracle::le);
  }

  @ParameterizedTest
  @EnumSource(Fmt.class)
  void classMatchesOracle(Fmt fmt) {
    run(
        "class",
        fmt,
        (f, a, b, st) -> f == Fmt.D ? SoftFloat.classD(a) : SoftFloat.classS((int) a),
        (f, a, b) -> new Result(Oracle.fclass(f, a), 0));
  }
}
