package org.crtrmotion.streams;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * The two ends of a trace stream: segments to frames on the source, frames through a {@link
 * TraceReader} on the target.
 */
public final class TraceStreams {
  /** What a receiver took in; every segment counted here passed a {@link TraceReader}. */
  public record Receipt(
      long frames, long segments, long events, long coveredIcount, boolean finished) {}

  private TraceStreams() {}

  /**
   * Segments in, encoded frames out, {@code segmentsPerFrame} segments to a frame. Batching is what
   * makes a StreamRef fast: it moves a bounded number of elements per second whatever their size.
   */
  public static Flow<TraceSegment, ByteString, NotUsed> encode(
      String streamId, int segmentsPerFrame) {
    return encode(streamId, segmentsPerFrame, CodecPolicy.lz4());
  }

  /** As {@link #encode(String, int)}, each frame compressed as {@code codecs} decides. */
  public static Flow<TraceSegment, ByteString, NotUsed> encode(
      String streamId, int segmentsPerFrame, CodecPolicy codecs) {
    return encode(streamId, segmentsPerFrame, codecs, 1);
  }

  /**
   * As {@link #encode(String, int, CodecPolicy)}, compressing up to {@code compressionParallelism}
   * frames at once ({@link FrameEncoder#traceFlow(String, CodecPolicy, int)}).
   */
  public static Flow<TraceSegment, ByteString, NotUsed> encode(
      String streamId, int segmentsPerFrame, CodecPolicy codecs, int compressionParallelism) {
    return Flow.<TraceSegment>create()
        .grouped(segmentsPerFrame)
        .via(FrameEncoder.traceFlow(streamId, codecs, compressionParallelism));
  }

  /**
   * Segments in, frames out as soon as the stream can take one: a frame holds the segments that
   * waited while it was backpressured, at most {@code maxSegmentsPerFrame}. For a live trace, where
   * {@link #encode}'s fixed groups would hold back the coverage of a partial group until more
   * segments come.
   */
  public static Flow<TraceSegment, ByteString, NotUsed> encodeAsAvailable(
      String streamId, int maxSegmentsPerFrame) {
    return encodeAsAvailable(streamId, maxSegmentsPerFrame, CodecPolicy.lz4());
  }

  /**
   * As {@link #encodeAsAvailable(String, int)}, each frame compressed as {@code codecs} decides.
   */
  public static Flow<TraceSegment, ByteString, NotUsed> encodeAsAvailable(
      String streamId, int maxSegmentsPerFrame, CodecPolicy codecs) {
    return Flow.<TraceSegment>create()
        .batch(
            maxSegmentsPerFrame,
            first -> {
              List<TraceSegment> group = new java.util.ArrayList<>(maxSegmentsPerFrame);
              group.add(first);
              return group;
            },
            (group, next) -> {
              group.add(next);
              return group;
            })
        .via(FrameEncoder.traceFlow(streamId, codecs));
  }

  /**
   * Frames in; verifies each frame, then each of its segments with a {@link TraceReader} of a trace
   * that starts at {@code startIcount}. Completes with a receipt after the END frame; fails with a
   * {@link FrameException} naming the frame at the first problem.
   */
  public static Sink<ByteString, CompletionStage<Receipt>> receive(
      String streamId, long startIcount) {
    Flow<TraceFrame, Receipt, NotUsed> read =
        Flow.<TraceFrame, Receipt, NotUsed>fromMaterializer(
                (materializer, attributes) -> {
                  Reading reading = new Reading(startIcount);
                  return Flow.<TraceFrame>create().map(reading::accept);
                })
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    // No asynchronous boundary here: behind a ReliableReceiver, a frame counts as taken in when
    // this sink asks for the next one, so a buffer here would acknowledge frames not yet read.
    return FrameDecoder.traceFlow(streamId)
        .via(read)
        .toMat(
            Sink.fold(new Receipt(0, 0, 0, startIcount, false), (last, next) -> next),
            Keep.right());
  }

  /** One materialisation's reader and counts. */
  private static final class Reading {
    private final TraceReader reader;
    private long frames;
    private long segments;
    private long events;

    Reading(long startIcount) {
      reader = new TraceReader(startIcount);
    }

    Receipt accept(TraceFrame frame) {
      for (TraceSegment segment : frame.segments()) {
        try {
          // Every check accept makes, without an object per event: the receipt only counts them.
          events += reader.admit(segment);
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
      return new Receipt(frames, segments, events, reader.coveredIcount(), reader.isFinished());
    }
  }
}
