package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.classD;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.classS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** fclass: exactly one of ten bits. */
class ClassifyTest {
  @Test
  void negativeInfinityIsBit0() {
    assertEquals(1L << 0, classD(D_MINUS_INF));
    assertEquals(1L << 0, classS(S_MINUS_INF));
  }

  @Test
  void negativeNormalIsBit1() {
    assertEquals(1L << 1, classD(d(-1.5)));
    assertEquals(1L << 1, classS(s(-Float.MIN_NORMAL)));
  }

  @Test
  void negativeSubnormalIsBit2() {
    assertEquals(1L << 2, classD(d(-Double.MIN_VALUE)));
    assertEquals(1L << 2, classS(s(-Float.MIN_NORMAL) - 1));
  }

  @Test
  void negativeZeroIsBit3() {
    assertEquals(1L << 3, classD(D_MINUS_ZERO));
    assertEquals(1L << 3, classS(S_MINUS_ZERO));
  }

  @Test
  void positiveZeroIsBit4() {
    assertEquals(1L << 4, classD(D_PLUS_ZERO));
    assertEquals(1L << 4, classS(S_PLUS_ZERO));
  }

  @Test
  void positiveSubnormalIsBit5() {
    assertEquals(1L << 5, classD(d(Double.MIN_NORMAL) - 1));
    assertEquals(1L << 5, classS(s(Float.MIN_VALUE)));
  }

  @Test
  void positiveNormalIsBit6() {
    assertEquals(1L << 6, classD(D_MAX));
    assertEquals(1L << 6, classS(s(Float.MIN_NORMAL)));
  }

  @Test
  void positiveInfinityIsBit7() {
    assertEquals(1L << 7, classD(D_PLUS_INF));
    assertEquals(1L << 7, classS(S_PLUS_INF));
  }

  @Test
  void signallingNaNIsBit8WhateverItsSign() {
    assertEquals(1L << 8, classD(D_SNAN));
    assertEquals(1L << 8, classD(D_SNAN_NEG));
    assertEquals(1L << 8, classS(S_SNAN));
    assertEquals(1L << 8, classS(S_SNAN_NEG));
  }

  @Test
  void quietNaNIsBit9WhateverItsSignAndPayload() {
    assertEquals(1L << 9, classD(D_QNAN));
    assertEquals(1L << 9, classD(D_QNAN_PAYLOAD));
    assertEquals(1L << 9, classS(S_QNAN));
    assertEquals(1L << 9, classS(S_QNAN_PAYLOAD));
  }
}
