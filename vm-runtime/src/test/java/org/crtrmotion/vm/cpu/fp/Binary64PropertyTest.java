package org.crtrmotion.vm.cpu.fp;

import org.crtrmotion.vm.cpu.fp.Oracle.Format;

/** binary64 arithmetic against the oracle. */
class Binary64PropertyTest extends ArithmeticProperties {
  Binary64PropertyTest() {
    super(Format.D);
  }

  @Override
  long add(long a, long b, int rm, FpStatus st) {
    return SoftFloat.addD(a, b, rm, st);
  }

  @Override
  long sub(long a, long b, int rm, FpStatus st) {
    return SoftFloat.subD(a, b, rm, st);
  }

  @Override
  long mul(long a, long b, int rm, FpStatus st) {
    return SoftFloat.mulD(a, b, rm, st);
  }

  @Override
  long div(long a, long b, int rm, FpStatus st) {
    return SoftFloat.divD(a, b, rm, st);
  }

  @Override
  long sqrt(long a, int rm, FpStatus st) {
    return SoftFloat.sqrtD(a, rm, st);
  }

  @Override
  long fmadd(long a, long b, long c, int rm, FpStatus st) {
    return SoftFloat.fmaddD(a, b, c, rm, st);
  }

  @Override
  long fmsub(long a, long b, long c, int rm, FpStatus st) {
    return SoftFloat.fmsubD(a, b, c, rm, st);
  }

  @Override
  long fnmsub(long a, long b, long c, int rm, FpStatus st) {
    return SoftFloat.fnmsubD(a, b, c, rm, st);
  }

  @Override
  long fnmadd(long a, long b, long c, int rm, FpStatus st) {
    return SoftFloat.fnmaddD(a, b, c, rm, st);
  }
}
