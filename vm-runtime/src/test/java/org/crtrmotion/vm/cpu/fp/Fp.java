package org.crtrmotion.vm.cpu.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shorthands for hand-written corner-case tests. */
final class Fp {
  private Fp() {}

  static final long D_QNAN = 0x7FF8_0000_0000_0000L;
  static final long D_QNAN_PAYLOAD = 0xFFF8_0000_0000_1234L; // negative, with payload
  static final long D_SNAN = 0x7FF0_0000_0000_0001L;
  static final long D_SNAN_NEG = 0xFFF4_0000_0000_0000L;
  static final long D_PLUS_INF = 0x7FF0_0000_0000_0000L;
  static final long D_MINUS_INF = 0xFFF0_0000_0000_0000L;
  static final long D_PLUS_ZERO = 0;
  static final long D_MINUS_ZERO = 0x8000_0000_0000_0000L;
  static final long D_MAX = 0x7FEF_FFFF_FFFF_FFFFL;

  static final int S_QNAN = 0x7FC0_0000;
  static final int S_QNAN_PAYLOAD = 0xFFC0_1234;
  static final int S_SNAN = 0x7F80_0001;
  static final int S_SNAN_NEG = 0xFFA0_0000;
  static final int S_PLUS_INF = 0x7F80_0000;
  static final int S_MINUS_INF = 0xFF80_0000;
  static final int S_PLUS_ZERO = 0;
  static final int S_MINUS_ZERO = 0x8000_0000;

  static final int NONE = 0;

  static long d(double x) {
    return Double.doubleToRawLongBits(x);
  }

  static int s(float x) {
    return Float.floatToRawIntBits(x);
  }

  /** Asserts the result bits and the complete set of raised flags. */
  static void assertD(long expected, int expectedFlags, long actual, FpStatus st) {
    assertEquals(hex(expected), hex(actual), "result");
    assertEquals(flags(expectedFlags), st.toString(), "flags");
  }

  static void assertS(int expected, int expectedFlags, int actual, FpStatus st) {
    assertEquals(String.format("0x%08x", expected), String.format("0x%08x", actual), "result");
    assertEquals(flags(expectedFlags), st.toString(), "flags");
  }

  static void assertFlags(int expectedFlags, FpStatus st) {
    assertEquals(flags(expectedFlags), st.toString(), "flags");
  }

  private static String hex(long bits) {
    return String.format("0x%016x (%s)", bits, Double.longBitsToDouble(bits));
  }

  private static String flags(int flags) {
    FpStatus st = new FpStatus();
    st.flags = flags;
    return st.toString();
  }
}
