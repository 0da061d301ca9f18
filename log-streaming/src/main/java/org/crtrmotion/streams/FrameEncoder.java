package org.crtrmotion.streams;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.proto.TraceProto;

/**
 * Payloads in, wire frames out: numbers each payload, checksums it, compresses it as its {@link
 * CodecPolicy} decides (and only when that shrinks it). Emits {@link ByteString}s because
 * StreamRefs and remoting carry them without a custom serializer, and because what crosses the wire
 * is exactly what the receiver verifies. Not thread-safe: one encoder per stream, which {@link
 * #flow} gives each materialisation.
 */
public final class FrameEncoder {
  // The payload's tag (field 15, length-delimited) fits one byte.
  private static final int PAYLOAD_TAG_BYTES = CodedOutputStream.computeTagSize(15);

  private final String streamId;
  private final CodecPolicy.Decider codecs;
  private long nextSequence;

  /** An encoder that tries LZ4 on every frame ({@link CodecPolicy#lz4()}). */
  public FrameEncoder(String streamId) {
    this(streamId, CodecPolicy.lz4());
  }

  /** An encoder whose frames are compressed as {@code policy} decides, frame by frame. */
  public FrameEncoder(String streamId, CodecPolicy policy) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.codecs = Objects.requireNonNull(policy, "policy").decider();
  }

  /**
   * A flow that numbers frames from 0 each time it is materialised and closes the stream with an
   * {@code END} frame, so that a receiver can tell a finished stream from a cut one. Tries LZ4 on
   * every frame.
   */
  public static Flow<FramePayload, ByteString, NotUsed> flow(String streamId) {
    return flow(streamId, CodecPolicy.lz4());
  }

  /** As {@link #flow(String)}, compressing as {@code policy} decides. */
  public static Flow<FramePayload, ByteString, NotUsed> flow(String streamId, CodecPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return Flow.<FramePayload>create()
        .statefulMap(
            () -> new FrameEncoder(streamId, policy),
            (encoder, payload) -> Pair.create(encoder, encoder.encode(payload)),
            encoder -> Optional.of(encoder.encodeEnd()));
  }

  /**
   * As {@link #flow(String, CodecPolicy)} for trace segments, each group one {@code TRACE_SEGMENTS}
   * frame, written with {@link #encodeTraceSegments} (one copy of each segment).
   */
  public static Flow<List<TraceSegment>, ByteString, NotUsed> traceFlow(
      String streamId, CodecPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return Flow.<List<TraceSegment>>create()
        .statefulMap(
            () -> new FrameEncoder(streamId, policy),
            (encoder, segments) -> Pair.create(encoder, encoder.encodeTraceSegments(segments)),
            encoder -> Optional.of(encoder.encodeEnd()));
  }

  /**
   * As {@link #traceFlow(String, CodecPolicy)}, compressing up to {@code parallelism} frames at
   * once on the materializer's dispatcher, ahead of the stage that numbers them (order preserved).
   * For a capped link where one core's LZ4 is slower than the cap; a frame the policy sends raw is
   * written in place by the numbering stage as before. The policy sees each frame's outcome up to
   * {@code parallelism} frames after it chose the next ones.
   */
  public static Flow<List<TraceSegment>, ByteString, NotUsed> traceFlow(
      String streamId, CodecPolicy policy, int parallelism) {
    Objects.requireNonNull(policy, "policy");
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "compression parallelism must be at least 1, not " + parallelism);
    }
    if (parallelism == 1) {
      return traceFlow(streamId, policy);
    }
    return Flow.<List<TraceSegment>, ByteString, NotUsed>fromMaterializer(
            (materializer, attributes) -> {
              FrameEncoder encoder = new FrameEncoder(streamId, policy);
              Executor executor = materializer.executionContext();
              return Flow.<List<TraceSegment>>create()
                  .map(segments -> new Pending(segments, encoder.codecs.choose(), null))
                  .mapAsync(
                      parallelism,
                      pending ->
                          pending.tried() == Codec.NONE
                              ? CompletableFuture.completedFuture(pending)
                              : CompletableFuture.supplyAsync(pending::compressed, executor))
                  .map(encoder::number)
                  .concatLazy(Source.lazySingle(encoder::encodeEnd));
            })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** A group of segments, the codec chosen for it and, once compressed, its prepared payload. */
  private record Pending(List<TraceSegment> segments, Codec tried, Prepared prepared) {
    Pending compressed() {
      byte[] raw = Payloads.traceSegments(segments).bytes();
      checkPayloadSize(raw.length);
      return new Pending(segments, tried, prepare(raw, tried));
    }
  }

  /** A payload checksummed and compressed, waiting for its sequence number. */
  private record Prepared(int rawLength, int crc32c, Codec tried, Compression.Compressed wire) {}

  private static Prepared prepare(byte[] raw, Codec tried) {
    int crc = crc32c(raw, 0, raw.length);
    Compression.Compressed wire =
        tried == Codec.LZ4_BLOCK
            ? Compression.compress(raw)
            : new Compression.Compressed(Codec.NONE, raw);
    return new Prepared(raw.length, crc, tried, wire);
  }

  private ByteString number(Pending pending) {
    return pending.prepared() == null
        ? encodeTraceSegments(pending.segments(), pending.tried())
        : number(FrameKind.TRACE_SEGMENTS, pending.prepared());
  }

  /** The {@code END} frame, counting the frames before it. */
  public ByteString encodeEnd() {
    return encode(Payloads.end(nextSequence));
  }

  public ByteString encode(FramePayload payload) {
    byte[] raw = payload.bytes();
    checkPayloadSize(raw.length);
    return encodeRaw(payload.kind(), raw, codecs.choose());
  }

  /**
   * The frame {@link Payloads#traceSegments} would give, written with one copy of the segments: a
   * raw frame gets each segment serialised straight into its place in the frame (no payload array,
   * no second copy into the frame), a compressed one gets them serialised once into the array LZ4
   * reads.
   */
  public ByteString encodeTraceSegments(List<TraceSegment> segments) {
    return encodeTraceSegments(segments, codecs.choose());
  }

  private ByteString encodeTraceSegments(List<TraceSegment> segments, Codec tried) {
    List<TraceProto.TraceSegment> protos = new ArrayList<>(segments.size());
    long length = 0;
    for (TraceSegment s : segments) {
      TraceProto.TraceSegment p = s.toProto(); // wraps the events, copies nothing
      int n = p.getSerializedSize();
      length += Payloads.SEGMENT_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
      protos.add(p);
    }
    checkPayloadSize(length);
    int payloadLength = (int) length;
    if (tried == Codec.NONE) {
      ByteString inPlace = rawTraceFrame(protos, payloadLength);
      if (inPlace != null) {
        return inPlace;
      }
    }
    byte[] raw = new byte[payloadLength];
    Payloads.writeSegments(protos, CodedOutputStream.newInstance(raw));
    return encodeRaw(FrameKind.TRACE_SEGMENTS, raw, tried);
  }

  private ByteString encodeRaw(FrameKind kind, byte[] raw, Codec tried) {
    return number(kind, prepare(raw, tried));
  }

  private ByteString number(FrameKind kind, Prepared p) {
    codecs.observe(p.tried(), p.rawLength(), p.wire().bytes().length);
    StreamFrame frame =
        header(kind, p.wire().codec(), p.rawLength(), p.crc32c())
            .setPayload(UnsafeByteOperations.unsafeWrap(p.wire().bytes()))
            .build();
    nextSequence++;
    return ByteString.fromArrayUnsafe(frame.toByteArray());
  }

  /**
   * An uncompressed trace frame written in place: the payload first, at the offset the header will
   * end at, then its checksum, then the header in front of it. Null in the one case in 2^32 where
   * the checksum is 0 (proto3 then leaves the field out and the header is shorter than planned).
   */
  private ByteString rawTraceFrame(List<TraceProto.TraceSegment> protos, int payloadLength) {
    int headerBytes =
        header(FrameKind.TRACE_SEGMENTS, Codec.NONE, payloadLength, 1).build().getSerializedSize();
    int offset =
        headerBytes + PAYLOAD_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(payloadLength);
    byte[] frame = new byte[offset + payloadLength];
    Payloads.writeSegments(protos, CodedOutputStream.newInstance(frame, offset, payloadLength));
    int crc = crc32c(frame, offset, payloadLength);
    if (crc == 0) {
      return null;
    }
    codecs.observe(Codec.NONE, payloadLength, payloadLength);
    CodedOutputStream out = CodedOutputStream.newInstance(frame, 0, offset);
    try {
      header(FrameKind.TRACE_SEGMENTS, Codec.NONE, payloadLength, crc).build().writeTo(out);
      out.writeTag(15, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(payloadLength);
    } catch (IOException e) {
      throw new IllegalStateException("a frame header outgrew the " + offset + " bytes planned", e);
    }
    out.checkNoSpaceLeft();
    nextSequence++;
    return ByteString.fromArrayUnsafe(frame);
  }

  private StreamFrame.Builder header(FrameKind kind, Codec codec, int rawLength, int crc) {
    return StreamFrame.newBuilder()
        .setProtocolVersion(StreamsProtocol.VERSION)
        .setStreamId(streamId)
        .setSequence(nextSequence)
        .setKind(kind)
        .setCodec(codec)
        .setUncompressedLength(rawLength)
        .setCrc32C(crc);
  }

  private static int crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static void checkPayloadSize(long length) {
    if (length > StreamsProtocol.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload of "
              + length
              + " bytes exceeds the "
              + StreamsProtocol.MAX_PAYLOAD_BYTES
              + " a receiver accepts: batch smaller");
    }
  }

  /** The sequence number the next frame will carry. */
  public long nextSequence() {
    return nextSequence;
  }
}
