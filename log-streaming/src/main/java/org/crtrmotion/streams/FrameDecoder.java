package org.crtrmotion.streams;

import static org.crtrmotion.streams.FrameException.Problem.CORRUPT;
import static org.crtrmotion.streams.FrameException.Problem.DUPLICATE;
import static org.crtrmotion.streams.FrameException.Problem.FOREIGN_VERSION;
import static org.crtrmotion.streams.FrameException.Problem.GAP;
import static org.crtrmotion.streams.FrameException.Problem.MALFORMED;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Objects;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;

/**
 * Wire frames in, verified payloads out, in sequence. Checks, in this order, that the frame parses,
 * speaks this protocol version, belongs to this stream, is the next in sequence, and expands to a
 * payload with the checksum it claims. The first frame that fails throws a {@link FrameException}
 * naming its sequence number, which in {@link #flow} fails the stream: nothing after a bad frame is
 * delivered either, because a consumer must not skip over a hole. Not thread-safe.
 */
public final class FrameDecoder {
  private final String streamId;
  private long nextSequence;
  private boolean ended;

  public FrameDecoder(String streamId) {
    this(streamId, 0);
  }

  /**
   * A decoder that expects frame {@code firstSequence} first: the receiver of a stream resumed at
   * that frame by a consumer whose state already holds the frames before it.
   */
  public FrameDecoder(String streamId, long firstSequence) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    if (firstSequence < 0) {
      throw new IllegalArgumentException(
          "stream '" + streamId + "' cannot start at frame " + firstSequence);
    }
    this.nextSequence = firstSequence;
  }

  /**
   * A flow that expects frame 0 first each time it is materialised, completes after the {@code END}
   * frame (which it does not emit) and fails if its upstream completes before one: a stream cut
   * short is an error, not a shorter trace.
   */
  public static Flow<ByteString, FramePayload, NotUsed> flow(String streamId) {
    return flow(streamId, 0);
  }

  /** As {@link #flow(String)}, expecting frame {@code firstSequence} first. */
  public static Flow<ByteString, FramePayload, NotUsed> flow(String streamId, long firstSequence) {
    return verifiedFlow(streamId, firstSequence).map(Verified::toPayload);
  }

  /**
   * As {@link #flow(String)} for a trace stream: each frame's segments, parsed from the verified
   * payload where it lies in the frame (a raw frame's bytes are not copied before each segment
   * takes its events). A frame of another kind fails the stream naming it.
   */
  public static Flow<ByteString, TraceFrame, NotUsed> traceFlow(String streamId) {
    return traceFlow(streamId, 0);
  }

  /** As {@link #traceFlow(String)}, expecting frame {@code firstSequence} first. */
  public static Flow<ByteString, TraceFrame, NotUsed> traceFlow(
      String streamId, long firstSequence) {
    return verifiedFlow(streamId, firstSequence)
        .map(
            v ->
                new TraceFrame(
                    v.sequence(), Payloads.traceSegmentsOf(v.sequence(), v.kind(), v.payload())));
  }

  private static Flow<ByteString, Verified, NotUsed> verifiedFlow(
      String streamId, long firstSequence) {
    return Flow.fromMaterializer(
            (materializer, attributes) -> {
              FrameDecoder decoder = new FrameDecoder(streamId, firstSequence);
              // concatLazy: plain concat pulls the second source before the first completes.
              return Flow.<ByteString>create()
                  .map(decoder::verify)
                  .takeWhile(frame -> frame.kind() != FrameKind.END)
                  .concatLazy(Source.lazySource(() -> decoder.afterUpstreamCompleted()));
            })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /**
   * A frame that passed every check. {@code payload} is a view of the wire bytes for a raw frame,
   * or wraps {@code expanded}, the array LZ4 expanded into.
   */
  private record Verified(
      long sequence, FrameKind kind, com.google.protobuf.ByteString payload, byte[] expanded) {
    FramePayload toPayload() {
      return new FramePayload(sequence, kind, expanded != null ? expanded : payload.toByteArray());
    }
  }

  private Source<Verified, NotUsed> afterUpstreamCompleted() {
    if (ended) {
      return Source.empty();
    }
    return Source.failed(
        new FrameException(
            GAP,
            nextSequence,
            "stream '"
                + streamId
                + "' ended after "
                + nextSequence
                + " frames without its END frame: it was cut short"));
  }

  public FramePayload decode(ByteString bytes) {
    return verify(bytes).toPayload();
  }

  private Verified verify(ByteString bytes) {
    StreamFrame frame = parse(bytes);
    long seq = frame.getSequence();
    if (frame.getProtocolVersion() != StreamsProtocol.VERSION) {
      throw new FrameException(
          FOREIGN_VERSION,
          seq,
          "frame "
              + seq
              + " speaks protocol version "
              + frame.getProtocolVersion()
              + "; this receiver speaks version "
              + StreamsProtocol.VERSION);
    }
    if (!frame.getUnknownFields().asMap().isEmpty()) {
      throw new FrameException(
          MALFORMED,
          seq,
          "frame "
              + seq
              + " carries fields "
              + frame.getUnknownFields().asMap().keySet()
              + ", which protocol version "
              + StreamsProtocol.VERSION
              + " does not define");
    }
    if (!frame.getStreamId().equals(streamId)) {
      throw new FrameException(
          MALFORMED,
          seq,
          "frame "
              + seq
              + " belongs to stream '"
              + frame.getStreamId()
              + "', not '"
              + streamId
              + "'");
    }
    checkSequence(seq);
    Verified verified = expand(frame);
    nextSequence++;
    if (frame.getKind() == FrameKind.END) {
      ended = true;
    }
    return verified;
  }

  private StreamFrame parse(ByteString bytes) {
    try {
      // Aliasing: the payload stays a view of the frame until expand() takes the one copy.
      CodedInputStream in = CodedInputStream.newInstance(bytes.toArrayUnsafe());
      in.enableAliasing(true);
      return StreamFrame.parser().parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(
          CORRUPT,
          nextSequence,
          "the frame after frame "
              + (nextSequence - 1)
              + " (expected frame "
              + nextSequence
              + ") does not parse: it is corrupt ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private void checkSequence(long seq) {
    if (ended) {
      throw new FrameException(
          MALFORMED, seq, "frame " + seq + " follows the END frame " + (nextSequence - 1));
    }
    if (seq < nextSequence) {
      throw new FrameException(
          DUPLICATE,
          seq,
          "frame " + seq + " arrives again after frame " + (nextSequence - 1) + ": a duplicate");
    }
    if (seq > nextSequence) {
      String missing =
          seq == nextSequence + 1
              ? "frame " + nextSequence + " is missing"
              : "frames " + nextSequence + " to " + (seq - 1) + " are missing";
      throw new FrameException(GAP, nextSequence, "frame " + seq + " arrives but " + missing);
    }
  }

  private Verified expand(StreamFrame frame) {
    long seq = frame.getSequence();
    int length = frame.getUncompressedLength();
    if (length < 0 || length > StreamsProtocol.MAX_PAYLOAD_BYTES) {
      throw new FrameException(
          MALFORMED,
          seq,
          "frame "
              + seq
              + " claims "
              + Integer.toUnsignedString(length)
              + " payload bytes; a receiver accepts at most "
              + StreamsProtocol.MAX_PAYLOAD_BYTES);
    }
    com.google.protobuf.ByteString payload = frame.getPayload();
    byte[] expanded = null;
    try {
      if (frame.getCodec() == Codec.NONE) {
        if (payload.size() != length) {
          throw new IllegalArgumentException(
              payload.size() + " raw bytes where the header says " + length);
        }
      } else {
        PayloadView.Slice wire = PayloadView.slice(payload);
        expanded =
            Compression.decompress(
                frame.getCodec(), wire.array(), wire.offset(), wire.length(), length);
        payload = UnsafeByteOperations.unsafeWrap(expanded);
      }
    } catch (IllegalArgumentException e) {
      throw new FrameException(CORRUPT, seq, "frame " + seq + " is corrupt: " + e.getMessage(), e);
    }
    int actual = PayloadView.crc32c(payload);
    if (actual != frame.getCrc32C()) {
      throw new FrameException(
          CORRUPT,
          seq,
          String.format(
              "frame %d is corrupt: checksum %08x computed, %08x stored",
              seq, actual, frame.getCrc32C()));
    }
    return new Verified(seq, frame.getKind(), payload, expanded);
  }

  /** The sequence number the next frame must carry. */
  public long nextSequence() {
    return nextSequence;
  }

  /** Whether the END frame has been read. */
  public boolean isEnded() {
    return ended;
  }
}
