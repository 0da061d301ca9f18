package org.crtrmotion.streams;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a protobuf {@link ByteString} where it lies instead of copying it out. A payload parsed
 * with aliasing is a view of the frame's array; {@link UnsafeByteOperations#unsafeWriteTo} hands
 * that array, offset and length to a {@link ByteOutput}, which is protobuf's public way to reach
 * them.
 */
final class PayloadView {
  /** Bytes {@code [offset, offset + length)} of {@code array}. */
  record Slice(byte[] array, int offset, int length) {}

  private PayloadView() {}

  /** Where {@code bytes} lie, or a copy of them if they are not one flat array. */
  static Slice slice(ByteString bytes) {
    SliceOutput out = new SliceOutput();
    write(bytes, out);
    if (out.slice == null || out.pieces != 1) {
      byte[] copy = bytes.toByteArray();
      return new Slice(copy, 0, copy.length);
    }
    return out.slice;
  }

  /** CRC32C of {@code bytes}, read in place. */
  static int crc32c(ByteString bytes) {
    CRC32C crc = new CRC32C();
    write(
        bytes,
        new ByteOutput() {
          @Override
          public void write(byte value) {
            crc.update(value);
          }

          @Override
          public void write(byte[] value, int offset, int length) {
            crc.update(value, offset, length);
          }

          @Override
          public void writeLazy(byte[] value, int offset, int length) {
            crc.update(value, offset, length);
          }

          @Override
          public void write(ByteBuffer value) {
            crc.update(value);
          }

          @Override
          public void writeLazy(ByteBuffer value) {
            crc.update(value);
          }
        });
    return (int) crc.getValue();
  }

  private static void write(ByteString bytes, ByteOutput out) {
    try {
      UnsafeByteOperations.unsafeWriteTo(bytes, out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("reading bytes in memory failed", e); // no I/O happens
    }
  }

  /** Keeps the one array piece a flat ByteString hands over; counts any other. */
  private static final class SliceOutput extends ByteOutput {
    Slice slice;
    int pieces;

    @Override
    public void write(byte value) {
      pieces++;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      writeLazy(value, offset, length);
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      pieces++;
      slice = new Slice(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) {
      pieces += 2; // not an array we may keep
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      pieces += 2;
    }
  }
}
