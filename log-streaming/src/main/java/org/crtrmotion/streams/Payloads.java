package org.crtrmotion.streams;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.streams.proto.StreamsProto;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * Builds the payload of each frame kind and reads it back. Trace segments travel as vm-runtime
 * serialised them, so their own checksums are checked again by the receiver's {@code TraceReader},
 * end to end, on top of the frame's.
 */
public final class Payloads {
  private Payloads() {}

  public static FramePayload traceSegments(List<TraceSegment> segments) {
    StreamsProto.TraceSegments.Builder b = StreamsProto.TraceSegments.newBuilder();
    for (TraceSegment s : segments) {
      b.addSegments(s.toProto().toByteString());
    }
    return FramePayload.of(FrameKind.TRACE_SEGMENTS, b.build().toByteArray());
  }

  /**
   * The segments of a verified {@link FrameKind#TRACE_SEGMENTS} payload, not yet checked against
   * their own checksums: that is the {@code TraceReader}'s job.
   */
  public static List<TraceSegment> traceSegmentsOf(FramePayload payload) {
    requireKind(payload, FrameKind.TRACE_SEGMENTS);
    StreamsProto.TraceSegments message;
    try {
      message = StreamsProto.TraceSegments.parseFrom(payload.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw malformed(payload, "does not hold trace segments", e);
    }
    List<TraceSegment> out = new ArrayList<>(message.getSegmentsCount());
    for (ByteString bytes : message.getSegmentsList()) {
      try {
        out.add(TraceSegment.parseFrom(bytes.toByteArray()));
      } catch (TraceFormatException e) {
        throw malformed(payload, "holds a segment that does not parse: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The last payload of a stream; {@code frames} is the number of frames before it. */
  public static FramePayload end(long frames) {
    return FramePayload.of(
        FrameKind.END, StreamsProto.End.newBuilder().setFrames(frames).build().toByteArray());
  }

  private static void requireKind(FramePayload payload, FrameKind kind) {
    if (payload.kind() != kind) {
      throw new IllegalArgumentException(
          "frame " + payload.sequence() + " is " + payload.kind() + ", not " + kind);
    }
  }

  private static FrameException malformed(FramePayload payload, String what, Exception cause) {
    return new FrameException(
        FrameException.Problem.MALFORMED,
        payload.sequence(),
        "frame " + payload.sequence() + " " + what,
        cause);
  }
}
