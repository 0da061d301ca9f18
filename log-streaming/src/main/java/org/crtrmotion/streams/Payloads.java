package org.crtrmotion.streams;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.streams.proto.StreamsProto;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.proto.TraceProto;

/**
 * Builds the payload of each frame kind and reads it back. Trace segments travel as vm-runtime
 * serialised them, so their own checksums are checked again by the receiver's {@code TraceReader},
 * end to end, on top of the frame's.
 */
public final class Payloads {
  /** The tag of one element of {@code TraceSegments.segments} (field 1, length-delimited). */
  static final int SEGMENT_TAG_BYTES = CodedOutputStream.computeTagSize(1);

  private Payloads() {}

  public static FramePayload traceSegments(List<TraceSegment> segments) {
    List<TraceProto.TraceSegment> protos = new ArrayList<>(segments.size());
    long length = 0;
    for (TraceSegment s : segments) {
      TraceProto.TraceSegment p = s.toProto(); // wraps the events, copies nothing
      int n = p.getSerializedSize();
      length += SEGMENT_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
      protos.add(p);
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(length + " bytes of segments do not fit one payload");
    }
    byte[] bytes = new byte[(int) length];
    writeSegments(protos, CodedOutputStream.newInstance(bytes));
    return FramePayload.of(FrameKind.TRACE_SEGMENTS, bytes);
  }

  /**
   * Writes a {@code TraceSegments} message's bytes, each segment serialised once, straight where it
   * goes; {@code out} must hold exactly that many bytes.
   */
  static void writeSegments(List<TraceProto.TraceSegment> segments, CodedOutputStream out) {
    try {
      for (TraceProto.TraceSegment p : segments) {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(p.getSerializedSize());
        p.writeTo(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("trace segments outgrew the bytes planned for them", e);
    }
    out.checkNoSpaceLeft();
  }

  /**
   * The segments of a verified {@link FrameKind#TRACE_SEGMENTS} payload, not yet checked against
   * their own checksums: that is the {@code TraceReader}'s job.
   */
  public static List<TraceSegment> traceSegmentsOf(FramePayload payload) {
    return traceSegmentsOf(
        payload.sequence(), payload.kind(), UnsafeByteOperations.unsafeWrap(payload.bytes()));
  }

  /**
   * As {@link #traceSegmentsOf(FramePayload)} for a payload still lying in its frame. Parsed with
   * aliasing: each segment, and its events, stay views of the payload until {@link
   * TraceSegment#fromProto} takes the one copy of the events it keeps.
   */
  static List<TraceSegment> traceSegmentsOf(long sequence, FrameKind kind, ByteString payload) {
    requireKind(sequence, kind, FrameKind.TRACE_SEGMENTS);
    StreamsProto.TraceSegments message;
    try {
      CodedInputStream in = payload.newCodedInput();
      in.enableAliasing(true);
      message = StreamsProto.TraceSegments.parser().parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(sequence, "does not hold trace segments", e);
    }
    List<TraceSegment> out = new ArrayList<>(message.getSegmentsCount());
    for (ByteString bytes : message.getSegmentsList()) {
      try {
        out.add(segment(sequence, bytes));
      } catch (TraceFormatException e) {
        throw malformed(sequence, "holds a segment that does not parse: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** As {@link TraceSegment#parseFrom}, without copying the events before the segment does. */
  private static TraceSegment segment(long sequence, ByteString bytes) throws TraceFormatException {
    TraceProto.TraceSegment proto;
    try {
      CodedInputStream in = bytes.newCodedInput();
      in.enableAliasing(true);
      proto = TraceProto.TraceSegment.parser().parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(
          sequence,
          "holds a segment that does not parse: a segment does not parse ("
              + e.getMessage()
              + "): it is corrupt",
          e);
    }
    return TraceSegment.fromProto(proto);
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
    requireKind(payload.sequence(), payload.kind(), kind);
  }

  private static void requireKind(long sequence, FrameKind actual, FrameKind kind) {
    if (actual != kind) {
      throw new IllegalArgumentException("frame " + sequence + " is " + actual + ", not " + kind);
    }
  }

  private static FrameException malformed(FramePayload payload, String what, Exception cause) {
    return malformed(payload.sequence(), what, cause);
  }

  private static FrameException malformed(long sequence, String what, Exception cause) {
    return new FrameException(
        FrameException.Problem.MALFORMED, sequence, "frame " + sequence + " " + what, cause);
  }
}
