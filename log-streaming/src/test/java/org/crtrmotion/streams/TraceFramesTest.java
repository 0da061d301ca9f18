package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trace frames with fewer copies: {@link FrameEncoder#encodeTraceSegments} writes the same frames
 * as the generic path; {@link FrameDecoder#traceFlow} reads segments where they lie in the frame.
 */
class TraceFramesTest {
  private static final String STREAM = "vm-1/trace";
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "trace-frames");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<TraceFrame> throughTraceFlow(List<TraceSegment> segments, CodecPolicy codecs)
      throws Exception {
    return Source.from(segments)
        .via(TraceStreams.encode(STREAM, 4, codecs))
        .via(FrameDecoder.traceFlow(STREAM))
        .runWith(Sink.seq(), system)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static List<TraceSegment> segments(int events) {
    List<TraceSegment> out = new ArrayList<>();
    SyntheticTrace trace = new SyntheticTrace(events, new TraceWriter.Limits(4 << 10, 1 << 10));
    trace.forEachRemaining(out::add);
    return out;
  }

  private static StreamFrame parse(ByteString wire) throws Exception {
    return StreamFrame.parseFrom(wire.toArrayUnsafe());
  }

  @Test
  void aRawTraceFrameWrittenInPlaceEqualsTheGenericEncodingByteForByte() {
    List<TraceSegment> segments = segments(2_000);
    FrameEncoder inPlace = new FrameEncoder(STREAM, CodecPolicy.none());
    FrameEncoder generic = new FrameEncoder(STREAM, CodecPolicy.none());
    for (int i = 0; i < segments.size(); i += 3) {
      List<TraceSegment> group = segments.subList(i, Math.min(segments.size(), i + 3));
      assertEquals(
          generic.encode(Payloads.traceSegments(group)), inPlace.encodeTraceSegments(group));
    }
    assertEquals(generic.nextSequence(), inPlace.nextSequence());
  }

  @Test
  void everySegmentComesBackThroughTheDecoderUnderEachPolicy() throws Exception {
    List<TraceSegment> segments = segments(2_000);
    for (CodecPolicy policy : List.of(CodecPolicy.none(), CodecPolicy.lz4())) {
      FrameEncoder encoder = new FrameEncoder(STREAM, policy);
      FrameDecoder decoder = new FrameDecoder(STREAM);
      List<TraceSegment> back = new ArrayList<>();
      for (int i = 0; i < segments.size(); i += 4) {
        ByteString wire =
            encoder.encodeTraceSegments(segments.subList(i, Math.min(segments.size(), i + 4)));
        if (policy == CodecPolicy.none()) {
          assertEquals(Codec.NONE, parse(wire).getCodec(), "frame " + (i / 4));
        }
        back.addAll(Payloads.traceSegmentsOf(decoder.decode(wire)));
      }
      assertEquals(FrameKind.END, decoder.decode(encoder.encodeEnd()).kind());
      assertEquals(segments, back, policy.toString());
    }
  }

  @Test
  void aFlippedByteInARawTraceFrameIsCorruptNamingTheFrame() {
    List<TraceSegment> segments = segments(500);
    FrameEncoder encoder = new FrameEncoder(STREAM, CodecPolicy.none());
    FrameDecoder decoder = new FrameDecoder(STREAM);
    decoder.decode(encoder.encodeTraceSegments(segments.subList(0, 1)));
    byte[] wire = encoder.encodeTraceSegments(segments.subList(1, 2)).toArray();
    wire[wire.length - 10] ^= 0x04; // inside the last segment's fields
    FrameException e =
        assertThrows(FrameException.class, () -> decoder.decode(ByteString.fromArrayUnsafe(wire)));
    assertEquals(1, e.sequence());
    assertTrue(e.getMessage().startsWith("frame 1 is corrupt"), e.getMessage());
  }

  @Test
  void theTraceFlowDeliversEveryFramesSegmentsInOrderUnderEachPolicy() throws Exception {
    List<TraceSegment> segments = segments(2_000);
    for (CodecPolicy codecs : List.of(CodecPolicy.none(), CodecPolicy.lz4())) {
      List<TraceFrame> frames = throughTraceFlow(segments, codecs);
      List<TraceSegment> back = new ArrayList<>();
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i, frames.get(i).sequence(), codecs.toString());
        back.addAll(frames.get(i).segments());
      }
      assertEquals(segments, back, codecs.toString());
    }
  }

  @Test
  void theTraceFlowRefusesAFrameOfAnotherKindNamingIt() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                Source.single(FramePayload.of(FrameKind.CHECKPOINT_CHUNK, new byte[] {1}))
                    .via(FrameEncoder.flow(STREAM))
                    .via(FrameDecoder.traceFlow(STREAM))
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    assertTrue(
        e.getCause().getMessage().contains("frame 0 is CHECKPOINT_CHUNK, not TRACE_SEGMENTS"),
        e.getCause().getMessage());
  }

  @Test
  void aFlippedByteInACompressedTraceFrameIsCorruptNamingTheFrame() {
    byte[] text = new byte[16 << 10];
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) ("abcdefgh".charAt(i % 8) + (i / 512) % 3);
    }
    FrameEncoder encoder = new FrameEncoder(STREAM, CodecPolicy.lz4());
    byte[] wire = encoder.encode(FramePayload.of(FrameKind.TRACE_SEGMENTS, text)).toArray();
    wire[wire.length - 20] ^= 0x01;
    FrameException e =
        assertThrows(
            FrameException.class,
            () -> new FrameDecoder(STREAM).decode(ByteString.fromArrayUnsafe(wire)));
    assertEquals(0, e.sequence());
    assertTrue(e.getMessage().startsWith("frame 0 is corrupt"), e.getMessage());
  }

  @Test
  void parallelCompressionGivesTheFramesOfTheSequentialEncoderInOrder() throws Exception {
    List<TraceSegment> segments = segments(4_000);
    for (CodecPolicy codecs : List.of(CodecPolicy.lz4(), CodecPolicy.none())) {
      List<ByteString> sequential = encoded(segments, codecs, 1);
      List<ByteString> parallel = encoded(segments, codecs, 4);
      assertTrue(sequential.size() > 8, "frames: " + sequential.size());
      assertEquals(sequential, parallel, codecs.toString());
    }
  }

  @Test
  void aParallelAdaptiveStreamDeliversEverySegmentOnceInOrder() throws Exception {
    List<TraceSegment> segments = segments(4_000);
    CodecPolicy slowLink = CodecPolicy.adaptive(() -> 10_000_000L, 250_000_000L, 1.25, 4);
    List<TraceSegment> back = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(STREAM);
    for (ByteString frame : encoded(segments, slowLink, 3)) {
      FramePayload payload = decoder.decode(frame);
      if (payload.kind() == FrameKind.TRACE_SEGMENTS) {
        back.addAll(Payloads.traceSegmentsOf(payload));
      }
    }
    assertTrue(decoder.isEnded());
    assertEquals(segments, back);
  }

  private static List<ByteString> encoded(
      List<TraceSegment> segments, CodecPolicy codecs, int parallelism) throws Exception {
    return Source.from(segments)
        .via(TraceStreams.encode(STREAM, 4, codecs, parallelism))
        .runWith(Sink.seq(), system)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }
}
