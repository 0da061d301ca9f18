package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MALFORMED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.RANGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TRUNCATED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.UNKNOWN_KIND;

import java.util.Arrays;

/**
 * A cursor over one segment's events that allocates nothing until {@link #event()} is asked for.
 * Every length and count is checked against what is left before it is trusted.
 */
final class SegmentDecoder {
  private final TraceSegment segment;
  private final byte[] buf;
  private int pos;
  private int decoded;
  private long previousMtime;

  // The current event, valid after next() returned true.
  long icount;
  EventKind kind;
  long value;
  int bytesOffset;
  int bytesLength;
  int start; // offset of its first byte in the segment's events

  SegmentDecoder(TraceSegment segment, byte[] events) {
    this.segment = segment;
    this.buf = events;
    this.icount = segment.firstIcount();
  }

  /** Moves to the next event; false after the last one, once no bytes are left over. */
  boolean next() throws TraceFormatException {
    if (decoded == segment.eventCount()) {
      if (pos != buf.length) {
        throw fail(
            MALFORMED,
            (buf.length - pos) + " bytes follow its " + decoded + " events: the count is wrong");
      }
      return false;
    }
    start = pos;
    long tag = readVarint();
    kind = EventKind.ofTag(tag);
    if (kind == null) {
      throw new TraceFormatException(
          UNKNOWN_KIND,
          segment.sequence(),
          segment.name()
              + " holds event kind "
              + Long.toUnsignedString(tag)
              + " (event "
              + (decoded + 1)
              + "), which this reader does not know: it reads kinds 1 to "
              + EventKind.highestTag()
              + " of format version "
              + TraceFormat.VERSION
              + "; the trace comes from a newer writer");
    }
    readIcount();
    readPayload();
    decoded++;
    return true;
  }

  private void readIcount() throws TraceFormatException {
    long delta = readVarint();
    long next = icount + delta;
    if (delta < 0 || next < icount || next > segment.lastIcount()) {
      throw fail(
          RANGE,
          "event "
              + (decoded + 1)
              + " is at instruction "
              + Long.toUnsignedString(next)
              + ", outside the segment's range "
              + segment.firstIcount()
              + " to "
              + segment.lastIcount());
    }
    icount = next;
  }

  private void readPayload() throws TraceFormatException {
    bytesLength = 0;
    switch (kind) {
      case TIME_READ, WFI_WAKE -> {
        value = previousMtime + Varints.unzigzag(readVarint());
        previousMtime = value;
      }
      case PACKET -> {
        value = readVarint();
        long length = readVarint();
        if (length < 0 || length > TraceFormat.MAX_PACKET_BYTES) {
          throw fail(MALFORMED, "event " + (decoded + 1) + " is a PACKET of " + length + " bytes");
        }
        need((int) length);
        bytesOffset = pos;
        bytesLength = (int) length;
        pos += bytesLength;
      }
      case IRQ_LINE, CONSOLE_INPUT -> value = readVarint();
    }
    String problem = InputEvent.payloadProblem(kind, value, bytesLength);
    if (problem != null) {
      throw fail(MALFORMED, "event " + (decoded + 1) + ": " + problem);
    }
  }

  private long readVarint() throws TraceFormatException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        if (shift == 63 && b > 1) {
          break;
        }
        return result;
      }
    }
    throw fail(MALFORMED, "event " + (decoded + 1) + " has a varint longer than 64 bits");
  }

  private void need(int bytes) throws TraceFormatException {
    if (bytes > buf.length - pos) {
      throw fail(
          TRUNCATED,
          "event "
              + (decoded + 1)
              + " of "
              + segment.eventCount()
              + " runs past the end of its "
              + buf.length
              + " bytes");
    }
  }

  private TraceFormatException fail(TraceFormatException.Problem problem, String detail) {
    String what =
        switch (problem) {
          case TRUNCATED -> " is truncated: ";
          case RANGE -> ": ";
          default -> " is malformed: ";
        };
    return new TraceFormatException(problem, segment.sequence(), segment.name() + what + detail);
  }

  /** The current event as an object; the only allocation the cursor makes. */
  InputEvent event() {
    byte[] bytes =
        bytesLength == 0 ? null : Arrays.copyOfRange(buf, bytesOffset, bytesOffset + bytesLength);
    return new InputEvent(icount, kind, value, bytes);
  }

  /** Encoded size of the current event. */
  int encodedSize() {
    return pos - start;
  }
}
