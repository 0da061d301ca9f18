package org.crtrmotion.streams;

import java.util.Objects;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;

/**
 * What a frame carries, before compression on the way out and after verification on the way in: the
 * kind and the serialised payload message that {@link Payloads} builds and reads.
 */
public record FramePayload(long sequence, FrameKind kind, byte[] bytes) {
  public FramePayload {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** A payload to send; the encoder gives it its sequence number. */
  public static FramePayload of(FrameKind kind, byte[] bytes) {
    return new FramePayload(-1, kind, bytes);
  }
}
