package org.crtrmotion.vm.cpu.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.junit.jupiter.api.Test;

/**
 * The oracle's round-to-nearest-even values must agree with the JVM's own IEEE arithmetic (NaN
 * payloads aside): a check on the reference itself, independent of SoftFloat.
 */
class OracleSelfTest {
  private static final int CASES = 20_000;

  private static long canonical(double d) {
    return d != d ? Format.D.canonicalNaN() : Double.doubleToRawLongBits(d);
  }

  private static long canonical(float f) {
    return f != f ? Format.S.canonicalNaN() : Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
  }

  private static double d(long bits) {
    return Double.longBitsToDouble(bits);
  }

  private static float s(long bits) {
    return Float.intBitsToFloat((int) bits);
  }

  @Test
  void binary64NearestEvenValuesAgreeWithJavaArithmetic() {
    Operands g = new Operands(Format.D, 99);
    Format f = Format.D;
    for (int i = 0; i < CASES; i++) {
      long a = g.next();
      long b = g.partnerForProduct(a, i % 2 == 0);
      long c = g.partnerForAdd(a);
      assertEquals(canonical(d(a) + d(b)), Oracle.add(f, a, b, 0).bits(), "add");
      assertEquals(canonical(d(a) * d(b)), Oracle.mul(f, a, b, 0).bits(), "mul");
      assertEquals(canonical(d(a) / d(b)), Oracle.div(f, a, b, 0).bits(), "div");
      assertEquals(canonical(Math.sqrt(d(a))), Oracle.sqrt(f, a, 0).bits(), "sqrt");
      assertEquals(canonical(Math.fma(d(a), d(b), d(c))), Oracle.fma(f, a, b, c, 0).bits(), "fma");
      assertEquals(canonical((float) d(a)), Oracle.convert(f, Format.S, a, 0).bits(), "d2f");
    }
  }

  @Test
  void binary32NearestEvenValuesAgreeWithJavaArithmetic() {
    Operands g = new Operands(Format.S, 98);
    Format f = Format.S;
    for (int i = 0; i < CASES; i++) {
      long a = g.next();
      long b = g.partnerForProduct(a, i % 2 == 0);
      long c = g.partnerForAdd(a);
      assertEquals(canonical(s(a) + s(b)), Oracle.add(f, a, b, 0).bits(), "add");
      assertEquals(canonical(s(a) * s(b)), Oracle.mul(f, a, b, 0).bits(), "mul");
      assertEquals(canonical(s(a) / s(b)), Oracle.div(f, a, b, 0).bits(), "div");
      assertEquals(canonical((float) Math.sqrt(s(a))), Oracle.sqrt(f, a, 0).bits(), "sqrt");
      assertEquals(canonical(Math.fma(s(a), s(b), s(c))), Oracle.fma(f, a, b, c, 0).bits(), "fma");
    }
  }
}
