package org.crtrmotion.vm.trace;

import java.util.List;

/**
 * A whole trace read back and checked: its header, its segments and their events in order.
 *
 * @param header what it was recorded on and where it starts
 * @param segments as they were written, the last one final
 * @param events every segment's events, in order
 */
public record Trace(TraceHeader header, List<TraceSegment> segments, List<InputEvent> events) {
  public Trace {
    segments = List.copyOf(segments);
    events = List.copyOf(events);
  }

  /** Every event below this instruction count is in {@link #events()}. */
  public long endIcount() {
    return segments.isEmpty()
        ? header.startIcount()
        : segments.get(segments.size() - 1).lastIcount();
  }
}
