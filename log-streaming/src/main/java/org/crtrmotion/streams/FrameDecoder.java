package org.crtrmotion.streams;

import static org.crtrmotion.streams.FrameException.Problem.CORRUPT;
import static org.crtrmotion.streams.FrameException.Problem.DUPLICATE;
import static org.crtrmotion.streams.FrameException.Problem.FOREIGN_VERSION;
import static org.crtrmotion.streams.FrameException.Problem.GAP;
import static org.crtrmotion.streams.FrameException.Problem.MALFORMED;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
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
    return Flow.fromMaterializer(
            (materializer, attributes) -> {
              FrameDecoder decoder = new FrameDecoder(streamId, firstSequence);
              // concatLazy: plain concat pulls the second source before the first completes.
              return Flow.<ByteString>create()
                  .map(decoder::decode)
                  .takeWhile(payload -> payload.kind() != FrameKind.END)
                  .concatLazy(Source.lazySource(() -> decoder.afterUpstreamCompleted()));
            })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Source<FramePayload, NotUsed> afterUpstreamCompleted() {
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
    byte[] payload = expand(frame);
    nextSequence++;
    if (frame.getKind() == FrameKind.END) {
      ended = true;
    }
    return new FramePayload(seq, frame.getKind(), payload);
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

  private byte[] expand(StreamFrame frame) {
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
    byte[] raw;
    try {
      raw = Compression.decompress(frame.getCodec(), frame.getPayload().toByteArray(), length);
    } catch (IllegalArgumentException e) {
      throw new FrameException(CORRUPT, seq, "frame " + seq + " is corrupt: " + e.getMessage(), e);
    }
    CRC32C crc = new CRC32C();
    crc.update(raw);
    int actual = (int) crc.getValue();
    if (actual != frame.getCrc32C()) {
      throw new FrameException(
          CORRUPT,
          seq,
          String.format(
              "frame %d is corrupt: checksum %08x computed, %08x stored",
              seq, actual, frame.getCrc32C()));
    }
    return raw;
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
