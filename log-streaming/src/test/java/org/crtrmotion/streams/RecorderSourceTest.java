package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecorderSourceTest {
  /** One event per segment, so that every input hands a segment over. */
  private static final TraceWriter.Limits ONE_EVENT = new TraceWriter.Limits(64, 1);

  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "recorder-source");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What the VM thread does: {@code inputs} clock reads 10 instructions apart, then the end. */
  private static void record(TraceRecorder recorder, RecorderSource trace, int inputs) {
    for (int i = 0; i < inputs; i++) {
      recorder.timeRead(100 + 10L * i, i);
      if (i % 7 == 0) {
        trace.coverTo(100 + 10L * i + 5);
      }
    }
    trace.finish(100 + 10L * inputs);
  }

  /** The same inputs through a plain writer: the segments the stream must deliver. */
  private static List<TraceSegment> expected(TraceWriter.Limits limits, int inputs) {
    List<TraceSegment> out = new ArrayList<>();
    TraceWriter writer = new TraceWriter(100, limits, out::add);
    TraceRecorder recorder = new TraceRecorder(writer);
    for (int i = 0; i < inputs; i++) {
      recorder.timeRead(100 + 10L * i, i);
      if (i % 7 == 0) {
        writer.flush(100 + 10L * i + 5);
      }
    }
    writer.finish(100 + 10L * inputs);
    return out;
  }

  /** A clock that moves 1000 ns per read and opens {@code firstRead} when it is first read. */
  private static LongSupplier clock(CountDownLatch firstRead) {
    AtomicLong now = new AtomicLong();
    return () -> {
      firstRead.countDown();
      return now.addAndGet(1000);
    };
  }

  @Test
  void everySegmentTheRecorderClosesComesOutOnceInOrderAndTheSourceEndsAfterTheFinalOne()
      throws Exception {
    RecorderSource trace =
        RecorderSource.start(100, new TraceWriter.Limits(256, 16), 4, System::nanoTime);
    CompletableFuture<List<TraceSegment>> received =
        trace.source().runWith(Sink.seq(), system).toCompletableFuture();

    record(trace.recorder(), trace, 2_000);

    List<TraceSegment> segments = received.get(30, TimeUnit.SECONDS);
    assertEquals(expected(new TraceWriter.Limits(256, 16), 2_000), segments);
    assertEquals(segments.size(), trace.segments());
    assertEquals(100 + 10L * 2_000, trace.coveredIcount());
  }

  @Test
  void aStreamThatTakesNothingMakesTheVmThreadWaitAndCountsTheWaitWithoutDroppingAnything()
      throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    RecorderSource trace = RecorderSource.start(100, ONE_EVENT, 2, clock(waiting));
    SinkQueueWithCancel<TraceSegment> consumer = trace.source().runWith(Sink.queue(), system);
    AtomicInteger mostBuffered = new AtomicInteger();
    CompletableFuture<Void> vm =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 300; i++) {
                trace.recorder().timeRead(100 + i, i);
                mostBuffered.accumulateAndGet(trace.buffered(), Math::max);
              }
              trace.finish(400);
            });

    // The recorder reads the clock only when it starts to wait: the stream holds it back.
    assertTrue(waiting.await(30, TimeUnit.SECONDS));
    List<TraceSegment> taken = new ArrayList<>();
    Optional<TraceSegment> s;
    while ((s = consumer.pull().toCompletableFuture().get(30, TimeUnit.SECONDS)).isPresent()) {
      taken.add(s.get());
    }
    vm.get(30, TimeUnit.SECONDS);

    assertEquals(301, taken.size(), "300 inputs and the final segment");
    for (int i = 0; i < taken.size(); i++) {
      assertEquals(i, taken.get(i).sequence());
    }
    assertTrue(trace.waits() >= 1, "waits " + trace.waits());
    assertEquals(1000 * trace.waits(), trace.waitedNanos(), "one clock step per wait");
    assertTrue(mostBuffered.get() <= 2, "buffered " + mostBuffered.get());
  }

  @Test
  void aCancelledStreamReleasesTheWaitingVmThreadSayingTheSegmentWasNotDelivered()
      throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    RecorderSource trace = RecorderSource.start(100, ONE_EVENT, 1, clock(waiting));
    SinkQueueWithCancel<TraceSegment> consumer = trace.source().runWith(Sink.queue(), system);
    CompletableFuture<Void> vm =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 1_000; i++) {
                trace.recorder().timeRead(100 + i, i);
              }
            });
    assertTrue(waiting.await(30, TimeUnit.SECONDS));

    consumer.cancel();

    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> vm.get(30, TimeUnit.SECONDS));
    IllegalStateException refused =
        assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertTrue(refused.getMessage().contains("cancelled"), refused.getMessage());
  }
}
