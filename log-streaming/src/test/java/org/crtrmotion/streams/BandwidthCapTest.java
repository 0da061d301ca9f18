package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stage end to end, for correctness only: durations are the {@link TokenBucketTest}'s business.
 * The timeout on each result guards against a hang; it asserts no rate.
 */
class BandwidthCapTest {
  private static final int FRAME_BYTES = 1000;
  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "bandwidth-cap");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Frames of {@link #FRAME_BYTES}, each filled with its own index so order shows. */
  private static List<ByteString> frames(int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              byte[] bytes = new byte[FRAME_BYTES];
              java.util.Arrays.fill(bytes, (byte) i);
              bytes[0] = (byte) (i >> 8);
              return ByteString.fromArrayUnsafe(bytes);
            })
        .toList();
  }

  private static List<ByteString> run(Source<ByteString, ?> source) throws Exception {
    return source
        .runWith(Sink.seq(), system)
        .toCompletableFuture()
        .get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void everyFramePassesACapOnceAndInOrder() throws Exception {
    List<ByteString> sent = frames(300);
    BandwidthCap cap = new BandwidthCap(4_000_000, 4096, System::nanoTime);

    assertEquals(sent, run(Source.from(sent).via(cap.flow())));
  }

  @Test
  void ratesChangedWhileTheTransferRunsLoseAndReorderNothing() throws Exception {
    List<ByteString> sent = frames(400);
    BandwidthCap cap = new BandwidthCap(2_000_000, 4096, System::nanoTime);
    AtomicLong passed = new AtomicLong();

    List<ByteString> received =
        run(
            Source.from(sent)
                .via(cap.flow())
                .map(
                    frame -> {
                      long n = passed.incrementAndGet();
                      if (n == 100) {
                        cap.setBytesPerSecond(8_000_000);
                      } else if (n == 200) {
                        cap.setBytesPerSecond(BandwidthCap.UNLIMITED);
                      } else if (n == 300) {
                        cap.setBytesPerSecond(1_000_000);
                      }
                      return frame;
                    }));

    assertEquals(sent, received);
  }

  @Test
  void aCapLiftedWhileAFrameWaitsReleasesTheRestOfTheStream() throws Exception {
    // One byte a second: the second frame alone would wait 999 s, the whole stream days.
    List<ByteString> sent = frames(50);
    BandwidthCap cap = new BandwidthCap(1, 1, System::nanoTime);

    List<ByteString> received =
        run(
            Source.from(sent)
                .via(cap.flow())
                .map(
                    frame -> {
                      cap.setBytesPerSecond(BandwidthCap.UNLIMITED);
                      return frame;
                    }));

    assertEquals(sent, received);
  }

  @Test
  void theStagePacesByTheInjectedClockNotByWallTime() throws Exception {
    // At 1000 B/s, 100 frames of 1000 bytes take 100 s of wall time; on a clock that moves a
    // second per reading, every frame has earned its bytes by the time it asks.
    AtomicLong now = new AtomicLong();
    BandwidthCap cap = new BandwidthCap(1000, 1000, () -> now.addAndGet(SECOND));
    List<ByteString> sent = frames(100);

    assertEquals(sent, run(Source.from(sent).via(cap.flow())));
  }

  /** A frame as it left a flow: which stream, and the fake time then. */
  private record Passed(String stream, long atNanos) {}

  @Test
  void twoFlowsOfOneCapTogetherGetTheCapAndARaisedCapAppliesToBoth() throws Exception {
    // 1000-byte frames at 50,000 B/s: one frame per 20 ms between both streams, never one each.
    // The clock stands still until the test moves it, by 20 ms each time the frames due by then
    // have passed; a stage that is ahead of the cap would show as a frame stamped too early.
    long step = 20 * MS;
    AtomicLong now = new AtomicLong();
    BandwidthCap cap = new BandwidthCap(50_000, 1000, now::get);
    Queue<Passed> passed = new ConcurrentLinkedQueue<>();
    Semaphore arrivals = new Semaphore(0);
    List<ByteString> sentA = frames(40);
    List<ByteString> sentB = frames(40);
    var receivedA = runStamped("a", sentA, cap, now, passed, arrivals);
    var receivedB = runStamped("b", sentB, cap, now, passed, arrivals);

    // Expected schedule: the burst lets one frame go at 0; then one per step until 40 have
    // passed; the cap is then doubled and two go per step.
    List<Long> expectedTimes = new ArrayList<>();
    expectedTimes.add(0L);
    await(arrivals, 1);
    for (int k = 1; expectedTimes.size() < 80; k++) {
      if (expectedTimes.size() == 40) {
        cap.setBytesPerSecond(100_000);
      }
      int due = expectedTimes.size() < 40 ? 1 : 2;
      now.addAndGet(step);
      await(arrivals, due);
      for (int i = 0; i < due; i++) {
        expectedTimes.add(k * step);
      }
    }

    assertEquals(sentA, receivedA.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(sentB, receivedB.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    List<Passed> order = new ArrayList<>(passed);
    assertEquals(expectedTimes, order.stream().map(Passed::atNanos).toList());
    assertEquals(59 * step, now.get(), "80 kB at 50 then 100 kB/s, less the first burst");
    // Both streams pass frames before and after the cap is raised. Exact turns are the
    // TokenBucketTest's business: here a stream whose next frame is not yet in line when the clock
    // moves (its thread has not reserved yet) rightly lets the other stream go first.
    long raisedAt = 39 * step;
    for (String stream : List.of("a", "b")) {
      assertTrue(order.stream().anyMatch(p -> p.stream().equals(stream) && p.atNanos() < raisedAt));
      assertTrue(order.stream().anyMatch(p -> p.stream().equals(stream) && p.atNanos() > raisedAt));
    }
  }

  private static CompletableFuture<List<ByteString>> runStamped(
      String stream,
      List<ByteString> frames,
      BandwidthCap cap,
      AtomicLong now,
      Queue<Passed> passed,
      Semaphore arrivals) {
    return Source.from(frames)
        .via(cap.flow())
        .map(
            frame -> {
              passed.add(new Passed(stream, now.get()));
              arrivals.release();
              return frame;
            })
        .runWith(Sink.seq(), system)
        .toCompletableFuture();
  }

  /** Waits for {@code n} more frames to pass; the timeout only guards against a hang. */
  private static void await(Semaphore arrivals, int n) throws InterruptedException {
    assertTrue(
        arrivals.tryAcquire(n, TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS),
        "frames due never passed");
  }

  @Test
  void aFailureUpstreamPassesThroughAndAnEmptyStreamCompletes() throws Exception {
    BandwidthCap cap = new BandwidthCap(1000);

    assertEquals(List.of(), run(Source.<ByteString>empty().via(cap.flow())));
    IllegalStateException boom = new IllegalStateException("boom");
    var failure =
        assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> run(Source.<ByteString>failed(boom).via(cap.flow())));
    assertEquals(boom, failure.getCause());
  }

  @Test
  void aNegativeCapIsRefusedAndZeroMeansUnlimited() {
    BandwidthCap cap = BandwidthCap.unlimited();
    assertEquals(BandwidthCap.UNLIMITED, cap.bytesPerSecond());
    assertThrows(IllegalArgumentException.class, () -> cap.setBytesPerSecond(-1));
    assertThrows(IllegalArgumentException.class, () -> new BandwidthCap(-5));
    cap.setBytesPerSecond(125_000_000);
    assertEquals(125_000_000, cap.bytesPerSecond());
  }
}
