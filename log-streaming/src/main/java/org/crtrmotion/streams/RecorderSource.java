package org.crtrmotion.streams;

import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;

/**
 * A trace stream fed by a VM's recorder: give {@link #recorder()} to {@code Machine.record}, run
 * the machine, and the segments its {@link TraceWriter} closes come out of {@link #source()}.
 * Between runs, on the VM thread, {@link #coverTo} tells the receiver how far the machine has got
 * even when no input happened, and {@link #finish} ends the trace at the freeze point.
 *
 * <p>The writer hands segments over through a bounded buffer: when the stream backpressures and the
 * buffer is full, the VM thread waits inside the recorder until there is room. That is how the
 * stream slows the VM; {@link #waits()} and {@link #waitedNanos()} say how often and how long.
 * Nothing is dropped. The writer side is not thread-safe: one VM thread.
 */
public final class RecorderSource {
  private final TraceWriter writer;
  private final SegmentHandOff handOff;
  private final TraceRecorder recorder;

  private RecorderSource(
      long startIcount, TraceWriter.Limits limits, int bufferSegments, LongSupplier nanoClock) {
    this.handOff = new SegmentHandOff(startIcount, bufferSegments, nanoClock);
    this.writer = new TraceWriter(startIcount, limits, handOff);
    this.recorder = new TraceRecorder(writer);
  }

  /**
   * A recording of a trace that starts at {@code startIcount} (the checkpoint's instruction count),
   * holding at most {@code bufferSegments} segments the stream has not taken yet.
   */
  public static RecorderSource start(
      long startIcount, TraceWriter.Limits limits, int bufferSegments, LongSupplier nanoClock) {
    return new RecorderSource(startIcount, limits, bufferSegments, nanoClock);
  }

  /** With the default segment limits and the system's nanosecond clock. */
  public static RecorderSource start(long startIcount, int bufferSegments) {
    return start(startIcount, TraceWriter.Limits.DEFAULT, bufferSegments, System::nanoTime);
  }

  /** What {@code Machine.record} takes. */
  public TraceRecorder recorder() {
    return recorder;
  }

  /** The segments in order, ending after the final one; the source can run once. */
  public Source<TraceSegment, NotUsed> source() {
    return handOff.source();
  }

  /**
   * Closes the open segment and claims every input below {@code icount} (the machine's instruction
   * count between runs): a replayer may run that far. May wait for room like any segment.
   */
  public void coverTo(long icount) {
    writer.flush(icount);
  }

  /** Ends the trace at {@code endIcount}, the instruction count at which the machine stopped. */
  public void finish(long endIcount) {
    writer.finish(endIcount);
  }

  /** Every input below this instruction count has been handed to the stream. */
  public long coveredIcount() {
    return handOff.coveredIcount();
  }

  /** Segments handed to the stream so far. */
  public long segments() {
    return handOff.segments();
  }

  /** Segments handed over that the stream has not taken yet (at most the buffer's size). */
  public int buffered() {
    return handOff.waiting();
  }

  /** How many times the VM thread waited for the stream to take a segment. */
  public long waits() {
    return handOff.waits();
  }

  /** How long the VM thread waited in all, in nanoseconds of the injected clock. */
  public long waitedNanos() {
    return handOff.waitedNanos();
  }
}
