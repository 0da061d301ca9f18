package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.TraceStreams.Receipt;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplayFeedSinkTest {
  private static final String STREAM = "vm-7/trace";
  private static final TraceWriter.Limits LIMITS = new TraceWriter.Limits(1 << 10, 16);
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "replay-feed-sink");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<TraceSegment> segments(int events) {
    List<TraceSegment> out = new ArrayList<>();
    new SyntheticTrace(events, LIMITS).forEachRemaining(out::add);
    return out;
  }

  private static List<InputEvent> events(List<TraceSegment> segments) throws Exception {
    List<InputEvent> out = new ArrayList<>();
    for (TraceSegment s : segments) {
      out.addAll(s.decode());
    }
    return out;
  }

  /**
   * What a replayer does with the feed, without a machine: waits for coverage and takes every event
   * below it, never one at or past it.
   */
  private static CompletableFuture<List<InputEvent>> replayer(GrowingFeed feed) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<InputEvent> taken = new ArrayList<>();
          long at = SyntheticTrace.START_ICOUNT;
          try {
            while (true) {
              GrowingFeed.Coverage c = feed.awaitCoverageBeyond(at);
              InputEvent e;
              while ((e = feed.peek()) != null
                  && (e.instructionCount() < c.icount() || c.finished())) {
                taken.add(feed.next());
              }
              at = c.icount();
              if (c.finished()) {
                return taken;
              }
            }
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void everyEventReachesAFeedSmallerThanTheTraceInOrderAndTheFeedEndsWithTheTrace()
      throws Exception {
    List<TraceSegment> segments = segments(5_000);
    GrowingFeed feed = new GrowingFeed(SyntheticTrace.START_ICOUNT, 64);
    CompletableFuture<List<InputEvent>> replayed = replayer(feed);

    Receipt receipt =
        Source.from(segments)
            .via(TraceStreams.encode(STREAM, 4))
            .runWith(ReplayFeedSink.into(STREAM, SyntheticTrace.START_ICOUNT, feed), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(events(segments), replayed.get(30, TimeUnit.SECONDS));
    assertTrue(receipt.finished());
    assertEquals(5_000, receipt.events());
    assertTrue(feed.isFinished());
    assertEquals(segments.get(segments.size() - 1).lastIcount(), feed.coveredIcount());
  }

  @Test
  void aCorruptFrameWakesTheWaitingReplayerWithTheFrameNamed() throws Exception {
    GrowingFeed feed = new GrowingFeed(SyntheticTrace.START_ICOUNT, 64);
    CompletableFuture<List<InputEvent>> replayed = replayer(feed);

    Source.from(segments(2_000))
        .via(TraceStreams.encode(STREAM, 4))
        .zipWithIndex()
        .map(
            indexed -> {
              if (indexed.second() != 5) {
                return indexed.first();
              }
              byte[] bytes = indexed.first().toArray();
              bytes[bytes.length - 1] ^= 0x01;
              return ByteString.fromArrayUnsafe(bytes);
            })
        .runWith(ReplayFeedSink.into(STREAM, SyntheticTrace.START_ICOUNT, feed), system);

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> replayed.get(30, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof IllegalStateException, String.valueOf(failed));
    assertTrue(
        failed.getCause().getMessage().contains("frame 5 is corrupt"),
        failed.getCause().getMessage());
  }
}
