package org.crtrmotion.vm.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** A frame: a varint length, the bytes of one message, and their CRC32C (4 bytes, LE). */
final class Frames {
  private Frames() {}

  static int write(OutputStream out, byte[] payload) throws IOException {
    int n = writeVarint(out, payload.length);
    out.write(payload);
    int crc = crc(payload);
    for (int i = 0; i < 4; i++) {
      out.write(crc >>> (8 * i));
    }
    return n + payload.length + 4;
  }

  /**
   * Reads one frame of at most {@code cap} bytes; {@code what} names it in errors. A stream that
   * ends early gives "truncated", never an EOFException.
   */
  static byte[] read(InputStream in, int cap, String what)
      throws IOException, CheckpointFormatException {
    try {
      long length = readVarint(in, what);
      if (length > cap) {
        throw new CheckpointFormatException(
            String.format(
                "corrupt checkpoint: the %s is said to be %d bytes, more than the %d allowed",
                what, length, cap));
      }
      if (in instanceof FileInput file && length + 4 > file.remaining()) {
        throw new CheckpointFormatException(
            String.format(
                "corrupt checkpoint: the %s is said to be %d bytes, but only %d remain in the file",
                what, length, file.remaining()));
      }
      // readNBytes grows its buffer as bytes arrive: a length under the cap that the stream does
      // not back costs no more than the bytes that are there.
      byte[] payload = in.readNBytes((int) length);
      if (payload.length != length) {
        throw truncated(what);
      }
      int expected = 0;
      for (int i = 0; i < 4; i++) {
        int b = in.read();
        if (b < 0) {
          throw truncated(what);
        }
        expected |= b << (8 * i);
      }
      if (crc(payload) != expected) {
        throw new CheckpointFormatException(
            "corrupt checkpoint: checksum mismatch in the " + what + " (CRC32C)");
      }
      return payload;
    } catch (EOFException e) {
      throw truncated(what);
    }
  }

  static CheckpointFormatException truncated(String what) {
    return new CheckpointFormatException("truncated checkpoint: the stream ends in the " + what);
  }

  private static int crc(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue();
  }

  private static int writeVarint(OutputStream out, int value) throws IOException {
    int n = 1;
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
      n++;
    }
    out.write(value);
    return n;
  }

  private static long readVarint(InputStream in, String what)
      throws IOException, CheckpointFormatException {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw truncated(what);
      }
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new CheckpointFormatException("corrupt checkpoint: the length of the " + what);
  }
}
