package org.crtrmotion.ops.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.FrameDecoder;
import org.crtrmotion.streams.Payloads;
import org.crtrmotion.streams.TraceStreams;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * One trace moved both ways {@code bench streams} compares: through the real pipeline (encoder with
 * LZ4, StreamRef over Artery TCP between two nodes, decoder, {@link TraceReader}) and as its
 * serialised segments through a plain socket.
 */
final class TracePipeline {
  private static final String STREAM = "bench/trace";

  /** What the receiving end of the pipeline took in. */
  record Received(long frames, long segments, long events, long bytes, boolean finished) {}

  /** One trace's transfer both ways. */
  record Result(
      String label,
      long segments,
      long bytesSent,
      Received pipeline,
      double pipelineSeconds,
      SocketCopy.Copied socket) {
    double pipelineMegabytesPerSecond() {
      return bytesSent / pipelineSeconds / 1e6;
    }

    double socketMegabytesPerSecond() {
      return bytesSent / socket.seconds() / 1e6;
    }

    double ratio() {
      return pipelineMegabytesPerSecond() / socketMegabytesPerSecond();
    }
  }

  private TracePipeline() {}

  static Result measure(LoopbackNodes nodes, BenchCorpus.Trace trace, int segmentsPerFrame)
      throws Exception {
    List<TraceSegment> segments = trace.segments();
    long start = System.nanoTime();
    Received received =
        nodes.transfer(
            Source.from(segments).via(TraceStreams.encode(STREAM, segmentsPerFrame)), receive());
    double pipelineSeconds = (System.nanoTime() - start) / 1e9;
    SocketCopy.Copied socket = SocketCopy.copy(serialised(segments));
    return new Result(
        trace.label(), segments.size(), trace.bytes(), received, pipelineSeconds, socket);
  }

  /** Each segment as it is stored and as a frame carries it: length-delimited protobuf. */
  private static List<byte[]> serialised(List<TraceSegment> segments) throws IOException {
    List<byte[]> chunks = new ArrayList<>(segments.size());
    for (TraceSegment s : segments) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(s.wireBytes());
      s.toProto().writeDelimitedTo(out);
      chunks.add(out.toByteArray());
    }
    return chunks;
  }

  /**
   * Frames in; every segment through one {@link TraceReader}, counted with its bytes. Build one per
   * transfer: the reader and counts belong to that run.
   */
  private static Sink<ByteString, CompletionStage<Received>> receive() {
    TraceReader reader = new TraceReader(0);
    return FrameDecoder.flow(STREAM)
        .toMat(
            Sink.fold(
                new Received(0, 0, 0, 0, false),
                (sum, payload) -> {
                  long events = sum.events();
                  long bytes = sum.bytes();
                  List<TraceSegment> carried = Payloads.traceSegmentsOf(payload);
                  for (TraceSegment s : carried) {
                    events += accept(reader, s);
                    bytes += s.wireBytes();
                  }
                  return new Received(
                      sum.frames() + 1,
                      sum.segments() + carried.size(),
                      events,
                      bytes,
                      reader.isFinished());
                }),
            Keep.right());
  }

  private static int accept(TraceReader reader, TraceSegment segment) {
    try {
      return reader.accept(segment).size();
    } catch (TraceFormatException e) {
      throw new IllegalStateException("segment " + segment.sequence() + ": " + e.getMessage(), e);
    }
  }
}
