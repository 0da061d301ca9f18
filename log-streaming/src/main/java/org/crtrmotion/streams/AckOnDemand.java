package org.crtrmotion.streams;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Frames pass unchanged; a frame counts as taken in by the consumer downstream when the consumer
 * asks for the next one (or stops after the END frame), and only then may it be acknowledged.
 * Acknowledgements are cumulative, so they are coalesced: one after {@link #EVERY_FRAMES} frames or
 * {@link #EVERY_BYTES} bytes taken in, else {@link #LINGER} after the last frame taken in, and
 * always after END. A consumer that stops for any other reason is reported with its cause, so that
 * the sender is told instead of waiting out its deadline.
 */
final class AckOnDemand extends GraphStage<FlowShape<ByteString, ByteString>> {
  static final int EVERY_FRAMES = 16;
  static final long EVERY_BYTES = 1 << 20;

  /**
   * Longest delay of an acknowledgement; it bounds what a sender waits for room when the frames it
   * waits on are taken in but fewer than a batch.
   */
  static final Duration LINGER = Duration.ofMillis(20);

  private static final String TIMER = "ack";

  private final LongConsumer acknowledge;
  private final Consumer<Throwable> abandoned;
  private final int everyFrames;
  private final Duration linger;
  private final Inlet<ByteString> in = Inlet.create("AckOnDemand.in");
  private final Outlet<ByteString> out = Outlet.create("AckOnDemand.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  /**
   * @param acknowledge called with the next expected sequence number once the frames before it are
   *     taken in
   * @param abandoned called with the cause when the consumer stops before the END frame
   */
  AckOnDemand(LongConsumer acknowledge, Consumer<Throwable> abandoned) {
    this(acknowledge, abandoned, EVERY_FRAMES, LINGER);
  }

  /** With the batch size and linger given, so that a test can leave the timer out. */
  AckOnDemand(
      LongConsumer acknowledge, Consumer<Throwable> abandoned, int everyFrames, Duration linger) {
    this.acknowledge = acknowledge;
    this.abandoned = abandoned;
    this.everyFrames = everyFrames;
    this.linger = linger;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private long pushed = -1; // the frame handed downstream and not yet taken in
      private int pushedBytes;
      private boolean endPushed;
      private long takenIn = -1; // one past the last frame taken in, or -1
      private long acknowledged = -1; // the last sequence number sent as acknowledged
      private boolean upstreamDone;
      private int framesSinceAck;
      private long bytesSinceAck;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ByteString frame = grab(in);
                FrameSequence header = FrameSequence.peek(frame);
                pushed = header.sequence();
                pushedBytes = frame.size();
                endPushed = header.isEnd();
                push(out, frame);
              }

              @Override
              public void onUpstreamFinish() {
                // The last frame pushed is taken in only when downstream asks again or stops.
                upstreamDone = true;
                if (pushed < 0) {
                  flush();
                  completeStage();
                }
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                takePushed();
                if (upstreamDone) {
                  flush();
                  completeStage();
                  return;
                }
                if (framesSinceAck >= everyFrames || bytesSinceAck >= EVERY_BYTES) {
                  flush();
                } else if (framesSinceAck > 0 && !isTimerActive(TIMER)) {
                  scheduleOnce(TIMER, linger);
                }
                pull(in);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                boolean failed =
                    !(cause instanceof SubscriptionWithCancelException.NonFailureCancellation);
                if (endPushed && !failed) {
                  takePushed();
                  flush();
                } else {
                  flush();
                  abandoned.accept(cause);
                }
                cancelStage(cause);
              }
            });
      }

      @Override
      public void onTimer(Object timerKey) {
        flush();
      }

      private void takePushed() {
        if (pushed >= 0) {
          takenIn = pushed + 1;
          framesSinceAck++;
          bytesSinceAck += pushedBytes;
          pushed = -1;
        }
      }

      private void flush() {
        cancelTimer(TIMER);
        if (takenIn > acknowledged) {
          acknowledged = takenIn;
          acknowledge.accept(takenIn);
        }
        framesSinceAck = 0;
        bytesSinceAck = 0;
      }
    };
  }
}
