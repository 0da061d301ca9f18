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
 * The stage behind {@link BandwidthCap#flow}: holds at most one element, takes a place for it in
 * the cap's shared line, asks at the cap's current rate how long it must still wait, and waits on a
 * stage timer. Holding one element means holding at most one place, so the streams of one cap take
 * turns.
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
      private ByteString held;
      private TokenBucket.Reservation place;
      private boolean upstreamDone;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                held = grab(in);
                place = cap.reserve(held.size());
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
        // A stream cancelled while it waits keeps its place: the others lose at most one frame's
        // worth of the rate, and a place taken back from the middle of the line would move theirs.
        long wait = cap.delayNanos(place);
        if (wait > 0) {
          scheduleOnce(TIMER, Duration.ofNanos(Math.min(wait, RECHECK.toNanos())));
          return;
        }
        ByteString element = held;
        held = null;
        place = null;
        push(out, element);
        if (upstreamDone) {
          completeStage();
        }
      }
    };
  }
}
