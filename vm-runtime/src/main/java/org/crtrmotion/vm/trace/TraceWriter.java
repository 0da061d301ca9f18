package org.crtrmotion.vm.trace;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Events in, segments out, in the order given. A segment closes when the next event would take it
 * past {@link Limits#maxSegmentBytes()}, when it reaches {@link Limits#maxSegmentEvents()}, on
 * {@link #flush()} and on {@link #finish()}; the sink receives it on the caller's thread before the
 * call returns.
 *
 * <p>The per-kind methods ({@link #timeRead} and so on) allocate nothing per event, for the
 * recorder on the VM thread. Misuse (an instruction count that goes backwards, a payload the format
 * cannot carry, events after {@link #finish()}) is an {@link IllegalArgumentException} or {@link
 * IllegalStateException}: it is a bug in the caller, not a property of the trace. Not thread-safe:
 * one writer per VM thread.
 */
public final class TraceWriter {
  /**
   * When a segment closes. Small segments reach a replayer sooner; large ones cost less per event
   * (a segment's own fields take about 20 bytes).
   */
  public record Limits(int maxSegmentBytes, int maxSegmentEvents) {
    /** 64 KiB or 16 Ki events, whichever comes first. */
    public static final Limits DEFAULT = new Limits(64 << 10, 16 << 10);

    public Limits {
      if (maxSegmentBytes < 64 || maxSegmentBytes > TraceFormat.MAX_SEGMENT_EVENT_BYTES / 2) {
        throw new IllegalArgumentException(
            "segment size bound must be 64 to "
                + TraceFormat.MAX_SEGMENT_EVENT_BYTES / 2
                + " bytes, not "
                + maxSegmentBytes);
      }
      if (maxSegmentEvents < 1 || maxSegmentEvents > TraceFormat.MAX_SEGMENT_EVENTS) {
        throw new IllegalArgumentException(
            "segment event bound must be 1 to "
                + TraceFormat.MAX_SEGMENT_EVENTS
                + ", not "
                + maxSegmentEvents);
      }
    }
  }

  private static final byte[] NO_BYTES = new byte[0];

  private final Limits limits;
  private final Consumer<TraceSegment> sink;
  private final SegmentEncoder encoder;
  private long nextSequence;
  private long floorIcount; // the lowest instruction count the next event may have
  private boolean finished;

  /** A writer for a trace that starts at the checkpoint's instruction count. */
  public TraceWriter(long startIcount, Consumer<TraceSegment> sink) {
    this(startIcount, Limits.DEFAULT, sink);
  }

  public TraceWriter(long startIcount, Limits limits, Consumer<TraceSegment> sink) {
    if (startIcount < 0) {
      throw new IllegalArgumentException("start instruction count " + startIcount + " < 0");
    }
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.encoder = new SegmentEncoder(Math.min(limits.maxSegmentBytes(), 4096));
    this.floorIcount = startIcount;
    encoder.reset(startIcount);
  }

  public void append(InputEvent event) {
    add(event.instructionCount(), event.kind(), event.value(), event.bytes());
  }

  public void timeRead(long icount, long mtime) {
    add(icount, EventKind.TIME_READ, mtime, NO_BYTES);
  }

  public void irqLine(long icount, int line, boolean level) {
    irqLine(icount, line, level, false, 0);
  }

  /** See {@link InputEvent#irqLine(long, int, boolean, boolean, long)}. */
  public void irqLine(long icount, int line, boolean level, boolean duringInstruction, long traps) {
    add(
        icount,
        EventKind.IRQ_LINE,
        InputEvent.packIrq(line, level, duringInstruction, traps),
        NO_BYTES);
  }

  public void consoleInput(long icount, int unsignedByte) {
    consoleInput(icount, unsignedByte, 0);
  }

  /** See {@link InputEvent#consoleInput(long, int, long)}. */
  public void consoleInput(long icount, int unsignedByte, long traps) {
    add(icount, EventKind.CONSOLE_INPUT, InputEvent.packConsole(unsignedByte, traps), NO_BYTES);
  }

  public void wfiWake(long icount, long mtime) {
    add(icount, EventKind.WFI_WAKE, mtime, NO_BYTES);
  }

  /** The frame is copied into the segment before this returns. */
  public void packet(long icount, int device, byte[] frame) {
    add(icount, EventKind.PACKET, device, Objects.requireNonNull(frame, "frame"));
  }

  private void add(long icount, EventKind kind, long value, byte[] bytes) {
    requireOpen();
    if (icount < floorIcount) {
      throw new IllegalArgumentException(
          kind
              + " at instruction "
              + icount
              + " comes after instruction "
              + floorIcount
              + ": events must be appended in instruction order");
    }
    String problem = InputEvent.payloadProblem(kind, value, bytes.length);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    int room = SegmentEncoder.maxEncodedSize(kind, bytes.length);
    if (encoder.count() > 0 && encoder.size() + room > limits.maxSegmentBytes()) {
      close(floorIcount, false);
    }
    encoder.append(icount, kind, value, bytes);
    floorIcount = icount;
    if (encoder.count() == limits.maxSegmentEvents()) {
      close(icount, false);
    }
  }

  /** Closes the open segment if it holds events. */
  public void flush() {
    requireOpen();
    if (encoder.count() > 0) {
      close(floorIcount, false);
    }
  }

  /**
   * Closes the open segment and claims that no event below {@code completeBelowIcount} will follow
   * (the machine has retired that many instructions), so a replayer may run that far. Emits an
   * empty segment when that claim is all that is new.
   */
  public void flush(long completeBelowIcount) {
    requireOpen();
    requireNotBelowFloor(completeBelowIcount, "flush");
    if (encoder.count() > 0 || completeBelowIcount > encoder.firstIcount()) {
      close(completeBelowIcount, false);
    }
    floorIcount = completeBelowIcount;
  }

  /** Ends the trace at the last event: closes the open segment, marked final. */
  public void finish() {
    requireOpen();
    close(floorIcount, true);
    finished = true;
  }

  /** Ends the trace at {@code endIcount} (the freeze point): no event below it is missing. */
  public void finish(long endIcount) {
    requireOpen();
    requireNotBelowFloor(endIcount, "finish");
    close(endIcount, true);
    finished = true;
  }

  private void close(long lastIcount, boolean isFinal) {
    TraceSegment segment =
        TraceSegment.seal(
            nextSequence,
            encoder.firstIcount(),
            lastIcount,
            encoder.count(),
            encoder.toByteArray(),
            isFinal ? TraceSegment.FLAG_FINAL : 0);
    nextSequence++;
    encoder.reset(lastIcount);
    sink.accept(segment);
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException(
          "the trace was finished with segment " + (nextSequence - 1) + "; start a new writer");
    }
  }

  private void requireNotBelowFloor(long icount, String what) {
    if (icount < floorIcount) {
      throw new IllegalArgumentException(
          "cannot "
              + what
              + " at instruction "
              + icount
              + ": the trace already reaches instruction "
              + floorIcount);
    }
  }

  /** The sequence number the next segment will carry. */
  public long nextSequence() {
    return nextSequence;
  }

  /** The lowest instruction count the next event may have. */
  public long floorIcount() {
    return floorIcount;
  }

  /** Events appended since the last segment closed. */
  public int pendingEvents() {
    return encoder.count();
  }

  public boolean isFinished() {
    return finished;
  }
}
