package org.crtrmotion.streams;

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
import org.apache.pekko.util.ByteString;

/**
 * Frames pass unchanged; a frame counts as taken in by the consumer downstream when the consumer
 * asks for the next one (or stops after the END frame), and only then is it acknowledged. A
 * consumer that stops for any other reason is reported with its cause, so that the sender is told
 * instead of waiting out its deadline.
 */
final class AckOnDemand extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final LongConsumer acknowledge;
  private final Consumer<Throwable> abandoned;
  private final Inlet<ByteString> in = Inlet.create("AckOnDemand.in");
  private final Outlet<ByteString> out = Outlet.create("AckOnDemand.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  /**
   * @param acknowledge called with the next expected sequence number once the frames before it are
   *     taken in
   * @param abandoned called with the cause when the consumer stops before the END frame
   */
  AckOnDemand(LongConsumer acknowledge, Consumer<Throwable> abandoned) {
    this.acknowledge = acknowledge;
    this.abandoned = abandoned;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private long pushed = -1; // the last frame handed downstream, not yet acknowledged
      private boolean endPushed;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ByteString frame = grab(in);
                FrameSequence header = FrameSequence.peek(frame);
                pushed = header.sequence();
                endPushed = header.isEnd();
                push(out, frame);
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                acknowledgePushed();
                pull(in);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                boolean failed =
                    !(cause instanceof SubscriptionWithCancelException.NonFailureCancellation);
                if (endPushed && !failed) {
                  acknowledgePushed();
                } else {
                  abandoned.accept(cause);
                }
                cancelStage(cause);
              }
            });
      }

      private void acknowledgePushed() {
        if (pushed >= 0) {
          acknowledge.accept(pushed + 1);
          pushed = -1;
        }
      }
    };
  }
}
