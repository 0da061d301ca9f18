package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.junit.jupiter.api.Test;

/** A decoder that starts at frame N: the receiver of a stream resumed there. */
class FrameDecoderResumeTest {
  private static final String STREAM = "vm-2/trace";

  private static List<ByteString> frames(int count) {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    List<ByteString> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(encoder.encode(FramePayload.of(FrameKind.TRACE_SEGMENTS, new byte[] {(byte) i})));
    }
    return out;
  }

  @Test
  void aDecoderResumedAtFrameNAcceptsNAndTheFramesAfterIt() {
    List<ByteString> frames = frames(8);
    FrameDecoder decoder = new FrameDecoder(STREAM, 5);
    for (int i = 5; i < 8; i++) {
      assertEquals(i, decoder.decode(frames.get(i)).sequence());
    }
    assertEquals(8, decoder.nextSequence());
  }

  @Test
  void aDecoderResumedAtFrameNRefusesAnEarlierFrameAsADuplicate() {
    List<ByteString> frames = frames(8);
    FrameDecoder decoder = new FrameDecoder(STREAM, 5);
    FrameException refused =
        assertThrows(FrameException.class, () -> decoder.decode(frames.get(4)));
    assertEquals(FrameException.Problem.DUPLICATE, refused.problem());
    assertEquals(4, refused.sequence());
  }
}
