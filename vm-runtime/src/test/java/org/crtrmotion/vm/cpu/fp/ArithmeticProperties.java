package org.crtrmotion.vm.cpu.fp;

import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Randomised comparison of the arithmetic of one format against {@link Oracle}, bits and flags, in
 * every rounding mode. Subclasses bind the format to the matching SoftFloat entry points.
 */
abstract class ArithmeticProperties {
  /** Per operation and rounding mode. */
  static final int CASES = 40_000;

  final Format f;

  ArithmeticProperties(Format f) {
    this.f = f;
  }

  abstract long add(long a, long b, int rm, FpStatus st);

  abstract long sub(long a, long b, int rm, FpStatus st);

  abstract long mul(long a, long b, int rm, FpStatus st);

  abstract long div(long a, long b, int rm, FpStatus st);

  abstract long sqrt(long a, int rm, FpStatus st);

  abstract long fmadd(long a, long b, long c, int rm, FpStatus st);

  abstract long fmsub(long a, long b, long c, int rm, FpStatus st);

  abstract long fnmsub(long a, long b, long c, int rm, FpStatus st);

  abstract long fnmadd(long a, long b, long c, int rm, FpStatus st);

  private long[] pairForAdd(Operands g) {
    long a = g.next();
    return new long[] {a, g.partnerForAdd(a)};
  }

  private long[] pairForProduct(Operands g, boolean divide) {
    long a = g.next();
    return new long[] {a, g.partnerForProduct(a, divide)};
  }

  private long[] tripleForFma(Operands g) {
    long a = g.next();
    long b = g.partnerForProduct(a, false);
    long product = Oracle.mul(f, a, b, SoftFloat.RNE).bits();
    return new long[] {a, b, g.addendFor(a, b, product)};
  }

  private void run(
      String op,
      Mode mode,
      int seed,
      PropertyRunner.Generator gen,
      PropertyRunner.Subject subject,
      PropertyRunner.Reference reference) {
    PropertyRunner.run(op, f, mode, seed, CASES, gen, subject, reference);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void addMatchesOracle(Mode mode) {
    run(
        "add",
        mode,
        1,
        this::pairForAdd,
        (o, rm, st) -> add(o[0], o[1], rm, st),
        (o, rm) -> Oracle.add(f, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void subMatchesOracle(Mode mode) {
    run(
        "sub",
        mode,
        2,
        this::pairForAdd,
        (o, rm, st) -> sub(o[0], o[1], rm, st),
        (o, rm) -> Oracle.sub(f, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void mulMatchesOracle(Mode mode) {
    run(
        "mul",
        mode,
        3,
        g -> pairForProduct(g, false),
        (o, rm, st) -> mul(o[0], o[1], rm, st),
        (o, rm) -> Oracle.mul(f, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void divMatchesOracle(Mode mode) {
    run(
        "div",
        mode,
        4,
        g -> pairForProduct(g, true),
        (o, rm, st) -> div(o[0], o[1], rm, st),
        (o, rm) -> Oracle.div(f, o[0], o[1], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sqrtMatchesOracle(Mode mode) {
    run(
        "sqrt",
        mode,
        5,
        g -> new long[] {g.radicand()},
        (o, rm, st) -> sqrt(o[0], rm, st),
        (o, rm) -> Oracle.sqrt(f, o[0], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fmaddMatchesOracle(Mode mode) {
    run(
        "fmadd",
        mode,
        6,
        this::tripleForFma,
        (o, rm, st) -> fmadd(o[0], o[1], o[2], rm, st),
        (o, rm) -> Oracle.fma(f, o[0], o[1], o[2], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fmsubMatchesOracle(Mode mode) {
    run(
        "fmsub",
        mode,
        7,
        this::tripleForFma,
        (o, rm, st) -> fmsub(o[0], o[1], o[2], rm, st),
        (o, rm) -> Oracle.fmsub(f, o[0], o[1], o[2], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fnmsubMatchesOracle(Mode mode) {
    run(
        "fnmsub",
        mode,
        8,
        this::tripleForFma,
        (o, rm, st) -> fnmsub(o[0], o[1], o[2], rm, st),
        (o, rm) -> Oracle.fnmsub(f, o[0], o[1], o[2], rm));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fnmaddMatchesOracle(Mode mode) {
    run(
        "fnmadd",
        mode,
        9,
        this::tripleForFma,
        (o, rm, st) -> fnmadd(o[0], o[1], o[2], rm, st),
        (o, rm) -> Oracle.fnmadd(f, o[0], o[1], o[2], rm));
  }
}
