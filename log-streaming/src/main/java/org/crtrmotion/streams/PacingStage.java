package org.crtrmotion.streams;

import java.time.Duration;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The stage behind {@link BandwidthCap#flow}: holds at most one element, asks a {@link TokenBucket}
 * at the cap's current rate how long it must wait, and waits on a stage timer.
 */
final class PacingStage extends GraphStage<FlowShape<ByteString, ByteString>> {
  /**
   * Longest single wait before the decision is taken again: an element held for seconds at a low
   * cap must notice that the cap was raised or lifted without waiting out the old rate.
   */
  static final Duration RECHECK = Duration.ofMillis(50);

  private static final String TIMER = "pace";

  private final BandwidthCap cap;
  private final Inlet<ByteString> in = Inlet.create("BandwidthCap.in");
  private final Outlet<ByteString> out = Outlet.create("BandwidthCap.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  PacingStage(BandwidthCap cap) {
    this.cap = cap;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private final TokenBucket bucket = new TokenBucket(cap.burstBytes(), cap.nowNanos());
      private ByteString held;
      private boolean upstreamDone;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                held = grab(in);
                release();
              }

              @Override
              public void onUpstreamFinish() {
                upstreamDone = true;
                if (held == null) {
                  completeStage();
                }
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                // An element is only taken on demand, so a held one always has somewhere to go.
                pull(in);
              }
            });
      }

      @Override
      public void onTimer(Object timerKey) {
        release();
      }

      private void release() {
        long wait = bucket.delayNanos(cap.bytesPerSecond(), cap.nowNanos(), held.size());
        if (wait > 0) {
          scheduleOnce(TIMER, Duration.ofNanos(Math.min(wait, RECHECK.toNanos())));
          return;
        }
        ByteString element = held;
        held = null;
        push(out, element);
        if (upstreamDone) {
          completeStage();
        }
      }
    };
  }
}
