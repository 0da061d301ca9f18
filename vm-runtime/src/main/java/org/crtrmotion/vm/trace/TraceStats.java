package org.crtrmotion.vm.trace;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.crtrmotion.vm.time.GuestClock;

/**
 * What a trace costs: events and encoded bytes by kind, and bytes against the instructions and the
 * guest time it covers (for {@code crtr trace-stats} and the migration's trace-rate estimate).
 *
 * @param segments how many segments
 * @param eventsByKind events of each kind (every kind present, zero if none)
 * @param eventBytesByKind encoded bytes of each kind's events
 * @param eventBytes all segments' encoded events
 * @param wireBytes all segments as framed in a file (the header, about 40 bytes, excluded)
 * @param firstIcount where the first segment starts
 * @param lastIcount where the last segment ends
 */
public record TraceStats(
    long segments,
    Map<EventKind, Long> eventsByKind,
    Map<EventKind, Long> eventBytesByKind,
    long eventBytes,
    long wireBytes,
    long firstIcount,
    long lastIcount) {

  public TraceStats {
    eventsByKind = Collections.unmodifiableMap(new EnumMap<>(eventsByKind));
    eventBytesByKind = Collections.unmodifiableMap(new EnumMap<>(eventBytesByKind));
  }

  public static TraceStats of(Iterable<TraceSegment> segments) throws TraceFormatException {
    Counter counter = new Counter();
    for (TraceSegment s : segments) {
      counter.add(s);
    }
    return counter.stats();
  }

  public long events() {
    return eventsByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  public long instructions() {
    return lastIcount - firstIcount;
  }

  /** Wire bytes per million instructions covered; NaN when the trace covers none. */
  public double bytesPerMillionInstructions() {
    return instructions() == 0 ? Double.NaN : wireBytes * 1e6 / instructions();
  }

  /**
   * Wire bytes per second of guest time between two mtime values (at {@link
   * GuestClock#TICKS_PER_SECOND}); NaN when no time passed.
   */
  public double bytesPerGuestSecond(long firstMtime, long lastMtime) {
    long ticks = lastMtime - firstMtime;
    return ticks <= 0 ? Double.NaN : wireBytes * (double) GuestClock.TICKS_PER_SECOND / ticks;
  }

  /** Encoded bytes per event of a kind; NaN when there is none. */
  public double bytesPerEvent(EventKind kind) {
    long n = eventsByKind.get(kind);
    return n == 0 ? Double.NaN : eventBytesByKind.get(kind) / (double) n;
  }

  /** Adds segments one at a time, for traces too long to hold. */
  public static final class Counter {
    private final long[] events = new long[EventKind.values().length];
    private final long[] bytes = new long[EventKind.values().length];
    private long segments;
    private long eventBytes;
    private long wireBytes;
    private long firstIcount;
    private long lastIcount;

    /** Checks the segment's checksum and encoding (not its order) and counts it. */
    public void add(TraceSegment s) throws TraceFormatException {
      s.verify(s.name(), s.sequence());
      SegmentDecoder cursor = s.cursor();
      while (cursor.next()) {
        events[cursor.kind.ordinal()]++;
        bytes[cursor.kind.ordinal()] += cursor.encodedSize();
      }
      if (segments == 0) {
        firstIcount = s.firstIcount();
      }
      segments++;
      lastIcount = Math.max(lastIcount, s.lastIcount());
      eventBytes += s.eventBytes();
      wireBytes += s.wireBytes();
    }

    public TraceStats stats() {
      Map<EventKind, Long> byKind = new EnumMap<>(EventKind.class);
      Map<EventKind, Long> bytesByKind = new EnumMap<>(EventKind.class);
      for (EventKind kind : EventKind.values()) {
        byKind.put(kind, events[kind.ordinal()]);
        bytesByKind.put(kind, bytes[kind.ordinal()]);
      }
      return new TraceStats(
          segments, byKind, bytesByKind, eventBytes, wireBytes, firstIcount, lastIcount);
    }
  }
}
