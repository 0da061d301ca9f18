package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.AFTER_FINAL;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.DUPLICATE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MISSING;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.OUT_OF_ORDER;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.RANGE;

import java.util.List;

/**
 * Segments in, events out, checking each segment against itself (checksum, encoding) and against
 * the segments before it (sequence, instruction range, nothing after the final one).
 *
 * <p>A refused segment leaves the reader as it was, so a caller that can ask for the segment again
 * ({@link TraceFormatException.Problem#CORRUPT}, {@link TraceFormatException.Problem#MISSING})
 * simply offers the next one it gets. Not thread-safe.
 */
public final class TraceReader {
  private long nextSequence;
  private long coveredIcount;
  private TraceSegment previous;

  /** A reader for a trace that starts at the checkpoint's instruction count. */
  public TraceReader(long startIcount) {
    if (startIcount < 0) {
      throw new IllegalArgumentException("start instruction count " + startIcount + " < 0");
    }
    coveredIcount = startIcount;
  }

  /** Checks the segment and returns its events in order. */
  public List<InputEvent> accept(TraceSegment segment) throws TraceFormatException {
    // The checksum comes first: a sequence number or range read from a damaged segment would
    // name the wrong problem.
    segment.verify(nameOf(segment), nextSequence);
    checkSequence(segment);
    checkRange(segment);
    List<InputEvent> events = segment.events();
    previous = segment;
    nextSequence++;
    coveredIcount = segment.lastIcount();
    return events;
  }

  /**
   * Checks the segment exactly as {@link #accept} does (checksum, sequence, range, and every
   * event's encoding, walked once) without making an object of any event; returns how many events
   * it holds. For a receiver that passes checked segments on and leaves the events to whoever
   * replays them: on a trace of clock reads (a few bytes an event), making the events was most of a
   * receiver's work (log-streaming README, "Bulk lane and checked segments").
   */
  public int admit(TraceSegment segment) throws TraceFormatException {
    segment.verify(nameOf(segment), nextSequence);
    checkSequence(segment);
    checkRange(segment);
    segment.walkEvents();
    previous = segment;
    nextSequence++;
    coveredIcount = segment.lastIcount();
    return segment.eventCount();
  }

  /** A damaged segment's own sequence number may be the damage: name it by position too. */
  private String nameOf(TraceSegment s) {
    if (s.sequence() == nextSequence) {
      return "segment " + nextSequence;
    }
    String where =
        previous == null ? "the first segment" : "the segment after segment " + previous.sequence();
    return where + " (labelled " + s.sequence() + ")";
  }

  private void checkSequence(TraceSegment s) throws TraceFormatException {
    long seq = s.sequence();
    if (previous != null && seq == previous.sequence()) {
      throw new TraceFormatException(
          DUPLICATE,
          seq,
          s.equals(previous)
              ? "segment " + seq + " arrives twice: it was just read"
              : "segment " + seq + " arrives twice, with different contents");
    }
    if (seq < nextSequence) {
      throw new TraceFormatException(
          OUT_OF_ORDER,
          seq,
          "segment "
              + seq
              + " arrives after segment "
              + previous.sequence()
              + ": segments are out of order");
    }
    if (isFinished()) {
      throw new TraceFormatException(
          AFTER_FINAL,
          seq,
          "segment "
              + seq
              + " follows segment "
              + previous.sequence()
              + ", the final segment of the trace");
    }
    if (seq > nextSequence) {
      String what =
          previous == null
              ? "segment " + seq + " is the first segment read"
              : "segment " + seq + " follows segment " + previous.sequence();
      throw new TraceFormatException(MISSING, nextSequence, what + ": " + missing(seq));
    }
  }

  private String missing(long seq) {
    return seq == nextSequence + 1
        ? "segment " + nextSequence + " is missing"
        : "segments " + nextSequence + " to " + (seq - 1) + " are missing";
  }

  private void checkRange(TraceSegment s) throws TraceFormatException {
    long first = s.firstIcount();
    if (first == coveredIcount) {
      return;
    }
    String before =
        previous == null
            ? "the trace starts at instruction " + coveredIcount
            : "segment " + previous.sequence() + " ended at instruction " + coveredIcount;
    String problem =
        first < coveredIcount
            ? "instruction ranges go backwards"
            : "instructions " + coveredIcount + " to " + (first - 1) + " are not covered";
    throw new TraceFormatException(
        RANGE,
        s.sequence(),
        "segment "
            + s.sequence()
            + " starts at instruction "
            + first
            + " but "
            + before
            + ": "
            + problem);
  }

  /** The sequence number the next segment must carry. */
  public long nextSequence() {
    return nextSequence;
  }

  /** Every event below this instruction count has been returned: a replayer may run this far. */
  public long coveredIcount() {
    return coveredIcount;
  }

  /** Whether the final segment has been read. */
  public boolean isFinished() {
    return previous != null && previous.isFinal();
  }
}
