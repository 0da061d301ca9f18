package org.crtrmotion.streams;

import java.util.List;
import java.util.Objects;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * A verified {@code TRACE_SEGMENTS} frame's segments, parsed but not yet checked against their own
 * checksums: that is the {@code TraceReader}'s job, done once per segment.
 */
public record TraceFrame(long sequence, List<TraceSegment> segments) {
  public TraceFrame {
    Objects.requireNonNull(segments, "segments");
  }
}
