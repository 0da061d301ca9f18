package org.crtrmotion.streams;

import com.google.protobuf.UnsafeByteOperations;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;

/**
 * Payloads in, wire frames out: numbers each payload, checksums it, compresses it when that pays.
 * Emits {@link ByteString}s because StreamRefs and remoting carry them without a custom serializer,
 * and because what crosses the wire is exactly what the receiver verifies. Not thread-safe: one
 * encoder per stream, which {@link #flow} gives each materialisation.
 */
public final class FrameEncoder {
  private final String streamId;
  private long nextSequence;

  public FrameEncoder(String streamId) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
  }

  /**
   * A flow that numbers frames from 0 each time it is materialised and closes the stream with an
   * {@code END} frame, so that a receiver can tell a finished stream from a cut one.
   */
  public static Flow<FramePayload, ByteString, NotUsed> flow(String streamId) {
    return Flow.<FramePayload>create()
        .statefulMap(
            () -> new FrameEncoder(streamId),
            (encoder, payload) -> Pair.create(encoder, encoder.encode(payload)),
            encoder -> Optional.of(encoder.encodeEnd()));
  }

  /** The {@code END} frame, counting the frames before it. */
  public ByteString encodeEnd() {
    return encode(Payloads.end(nextSequence));
  }

  public ByteString encode(FramePayload payload) {
    byte[] raw = payload.bytes();
    if (raw.length > StreamsProtocol.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload of "
              + raw.length
              + " bytes exceeds the "
              + StreamsProtocol.MAX_PAYLOAD_BYTES
              + " a receiver accepts: batch smaller");
    }
    CRC32C crc = new CRC32C();
    crc.update(raw);
    Compression.Compressed wire = Compression.compress(raw);
    StreamFrame frame =
        StreamFrame.newBuilder()
            .setProtocolVersion(StreamsProtocol.VERSION)
            .setStreamId(streamId)
            .setSequence(nextSequence++)
            .setKind(payload.kind())
            .setCodec(wire.codec())
            .setUncompressedLength(raw.length)
            .setCrc32C((int) crc.getValue())
            .setPayload(UnsafeByteOperations.unsafeWrap(wire.bytes()))
            .build();
    return ByteString.fromArrayUnsafe(frame.toByteArray());
  }

  /** The sequence number the next frame will carry. */
  public long nextSequence() {
    return nextSequence;
  }
}
