package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
