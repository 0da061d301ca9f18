package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Random;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final String STREAM = "vm-1/trace";

  private static FramePayload payload(byte[] bytes) {
    return FramePayload.of(FrameKind.CHECKPOINT_CHUNK, bytes);
  }

  private static StreamFrame parse(ByteString wire) throws InvalidProtocolBufferException {
    return StreamFrame.parseFrom(wire.toArrayUnsafe());
  }

  @Test
  void compressiblePayloadTravelsAsLz4AndComesBackIntact() throws Exception {
    byte[] raw = new byte[64 << 10];
    Arrays.fill(raw, (byte) 7);
    ByteString wire = new FrameEncoder(STREAM).encode(payload(raw));

    assertEquals(Codec.LZ4_BLOCK, parse(wire).getCodec());
    assertTrue(wire.size() < raw.length / 10, "wire size " + wire.size());
    FramePayload back = new FrameDecoder(STREAM).decode(wire);
    assertEquals(0, back.sequence());
    assertEquals(FrameKind.CHECKPOINT_CHUNK, back.kind());
    assertArrayEquals(raw, back.bytes());
  }

  @Test
  void incompressiblePayloadTravelsRaw() throws Exception {
    byte[] raw = new byte[4096];
    new Random(1).nextBytes(raw);
    ByteString wire = new FrameEncoder(STREAM).encode(payload(raw));

    assertEquals(Codec.NONE, parse(wire).getCodec());
    assertArrayEquals(raw, new FrameDecoder(STREAM).decode(wire).bytes());
  }

  @Test
  void flippedPayloadByteIsCorruptNamingItsSequence() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    FrameDecoder decoder = new FrameDecoder(STREAM);
    byte[] raw = new byte[4096];
    new Random(2).nextBytes(raw);
    decoder.decode(encoder.encode(payload(raw)));
    byte[] wire = encoder.encode(payload(raw)).toArray();
    wire[wire.length - 1] ^= 0x10; // the payload is the frame's last field

    FrameException e =
        assertThrows(FrameException.class, () -> decoder.decode(ByteString.fromArray(wire)));
    assertEquals(FrameException.Problem.CORRUPT, e.problem());
    assertEquals(1, e.sequence());
    assertTrue(e.getMessage().contains("frame 1 is corrupt"), e.getMessage());
  }

  @Test
  void missingFrameIsAGapNamingTheFirstMissing() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    FrameDecoder decoder = new FrameDecoder(STREAM);
    decoder.decode(encoder.encode(payload(new byte[10])));
    encoder.encode(payload(new byte[10]));
    encoder.encode(payload(new byte[10]));

    FrameException e =
        assertThrows(
            FrameException.class, () -> decoder.decode(encoder.encode(payload(new byte[10]))));
    assertEquals(FrameException.Problem.GAP, e.problem());
    assertEquals(1, e.sequence());
    assertTrue(e.getMessage().contains("frames 1 to 2 are missing"), e.getMessage());
  }

  @Test
  void repeatedFrameIsADuplicate() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    FrameDecoder decoder = new FrameDecoder(STREAM);
    ByteString first = encoder.encode(payload(new byte[10]));
    decoder.decode(first);

    FrameException e = assertThrows(FrameException.class, () -> decoder.decode(first));
    assertEquals(FrameException.Problem.DUPLICATE, e.problem());
    assertEquals(0, e.sequence());
  }

  @Test
  void frameOfAnotherProtocolVersionIsRefusedNamingBothVersions() throws Exception {
    StreamFrame future =
        parse(new FrameEncoder(STREAM).encode(payload(new byte[10]))).toBuilder()
            .setProtocolVersion(StreamsProtocol.VERSION + 1)
            .build();

    FrameException e =
        assertThrows(
            FrameException.class,
            () -> new FrameDecoder(STREAM).decode(ByteString.fromArray(future.toByteArray())));
    assertEquals(FrameException.Problem.FOREIGN_VERSION, e.problem());
    assertTrue(e.getMessage().contains("frame 0 speaks protocol version 2"), e.getMessage());
  }

  @Test
  void frameOfAnotherStreamIsRefused() {
    ByteString wire = new FrameEncoder("vm-2/trace").encode(payload(new byte[10]));

    FrameException e =
        assertThrows(FrameException.class, () -> new FrameDecoder(STREAM).decode(wire));
    assertEquals(FrameException.Problem.MALFORMED, e.problem());
  }

  @Test
  void framesAfterEndAreRefused() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    FrameDecoder decoder = new FrameDecoder(STREAM);
    decoder.decode(encoder.encode(Payloads.end(0)));

    assertTrue(decoder.isEnded());
    assertThrows(FrameException.class, () -> decoder.decode(encoder.encode(payload(new byte[1]))));
  }

  @Test
  void unparseableBytesAreCorruptNamingTheExpectedSequence() {
    FrameException e =
        assertThrows(
            FrameException.class,
            () -> new FrameDecoder(STREAM).decode(ByteString.fromArray(new byte[] {(byte) 0xff})));
    assertEquals(FrameException.Problem.CORRUPT, e.problem());
    assertEquals(0, e.sequence());
  }
}
