package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** When the receiver acknowledges: after its consumer took frames in, in batches, END always. */
class AckOnDemandTest {
  // A linger no test outlives: batches and the end decide every acknowledgement.
  private static final Duration NEVER = Duration.ofHours(1);

  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "ack-on-demand");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** Frames 0 to {@code count - 1} and the END frame {@code count}. */
  private static List<ByteString> stream(int count) {
    FrameEncoder encoder = new FrameEncoder("vm-9/trace");
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      frames.add(encoder.encode(FramePayload.of(FrameKind.TRACE_SEGMENTS, new byte[] {1})));
    }
    frames.add(encoder.encodeEnd());
    return frames;
  }

  @Test
  void acknowledgesInBatchesAndTheEndFrameWhenTheConsumerTookItIn() throws Exception {
    List<Long> acks = new CopyOnWriteArrayList<>();
    List<Throwable> abandoned = new CopyOnWriteArrayList<>();

    Source.from(stream(40))
        .via(Flow.fromGraph(new AckOnDemand(acks::add, abandoned::add, 16, NEVER)))
        .runWith(Sink.ignore(), system)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertEquals(List.of(16L, 32L, 41L), acks);
    assertEquals(List.of(), abandoned);
  }

  @Test
  void aConsumerThatFailsAcknowledgesWhatItTookInAndReportsTheCause() {
    List<Long> acks = new CopyOnWriteArrayList<>();
    List<Throwable> abandoned = new CopyOnWriteArrayList<>();
    IllegalStateException broken = new IllegalStateException("replayer broke at frame 5");

    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                Source.from(stream(40))
                    .via(Flow.fromGraph(new AckOnDemand(acks::add, abandoned::add, 16, NEVER)))
                    .map(
                        frame -> {
                          if (FrameSequence.peek(frame).sequence() == 5) {
                            throw broken;
                          }
                          return frame;
                        })
                    .runWith(Sink.ignore(), system)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));

    assertSame(broken, failed.getCause());
    assertEquals(List.of(5L), acks);
    assertEquals(1, abandoned.size());
    assertSame(broken, abandoned.get(0));
  }
}
