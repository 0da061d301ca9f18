package org.crtrmotion.vm.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian reads from an ELF file, with offsets and sizes that compare unsigned. */
final class ElfBytes {
  private final byte[] bytes;
  private final ByteBuffer buffer;

  ElfBytes(byte[] bytes) {
    this.bytes = bytes;
    this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  int length() {
    return bytes.length;
  }

  int u8(long offset) {
    return bytes[index(offset)] & 0xff;
  }

  int u16(long offset) {
    return buffer.getShort(index(offset)) & 0xffff;
  }

  long u32(long offset) {
    return buffer.getInt(index(offset)) & 0xffff_ffffL;
  }

  long u64(long offset) {
    return buffer.getLong(index(offset));
  }

  /** Whether {@code size} bytes from {@code offset} (both unsigned) lie inside the file. */
  boolean contains(long offset, long size) {
    return Long.compareUnsigned(offset, bytes.length) <= 0
        && Long.compareUnsigned(size, bytes.length - offset) <= 0;
  }

  /** Copy of a range that {@link #contains} has accepted. */
  byte[] copy(long offset, long size) {
    byte[] copy = new byte[Math.toIntExact(size)];
    System.arraycopy(bytes, index(offset), copy, 0, copy.length);
    return copy;
  }

  /** Index of the NUL that ends the string at {@code offset}, or -1 if none before {@code end}. */
  int nulFrom(long offset, long end) {
    for (long i = offset; i < end; i++) {
      if (bytes[(int) i] == 0) {
        return (int) i;
      }
    }
    return -1;
  }

  String utf8(int from, int to) {
    return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int index(long offset) {
    // Callers check ranges first; a bad offset here is a loader bug, not a bad file.
    return Math.toIntExact(offset);
  }

  static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }
}
