package org.crtrmotion.streams;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.crtrmotion.streams.proto.StreamsProto.Control;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;

/**
 * The {@code CONTROL} frames a receiver sends back to the sender's endpoint: acknowledgements,
 * resume requests, abandonment. They are ordinary {@code StreamFrame}s (version, stream id, CRC32C)
 * so a peer of another version is refused the same way; their sequence numbers count control frames
 * and are not checked for gaps, because an acknowledgement lost with a connection is superseded by
 * the next one.
 */
final class ControlFrames {
  private final String streamId;
  private final AtomicLong nextSequence = new AtomicLong();

  ControlFrames(String streamId) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
  }

  ByteString acknowledge(long nextExpected) {
    return encode(
        Control.newBuilder()
            .setAcknowledge(
                org.crtrmotion.streams.proto.StreamsProto.Acknowledge.newBuilder()
                    .setNextSequence(nextExpected))
            .build());
  }

  ByteString resume(long nextExpected, String replyTo) {
    return encode(
        Control.newBuilder()
            .setResume(
                org.crtrmotion.streams.proto.StreamsProto.Resume.newBuilder()
                    .setNextSequence(nextExpected)
                    .setReplyTo(replyTo))
            .build());
  }

  ByteString abandon(long nextExpected, String reason) {
    return encode(
        Control.newBuilder()
            .setAbandon(
                org.crtrmotion.streams.proto.StreamsProto.Abandon.newBuilder()
                    .setNextSequence(nextExpected)
                    .setReason(reason))
            .build());
  }

  private ByteString encode(Control control) {
    byte[] payload = control.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteString.fromArrayUnsafe(
        StreamFrame.newBuilder()
            .setProtocolVersion(StreamsProtocol.VERSION)
            .setStreamId(streamId)
            .setSequence(nextSequence.getAndIncrement())
            .setKind(FrameKind.CONTROL)
            .setCodec(Codec.NONE)
            .setUncompressedLength(payload.length)
            .setCrc32C((int) crc.getValue())
            .setPayload(com.google.protobuf.ByteString.copyFrom(payload))
            .build()
            .toByteArray());
  }

  /**
   * The {@code Control} in a control frame of {@code streamId}; anything else (another version,
   * stream or kind, a bad checksum, a message this version does not know) is a {@link
   * FrameException} naming the control frame.
   */
  static Control decode(String streamId, ByteString bytes) {
    StreamFrame frame;
    try {
      frame = StreamFrame.parseFrom(bytes.toArrayUnsafe());
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(
          FrameException.Problem.CORRUPT,
          -1,
          "a control frame does not parse: " + e.getMessage(),
          e);
    }
    long seq = frame.getSequence();
    if (frame.getProtocolVersion() != StreamsProtocol.VERSION) {
      throw new FrameException(
          FrameException.Problem.FOREIGN_VERSION,
          seq,
          "control frame "
              + seq
              + " speaks protocol version "
              + frame.getProtocolVersion()
              + "; this sender speaks version "
              + StreamsProtocol.VERSION);
    }
    if (!frame.getStreamId().equals(streamId) || frame.getKind() != FrameKind.CONTROL) {
      throw new FrameException(
          FrameException.Problem.MALFORMED,
          seq,
          "frame "
              + seq
              + " of kind "
              + frame.getKind()
              + " for stream '"
              + frame.getStreamId()
              + "' reached the control endpoint of stream '"
              + streamId
              + "'");
    }
    byte[] payload = frame.getPayload().toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    if (frame.getCodec() != Codec.NONE || (int) crc.getValue() != frame.getCrc32C()) {
      throw new FrameException(
          FrameException.Problem.CORRUPT, seq, "control frame " + seq + " is corrupt");
    }
    Control control;
    try {
      control = Control.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(
          FrameException.Problem.CORRUPT,
          seq,
          "control frame " + seq + " does not hold a Control: " + e.getMessage(),
          e);
    }
    if (control.getMessageCase() == Control.MessageCase.MESSAGE_NOT_SET) {
      throw new FrameException(
          FrameException.Problem.MALFORMED,
          seq,
          "control frame "
              + seq
              + " holds no message that protocol version "
              + StreamsProtocol.VERSION
              + " knows (fields "
              + control.getUnknownFields().asMap().keySet()
              + ")");
    }
    return control;
  }
}
