package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.CORRUPT;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MALFORMED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.RANGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TOO_LARGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TRUNCATED;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.crtrmotion.vm.trace.proto.TraceProto;

/**
 * A run of consecutive events with its sequence number, the instruction range it covers and a
 * CRC32C, as a {@link TraceWriter} emits it or as it arrived. An arrived segment is not trusted
 * until {@link #decode()} or a {@link TraceReader} has checked it.
 *
 * <p>Coverage: every event with an instruction count below {@link #lastIcount()} is in this segment
 * or an earlier one, so a replayer may run up to {@code lastIcount}; events at exactly {@code
 * lastIcount} may continue in the next segment, whose {@code firstIcount} equals this one's {@code
 * lastIcount}.
 */
public final class TraceSegment {
  /** The trace's last segment. */
  static final int FLAG_FINAL = 1;

  private static final int KNOWN_FLAGS = FLAG_FINAL;

  private final long sequence;
  private final long firstIcount;
  private final long lastIcount;
  private final int eventCount;
  private final byte[] events; // never changed after construction, so it is shared, not copied
  private final int flags;
  private final int crc32c;

  private TraceSegment(
      long sequence,
      long firstIcount,
      long lastIcount,
      int eventCount,
      byte[] events,
      int flags,
      int crc32c) {
    this.sequence = sequence;
    this.firstIcount = firstIcount;
    this.lastIcount = lastIcount;
    this.eventCount = eventCount;
    this.events = events;
    this.flags = flags;
    this.crc32c = crc32c;
  }

  /** A segment with its checksum computed; {@code events} is owned by the segment from now on. */
  static TraceSegment seal(
      long sequence, long firstIcount, long lastIcount, int eventCount, byte[] events, int flags) {
    int crc = Checksums.segment(sequence, firstIcount, lastIcount, eventCount, flags, events);
    return new TraceSegment(sequence, firstIcount, lastIcount, eventCount, events, flags, crc);
  }

  /**
   * Takes a segment off the wire. Checks only what must hold before anything is allocated for it
   * (sizes, fields this version knows); the checksum and the events are checked by {@link
   * #decode()}.
   */
  public static TraceSegment fromProto(TraceProto.TraceSegment p) throws TraceFormatException {
    long sequence = p.getSequence() >= 0 ? p.getSequence() : TraceFormatException.NO_SEGMENT;
    String name = sequence >= 0 ? "segment " + sequence : "a segment";
    if (!p.getUnknownFields().asMap().isEmpty()) {
      throw new TraceFormatException(
          MALFORMED,
          sequence,
          name
              + " carries fields "
              + p.getUnknownFields().asMap().keySet()
              + ", which trace format version "
              + TraceFormat.VERSION
              + " does not define");
    }
    if (p.getSequence() < 0 || p.getFirstIcount() < 0 || p.getLastIcount() < 0) {
      throw new TraceFormatException(
          MALFORMED, sequence, name + " has a sequence number or instruction count above 2^63");
    }
    long count = Integer.toUnsignedLong(p.getEventCount());
    if (count > TraceFormat.MAX_SEGMENT_EVENTS
        || p.getEvents().size() > TraceFormat.MAX_SEGMENT_EVENT_BYTES) {
      throw new TraceFormatException(
          TOO_LARGE,
          sequence,
          name
              + " holds "
              + count
              + " events in "
              + p.getEvents().size()
              + " bytes; a reader accepts at most "
              + TraceFormat.MAX_SEGMENT_EVENTS
              + " events in "
              + TraceFormat.MAX_SEGMENT_EVENT_BYTES
              + " bytes");
    }
    return new TraceSegment(
        p.getSequence(),
        p.getFirstIcount(),
        p.getLastIcount(),
        (int) count,
        p.getEvents().toByteArray(),
        p.getFlags(),
        p.getCrc32C());
  }

  /** Parses one segment message (without a length prefix). */
  public static TraceSegment parseFrom(byte[] message) throws TraceFormatException {
    try {
      return fromProto(TraceProto.TraceSegment.parseFrom(message));
    } catch (InvalidProtocolBufferException e) {
      throw new TraceFormatException(
          CORRUPT,
          TraceFormatException.NO_SEGMENT,
          "a segment does not parse (" + e.getMessage() + "): it is corrupt",
          e);
    }
  }

