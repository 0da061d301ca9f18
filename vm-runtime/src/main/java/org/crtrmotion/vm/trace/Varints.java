package org.crtrmotion.vm.trace;

/** Unsigned LEB128 varints (protobuf's) and zig-zag, on plain byte arrays. */
final class Varints {
  /** A 64-bit value takes at most ten 7-bit groups. */
  static final int MAX_BYTES = 10;

  private Varints() {}

  /** Writes {@code value} as unsigned at {@code pos}; returns the position after it. */
  static int write(byte[] buf, int pos, long value) {
    while ((value & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return pos;
  }

  static int size(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Small magnitudes of either sign become small unsigned values. */
  static long zigzag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  static long unzigzag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }
}
