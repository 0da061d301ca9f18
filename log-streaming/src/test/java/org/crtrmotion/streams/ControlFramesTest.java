package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Control;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.junit.jupiter.api.Test;

class ControlFramesTest {
  private static final String STREAM = "vm-8/trace";

  private static StreamFrame.Builder parsed(ByteString frame) throws Exception {
    return StreamFrame.parseFrom(frame.toArray()).toBuilder();
  }

  @Test
  void eachControlMessageRoundTrips() {
    ControlFrames control = new ControlFrames(STREAM);
    assertEquals(
        41,
        ControlFrames.decode(STREAM, control.acknowledge(41)).getAcknowledge().getNextSequence());
    Control resume = ControlFrames.decode(STREAM, control.resume(42, "pekko://x/user/y"));
    assertEquals(42, resume.getResume().getNextSequence());
    assertEquals("pekko://x/user/y", resume.getResume().getReplyTo());
    Control abandon = ControlFrames.decode(STREAM, control.abandon(43, "consumer failed"));
    assertEquals(43, abandon.getAbandon().getNextSequence());
    assertEquals("consumer failed", abandon.getAbandon().getReason());
  }

  @Test
  void aControlFrameOfAnotherProtocolVersionIsRefused() throws Exception {
    ByteString frame = new ControlFrames(STREAM).acknowledge(1);
    ByteString foreign =
        ByteString.fromArrayUnsafe(parsed(frame).setProtocolVersion(2).build().toByteArray());
    FrameException refused =
        assertThrows(FrameException.class, () -> ControlFrames.decode(STREAM, foreign));
    assertEquals(FrameException.Problem.FOREIGN_VERSION, refused.problem());
    assertTrue(refused.getMessage().contains("protocol version 2"), refused.getMessage());
  }

  @Test
  void aDataFrameSentToTheControlEndpointIsRefused() {
    ByteString data =
        new FrameEncoder(STREAM).encode(FramePayload.of(FrameKind.TRACE_SEGMENTS, new byte[3]));
    FrameException refused =
        assertThrows(FrameException.class, () -> ControlFrames.decode(STREAM, data));
    assertEquals(FrameException.Problem.MALFORMED, refused.problem());
    assertTrue(refused.getMessage().contains("TRACE_SEGMENTS"), refused.getMessage());
  }

  @Test
  void aControlFrameOfAnotherStreamIsRefused() {
    ByteString other = new ControlFrames("vm-9/trace").acknowledge(1);
    FrameException refused =
        assertThrows(FrameException.class, () -> ControlFrames.decode(STREAM, other));
    assertTrue(refused.getMessage().contains("'vm-9/trace'"), refused.getMessage());
  }

  @Test
  void aControlWithNoMessageThisVersionKnowsIsRefused() throws Exception {
    ByteString frame = new ControlFrames(STREAM).acknowledge(1);
    // A Control holding only field 9, as a later version might send: unknown here.
    byte[] payload = {(byte) 0x48, 0x01};
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(payload);
    ByteString future =
        ByteString.fromArrayUnsafe(
            parsed(frame)
                .setPayload(com.google.protobuf.ByteString.copyFrom(payload))
                .setUncompressedLength(payload.length)
                .setCrc32C((int) crc.getValue())
                .build()
                .toByteArray());
    FrameException refused =
        assertThrows(FrameException.class, () -> ControlFrames.decode(STREAM, future));
    assertEquals(FrameException.Problem.MALFORMED, refused.problem());
    assertTrue(refused.getMessage().contains("fields [9]"), refused.getMessage());
  }
}