  public TraceProto.TraceSegment toProto() {
    return TraceProto.TraceSegment.newBuilder()
        .setSequence(sequence)
        .setFirstIcount(firstIcount)
        .setLastIcount(lastIcount)
        .setEventCount(eventCount)
        .setEvents(UnsafeByteOperations.unsafeWrap(events))
        .setFlags(flags)
        .setCrc32C(crc32c)
        .build();
  }

  /**
   * Checks the checksum and the segment's own contents (range, event encoding, count) and returns
   * its events. Whether it fits the segments before it is a {@link TraceReader}'s question.
   */
  public List<InputEvent> decode() throws TraceFormatException {
    verify(name(), sequence);
    return events();
  }

  /** The events of a segment that passed {@link #verify}. */
  List<InputEvent> events() throws TraceFormatException {
    // No event is shorter than 3 bytes; the count alone is not trusted with an allocation.
    List<InputEvent> out = new ArrayList<>(Math.min(eventCount, events.length / 3));
    SegmentDecoder cursor = cursor();
    while (cursor.next()) {
      out.add(cursor.event());
    }
    return out;
  }

  /** Checks every event's encoding, as {@link #events} does, allocating nothing. */
  void walkEvents() throws TraceFormatException {
    SegmentDecoder cursor = cursor();
    while (cursor.next()) {
      // each event is checked as the cursor reaches it
    }
  }

  /**
   * Checksum first: of a segment that fails it, nothing is worth reporting but whether it was cut
   * short. {@code name} and {@code position} say which segment this is in the caller's eyes.
   */
  void verify(String name, long position) throws TraceFormatException {
    int actual = Checksums.segment(sequence, firstIcount, lastIcount, eventCount, flags, events);
    if (actual != crc32c) {
      String sums =
          "checksum " + Checksums.hex(actual) + " computed, " + Checksums.hex(crc32c) + " stored";
      if (runsShort()) {
        throw new TraceFormatException(
            TRUNCATED,
            position,
            name
                + " is truncated: its "
                + eventCount
                + " events need more than its "
                + events.length
                + " bytes ("
                + sums
                + ")");
      }
      throw new TraceFormatException(CORRUPT, position, name + " is corrupt: " + sums);
    }
    if (firstIcount > lastIcount) {
      throw new TraceFormatException(
          RANGE,
          sequence,
          name()
              + " covers instructions "
              + firstIcount
              + " to "
              + lastIcount
              + ": its range goes backwards");
    }
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new TraceFormatException(
          MALFORMED,
          sequence,
          name()
              + " sets flags 0x"
              + Integer.toHexString(flags & ~KNOWN_FLAGS)
              + ", which trace format version "
              + TraceFormat.VERSION
              + " does not define");
    }
  }

  /** Whether the events end before the count does: the bytes were cut, not flipped. */
  private boolean runsShort() {
    SegmentDecoder cursor = cursor();
    try {
      while (cursor.next()) {
        // walk
      }
      return false;
    } catch (TraceFormatException e) {
      return e.problem() == TRUNCATED;
    }
  }

  SegmentDecoder cursor() {
    return new SegmentDecoder(this, events);
  }

  String name() {
    return "segment " + sequence;
  }

  public long sequence() {
    return sequence;
  }

  public long firstIcount() {
    return firstIcount;
  }

  /** Every event below this instruction count is in this segment or an earlier one. */
  public long lastIcount() {
    return lastIcount;
  }

  public int eventCount() {
    return eventCount;
  }

  /** Whether this is the last segment of its trace. */
  public boolean isFinal() {
    return (flags & FLAG_FINAL) != 0;
  }

  public int crc32c() {
    return crc32c;
  }

  /** Size of the encoded events. */
  public int eventBytes() {
    return events.length;
  }

  /** Size of the segment length-delimited, as it sits in a trace file. */
  public int wireBytes() {
    int message = toProto().getSerializedSize();
    return CodedOutputStream.computeUInt32SizeNoTag(message) + message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceSegment s
        && s.sequence == sequence
        && s.firstIcount == firstIcount
        && s.lastIcount == lastIcount
        && s.eventCount == eventCount
        && s.flags == flags
        && s.crc32c == crc32c
        && Arrays.equals(s.events, events);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, firstIcount, lastIcount, crc32c);
  }

  @Override
  public String toString() {
    return name()
        + " ["
        + firstIcount
        + ", "
        + lastIcount
        + "] "
        + eventCount
        + " events in "
        + events.length
        + " bytes"
        + (isFinal() ? ", final" : "")
        + ", crc32c "
        + Checksums.hex(crc32c);
  }
}
