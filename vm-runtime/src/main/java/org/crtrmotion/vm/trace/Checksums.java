package org.crtrmotion.vm.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * CRC32C over a canonical byte form of the decoded fields, not over the protobuf bytes: protobuf
 * does not promise one encoding per message, and a check over values also catches a field that went
 * missing (a flipped tag) and came back as its default.
 *
 * <p>CRC32C rather than a 64-bit hash: the JDK computes it with the CPU's CRC instructions, it
 * detects every burst of up to 32 flipped bits and every error of up to 3 bits in segments of this
 * size, and the remaining 2^-32 chance of a random corruption passing is far below the rate of the
 * faults it guards against. It is not a defence against a forger; nothing here is.
 */
final class Checksums {
  private Checksums() {}

  static int segment(
      long sequence, long firstIcount, long lastIcount, int eventCount, int flags, byte[] events) {
    ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(sequence).putLong(firstIcount).putLong(lastIcount).putInt(eventCount);
    head.putInt(flags).flip();
    CRC32C crc = new CRC32C();
    crc.update(head);
    crc.update(events);
    return (int) crc.getValue();
  }

  static int header(
      String magic,
      int formatVersion,
      String machine,
      long ramBytes,
      String timeMode,
      long startIcount) {
    CRC32C crc = new CRC32C();
    string(crc, magic);
    crc.update(le(4).putInt(formatVersion).flip());
    string(crc, machine);
    crc.update(le(8).putLong(ramBytes).flip());
    string(crc, timeMode);
    crc.update(le(8).putLong(startIcount).flip());
    return (int) crc.getValue();
  }

  private static void string(CRC32C crc, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    crc.update(le(4).putInt(utf8.length).flip());
    crc.update(utf8);
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static String hex(int crc) {
    return String.format("%08x", crc);
  }
}
