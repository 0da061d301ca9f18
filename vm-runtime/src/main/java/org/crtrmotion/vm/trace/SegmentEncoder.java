package org.crtrmotion.vm.trace;

import java.util.Arrays;

/**
 * Encodes one segment's events as they come, so the writer never holds event objects. Deltas
 * restart in every segment, so each segment decodes on its own.
 */
final class SegmentEncoder {
  private byte[] buf;
  private int size;
  private int count;
  private long firstIcount;
  private long previousIcount;
  private long previousMtime;

  SegmentEncoder(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  /** Starts a new segment whose range begins at {@code firstIcount}. */
  void reset(long firstIcount) {
    this.firstIcount = firstIcount;
    previousIcount = firstIcount;
    previousMtime = 0;
    size = 0;
    count = 0;
  }

  /** An upper bound of what {@link #append} adds, so the writer can close a segment first. */
  static int maxEncodedSize(EventKind kind, int byteCount) {
    int head = Varints.size(kind.tag()) + Varints.MAX_BYTES;
    return switch (kind) {
      case PACKET -> head + Varints.MAX_BYTES + 5 + byteCount;
      default -> head + Varints.MAX_BYTES;
    };
  }

  /** The caller has checked the payload and that {@code icount} does not go backwards. */
  void append(long icount, EventKind kind, long value, byte[] bytes) {
    ensureRoom(maxEncodedSize(kind, bytes.length));
    int pos = Varints.write(buf, size, kind.tag());
    pos = Varints.write(buf, pos, icount - previousIcount);
    previousIcount = icount;
    switch (kind) {
      case TIME_READ, WFI_WAKE -> {
        pos = Varints.write(buf, pos, Varints.zigzag(value - previousMtime));
        previousMtime = value;
      }
      case PACKET -> {
        pos = Varints.write(buf, pos, value);
        pos = Varints.write(buf, pos, bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
      }
      case IRQ_LINE, CONSOLE_INPUT -> pos = Varints.write(buf, pos, value);
    }
    size = pos;
    count++;
  }

  private void ensureRoom(int bytes) {
    if (size + bytes > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + bytes));
    }
  }

  int size() {
    return size;
  }

  int count() {
    return count;
  }

  long firstIcount() {
    return firstIcount;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
