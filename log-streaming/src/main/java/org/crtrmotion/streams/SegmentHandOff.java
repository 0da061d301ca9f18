package org.crtrmotion.streams;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * The bounded hand-off between the thread that writes a trace (the VM thread, through a {@code
 * TraceWriter}) and the stream that carries its segments. The writer's side never drops: when the
 * stream backpressures and {@code capacity} segments wait, the writer waits for room, and each such
 * wait is counted with its duration — that wait is what slows the VM down. The stream side is a
 * source that completes after the final segment.
 */
final class SegmentHandOff implements Consumer<TraceSegment> {
  private final int capacity;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<TraceSegment> queue;
  private final AtomicBoolean materialised = new AtomicBoolean();
  private final AtomicLong segments = new AtomicLong();
  private final AtomicLong waits = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();
  private volatile long coveredIcount;
  private volatile AsyncCallback<NotUsed> wakeStage; // set once the source runs
  private String closedBecause; // why the stream can take no more segments; under lock

  SegmentHandOff(long startIcount, int capacity, LongSupplier nanoClock) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "the hand-off must hold at least 1 segment, not " + capacity);
    }
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.queue = new ArrayDeque<>(capacity);
    this.coveredIcount = startIcount;
  }

  /**
   * Hands a segment to the stream, waiting while {@code capacity} segments are already waiting.
   * Throws {@link IllegalStateException} when the stream ended or the waiting thread is
   * interrupted: the segment was then not delivered and the recording cannot go on.
   */
  @Override
  public void accept(TraceSegment segment) {
    lock.lock();
    try {
      if (closedBecause == null && queue.size() >= capacity) {
        waitForRoom(segment);
      }
      if (closedBecause != null) {
        throw new IllegalStateException(
            "segment "
                + segment.sequence()
                + " cannot be handed to the trace stream: "
                + closedBecause);
      }
      queue.add(segment);
      segments.incrementAndGet();
      coveredIcount = segment.lastIcount();
    } finally {
      lock.unlock();
    }
    AsyncCallback<NotUsed> wake = wakeStage;
    if (wake != null) {
      wake.invoke(NotUsed.getInstance());
    }
  }

  private void waitForRoom(TraceSegment segment) {
    waits.incrementAndGet();
    long start = nanoClock.getAsLong();
    try {
      while (closedBecause == null && queue.size() >= capacity) {
        notFull.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while segment "
              + segment.sequence()
              + " waited for room in the trace stream; it was not delivered",
          e);
    } finally {
      waitedNanos.addAndGet(nanoClock.getAsLong() - start);
    }
  }

  private TraceSegment poll() {
    lock.lock();
    try {
      TraceSegment s = queue.poll();
      if (s != null) {
        notFull.signalAll();
      }
      return s;
    } finally {
      lock.unlock();
    }
  }

  private void close(String reason) {
    lock.lock();
    try {
      if (closedBecause == null) {
        closedBecause = reason;
      }
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The segments as a stream; it can run once. */
  Source<TraceSegment, NotUsed> source() {
    return Source.fromGraph(new Stage());
  }

  /** Segments handed over so far. */
  long segments() {
    return segments.get();
  }

  /** Segments handed over and not yet taken by the stream. */
  int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many times the writer had to wait for room. */
  long waits() {
    return waits.get();
  }

  /** The writer's time spent waiting for room, by the injected clock. */
  long waitedNanos() {
    return waitedNanos.get();
  }

  /** Every event below this instruction count has been handed to the stream. */
  long coveredIcount() {
    return coveredIcount;
  }

  private final class Stage extends GraphStage<SourceShape<TraceSegment>> {
    private final Outlet<TraceSegment> out = Outlet.create("RecorderSource.out");
    private final SourceShape<TraceSegment> shape = SourceShape.of(out);

    @Override
    public SourceShape<TraceSegment> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
      if (!materialised.compareAndSet(false, true)) {
        throw new IllegalStateException(
            "a recorder's segment source runs once: its segments cannot be taken twice");
      }
      return new GraphStageLogic(shape) {
        {
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  deliver();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) throws Exception {
                  close("the stream was cancelled (" + cause + ")");
                  super.onDownstreamFinish(cause);
                }
              });
        }

        @Override
        public void preStart() {
          // Published before the first look at the queue, so a segment handed over meanwhile is
          // either seen by that look or announced through the callback.
          wakeStage = createAsyncCallback(ignored -> deliver());
          if (isAvailable(out)) {
            deliver();
          }
        }

        @Override
        public void postStop() {
          close("the stream stopped");
        }

        private void deliver() {
          if (!isAvailable(out)) {
            return;
          }
          TraceSegment s = poll();
          if (s == null) {
            return;
          }
          push(out, s);
          if (s.isFinal()) {
            completeStage();
          }
        }
      };
    }
  }
}
