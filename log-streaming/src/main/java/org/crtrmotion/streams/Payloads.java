package org.crtrmotion.streams;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
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

  /** A slice of a checkpoint stream at {@code offset}. */
  public static FramePayload checkpointChunk(long offset, byte[] data) {
    return FramePayload.of(
        FrameKind.CHECKPOINT_CHUNK,
        StreamsProto.CheckpointChunk.newBuilder()
            .setOffset(offset)
            .setData(UnsafeByteOperations.unsafeWrap(data))
            .build()
            .toByteArray());
  }

  public static StreamsProto.CheckpointChunk checkpointChunkOf(FramePayload payload) {
    requireKind(payload, FrameKind.CHECKPOINT_CHUNK);
    try {
      return StreamsProto.CheckpointChunk.parseFrom(payload.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw malformed(payload, "does not hold a checkpoint chunk", e);
    }
  }

  /**
   * Pages {@code firstIndex}, {@code firstIndex + 1}, ... as a batch in which every all-zero page
   * is only an index in a run: an untouched or cleared page costs a few bytes, not 4 KiB.
   */
  public static FramePayload pages(long firstIndex, List<byte[]> pages) {
    StreamsProto.PageBatch.Builder b = StreamsProto.PageBatch.newBuilder();
    long runStart = -1;
    for (int i = 0; i < pages.size(); i++) {
      long index = firstIndex + i;
      byte[] page = pages.get(i);
      if (isZero(page)) {
        if (runStart < 0) {
          runStart = index;
        }
        continue;
      }
      if (runStart >= 0) {
        b.addZeroRunsBuilder().setFirstIndex(runStart).setCount(index - runStart);
        runStart = -1;
      }
      b.addPagesBuilder().setIndex(index).setData(ByteString.copyFrom(page));
    }
    if (runStart >= 0) {
      b.addZeroRunsBuilder().setFirstIndex(runStart).setCount(firstIndex + pages.size() - runStart);
    }
    return FramePayload.of(FrameKind.PAGE_BATCH, b.build().toByteArray());
  }

  public static StreamsProto.PageBatch pagesOf(FramePayload payload) {
    requireKind(payload, FrameKind.PAGE_BATCH);
    try {
      return StreamsProto.PageBatch.parseFrom(payload.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw malformed(payload, "does not hold a page batch", e);
    }
  }

  private static boolean isZero(byte[] page) {
    for (byte b : page) {
      if (b != 0) {
        return false;
      }
    }
    return true;
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
