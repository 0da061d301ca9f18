package org.crtrmotion.streams;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One connection's view of an {@link OutboundLog}: its frames from a given sequence number on, in
 * order, each read only when downstream asks for it, so the log (not this stage) holds what the
 * receiver has not taken. Completes after the END frame; waits without polling, on the log's
 * promise, for a frame not yet offered; fails if the log fails or a spill file cannot be read.
 */
final class LogSource extends GraphStage<SourceShape<ByteString>> {
  private final OutboundLog log;
  private final long firstSequence;
  private final Outlet<ByteString> out = Outlet.create("OutboundLog.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);

  LogSource(OutboundLog log, long firstSequence) {
    this.log = log;
    this.firstSequence = firstSequence;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private long cursor = firstSequence;
      private boolean waiting;
      private final AsyncCallback<Throwable> offered =
          createAsyncCallback(
              failure -> {
                waiting = false;
                if (failure != null) {
                  failStage(failure);
                } else if (isAvailable(out)) {
                  emitNext();
                }
              });

      {
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                emitNext();
              }
            });
      }

      private void emitNext() {
        ByteString frame = log.read(cursor);
        if (frame == null) {
          if (!waiting) {
            waiting = true;
            log.whenOffered(cursor).whenComplete((ignored, failure) -> offered.invoke(failure));
          }
          return;
        }
        log.served(cursor);
        boolean end = cursor == log.endSequence();
        cursor++;
        push(out, frame);
        if (end) {
          completeStage();
        }
      }
    };
  }
}
