package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrameFlowTest {
  private static final String STREAM = "vm-3/pages";
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "frame-flow");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<FramePayload> payloads(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> FramePayload.of(FrameKind.CHECKPOINT_CHUNK, new byte[] {(byte) i}))
        .toList();
  }

  @Test
  void payloadsComeOutInOrderAndTheEndFrameIsConsumed() throws Exception {
    List<FramePayload> out =
        Source.from(payloads(5))
            .via(FrameEncoder.flow(STREAM))
            .via(FrameDecoder.flow(STREAM))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(5, out.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, out.get(i).sequence());
      assertArrayEquals(new byte[] {(byte) i}, out.get(i).bytes());
    }
  }

  @Test
  void streamCutBeforeItsEndFrameFailsNamingTheFirstMissingFrame() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    List<ByteString> frames = payloads(3).stream().map(encoder::encode).toList();

    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                Source.from(frames)
                    .via(FrameDecoder.flow(STREAM))
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    FrameException cut = assertInstanceOf(FrameException.class, failure.getCause());
    assertEquals(FrameException.Problem.GAP, cut.problem());
    assertEquals(3, cut.sequence());
    assertTrue(cut.getMessage().contains("without its END frame"), cut.getMessage());
  }

  @Test
  void droppedFrameFailsTheStreamBeforeAnythingAfterItIsDelivered() throws Exception {
    List<ByteString> frames =
        Source.from(payloads(6))
            .via(FrameEncoder.flow(STREAM))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    List<FramePayload> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();

    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                Source.from(frames)
                    .filter(f -> f != frames.get(2))
                    .via(FrameDecoder.flow(STREAM))
                    .runForeach(delivered::add, system)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    FrameException gap = assertInstanceOf(FrameException.class, failure.getCause());
    assertEquals(FrameException.Problem.GAP, gap.problem());
    assertEquals(2, gap.sequence());
    assertEquals(2, delivered.size());
  }
}
