package org.crtrmotion.vm.cpu.fp;

/** The five static rounding modes, for readable parameterised test names. */
enum Mode {
  RNE(SoftFloat.RNE),
  RTZ(SoftFloat.RTZ),
  RDN(SoftFloat.RDN),
  RUP(SoftFloat.RUP),
  RMM(SoftFloat.RMM);

  final int rm;

  Mode(int rm) {
    this.rm = rm;
  }
}
