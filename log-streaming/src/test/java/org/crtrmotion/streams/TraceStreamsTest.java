package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Source;
import org.crtrmotion.streams.TraceStreams.Receipt;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TraceStreamsTest {
  private static final String STREAM = "vm-5/trace";
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "trace-streams");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<TraceSegment> segments(int events) {
    List<TraceSegment> out = new ArrayList<>();
    new SyntheticTrace(events, new TraceWriter.Limits(1 << 10, 16)).forEachRemaining(out::add);
    return out;
  }

  private static Receipt receive(List<TraceSegment> segments, int perFrame) throws Exception {
    return Source.from(segments)
        .via(TraceStreams.encode(STREAM, perFrame))
        .runWith(TraceStreams.receive(STREAM, SyntheticTrace.START_ICOUNT), system)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void receiptCountsEverySegmentAndEventOfAFinishedTrace() throws Exception {
    List<TraceSegment> segments = segments(1_000);

    Receipt receipt = receive(segments, 3);

    assertTrue(receipt.finished());
    assertEquals(segments.size(), receipt.segments());
    assertEquals(1_000, receipt.events());
    assertEquals((segments.size() + 2) / 3, receipt.frames());
    assertEquals(segments.get(segments.size() - 1).lastIcount(), receipt.coveredIcount());
  }

  /** Frames intact, trace not: the segments' own checks still run on the receiving side. */
  @Test
  void segmentMissingInsideAnIntactFrameFailsNamingTheFrame() {
    List<TraceSegment> segments = segments(1_000);
    segments.remove(4); // in frame 1 of frames of 3 segments

    ExecutionException failure = assertThrows(ExecutionException.class, () -> receive(segments, 3));
    FrameException refused = assertInstanceOf(FrameException.class, failure.getCause());
    assertEquals(1, refused.sequence());
    assertTrue(refused.getMessage().contains("segment 4 is missing"), refused.getMessage());
  }
}
