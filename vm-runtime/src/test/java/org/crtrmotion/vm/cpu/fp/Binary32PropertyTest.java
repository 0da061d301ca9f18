package org.crtrmotion.vm.cpu.fp;

import org.crtrmotion.vm.cpu.fp.Oracle.Format;

/** binary32 arithmetic against the oracle; singles travel in the low 32 bits. */
class Binary32PropertyTest extends ArithmeticProperties {
  Binary32PropertyTest() {
    super(Format.S);
  }

  private static long u(int bits) {
    return bits & 0xFFFF_FFFFL;
  }

  @Override
  long add(long a, long b, int rm, FpStatus st) {
    return u(SoftFloat.addS((int) a, (int) b, rm, st));
  }

  @Override
  long sub(long a, long b, int rm, FpStatus st) {
    return u(SoftFloat.subS((int) a, (int) b, rm, st));
  }

  @Override
  long mul(long a, long b, int rm, FpStatus st) {
    return u(SoftFloat.mulS((int) a, (int) b, rm, st));
  }

  @Override
  long div(long a, long b, int rm, FpStatus st) {
    return u(SoftFloat.divS((int) a, (int) b, rm, st));
  }

  @Override
  long sqrt(long a, int rm, FpStatus st) {
    return u(SoftFloat.sqrtS((int) a, rm, st));
  }

  @Override
  long fmadd(long a, long b, long c, int rm, FpStatus st) {
    return u(SoftFloat.fmaddS((int) a, (int) b, (int) c, rm, st));
  }

  @Override
  long fmsub(long a, long b, long c, int rm, FpStatus st) {
    return u(SoftFloat.fmsubS((int) a, (int) b, (int) c, rm, st));
  }

  @Override
  long fnmsub(long a, long b, long c, int rm, FpStatus st) {
    return u(SoftFloat.fnmsubS((int) a, (int) b, (int) c, rm, st));
  }

  @Override
  long fnmadd(long a, long b, long c, int rm, FpStatus st) {
    return u(SoftFloat.fnmaddS((int) a, (int) b, (int) c, rm, st));
  }
}
