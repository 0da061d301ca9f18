package org.crtrmotion.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * The receiving end of a trace stream for a machine replaying while the trace arrives: frames are
 * verified, their segments checked by a {@link TraceReader}, and each frame's events appended to a
 * {@link GrowingFeed} with the coverage the trace has reached. A full feed holds back the stream
 * (one frame in flight), so a slow replayer paces the producer through the stream's backpressure.
 *
 * <p>The sink completes with a receipt once the END frame arrives. Any failure, or an END before
 * the trace's final segment, is passed to the feed too, so that a replayer waiting for more trace
 * is woken and told why.
 */
public final class ReplayFeedSink {
  private ReplayFeedSink() {}

  /**
   * Frames of stream {@code streamId}, for a trace starting at {@code startIcount}, into {@code
   * feed}.
   */
  public static Sink<ByteString, CompletionStage<TraceStreams.Receipt>> into(
      String streamId, long startIcount, GrowingFeed feed) {
    Flow<TraceFrame, TraceStreams.Receipt, NotUsed> append =
        Flow.<TraceFrame, TraceStreams.Receipt, NotUsed>fromMaterializer(
                (materializer, attributes) -> {
                  Appending appending = new Appending(startIcount, feed);
                  return Flow.<TraceFrame>create().mapAsync(1, appending::accept);
                })
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    return FrameDecoder.traceFlow(streamId)
        .via(append)
        .toMat(
            Sink.fold(new TraceStreams.Receipt(0, 0, 0, startIcount, false), (last, next) -> next),
            Keep.right())
        .mapMaterializedValue(done -> done.whenComplete((r, e) -> tellFeed(feed, r, e)));
  }

  private static void tellFeed(GrowingFeed feed, TraceStreams.Receipt receipt, Throwable failure) {
    if (failure != null) {
      feed.fail(failure);
    } else if (!receipt.finished()) {
      feed.fail(
          new FrameException(
              FrameException.Problem.MALFORMED,
              receipt.frames(),
              "the stream ended after "
                  + receipt.frames()
                  + " frames, at instruction "
                  + receipt.coveredIcount()
                  + ", before the trace's final segment"));
    }
  }

  /** One materialisation's reader, counts and feed. */
  private static final class Appending {
    private final TraceReader reader;
    private final GrowingFeed feed;
    private long frames;
    private long segments;
    private long events;

    Appending(long startIcount, GrowingFeed feed) {
      this.reader = new TraceReader(startIcount);
      this.feed = feed;
    }

    CompletionStage<TraceStreams.Receipt> accept(TraceFrame frame) {
      List<InputEvent> batch = new ArrayList<>();
      for (TraceSegment segment : frame.segments()) {
        try {
          batch.addAll(reader.accept(segment));
        } catch (TraceFormatException e) {
          throw new FrameException(
              FrameException.Problem.MALFORMED,
              frame.sequence(),
              "frame "
                  + frame.sequence()
                  + " carries a segment the trace refuses: "
                  + e.getMessage(),
              e);
        }
        segments++;
      }
      frames++;
      events += batch.size();
      TraceStreams.Receipt receipt =
          new TraceStreams.Receipt(
              frames, segments, events, reader.coveredIcount(), reader.isFinished());
      return append(batch, receipt.coveredIcount(), receipt.finished()).thenApply(v -> receipt);
    }

    /** Appends when the feed has room, retrying each time the replayer takes an event. */
    private CompletableFuture<Void> append(List<InputEvent> batch, long covered, boolean finished) {
      if (feed.tryAppend(batch, covered, finished)) {
        return CompletableFuture.completedFuture(null);
      }
      return feed.whenRoom().thenCompose(v -> append(batch, covered, finished));
    }
  }
}
