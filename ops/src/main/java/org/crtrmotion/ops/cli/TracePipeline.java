package org.crtrmotion.ops.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.CodecPolicy;
import org.crtrmotion.streams.FrameDecoder;
import org.crtrmotion.streams.TraceFrame;
import org.crtrmotion.streams.TraceStreams;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;

/**
 * One trace moved both ways {@code bench streams} compares: through the real pipeline (encoder with
 * its codec policy, a lane between two nodes — log-streaming's bulk lane or a StreamRef over Artery
 * TCP —, decoder, {@link TraceReader}) and as its serialised segments through a plain socket.
 */
final class TracePipeline {
  private static final String STREAM = "bench/trace";

  /** What the receiving end of the pipeline took in. */
  record Received(long frames, long segments, long events, long bytes, boolean finished) {}

  /** One trace's transfer both ways. */
  record Result(
      String label,
      String codecs,
      long segments,
      long bytesSent,
      Received pipeline,
      double pipelineSeconds,
      double pipelineCpuSeconds,
      SocketCopy.Copied socket,
      Received oneNode,
      double oneNodeSeconds,
      long transportFrameBytes,
      double transportSeconds,
      double bulkLaneSeconds) {
    /**
     * The same frames, encoded beforehand, through the StreamRef over Artery to a sink that only
     * counts them: what the transport alone allows, in trace bytes carried per second.
     */
    double transportMegabytesPerSecond() {
      return bytesSent / transportSeconds / 1e6;
    }

    /** The same frames through the bulk lane to a sink that only counts them. */
    double bulkLaneMegabytesPerSecond() {
      return bytesSent / bulkLaneSeconds / 1e6;
    }

    /** The same stages in one node without remoting: where the pipeline's ceiling is. */
    double oneNodeMegabytesPerSecond() {
      return bytesSent / oneNodeSeconds / 1e6;
    }

    double pipelineMegabytesPerSecond() {
      return bytesSent / pipelineSeconds / 1e6;
    }

    double socketMegabytesPerSecond() {
      return bytesSent / socket.seconds() / 1e6;
    }

    /** CPU nanoseconds this JVM spent per trace byte carried by the pipeline. */
    double pipelineCpuNanosPerByte() {
      return pipelineCpuSeconds * 1e9 / bytesSent;
    }

    /** CPU nanoseconds this JVM spent per byte copied through the socket. */
    double socketCpuNanosPerByte() {
      return socket.cpuSeconds() * 1e9 / bytesSent;
    }

    /**
     * The socket's CPU per byte over the pipeline's: what the throughput ratio would be if CPU were
     * the only limit, a figure other work on the host disturbs far less than durations.
     */
    double cpuRatio() {
      return socketCpuNanosPerByte() / pipelineCpuNanosPerByte();
    }

    double ratio() {
      return pipelineMegabytesPerSecond() / socketMegabytesPerSecond();
    }
  }

  private TracePipeline() {}

  /**
   * How the pipeline is laid out: frame size, where stages may run on their own thread, and the
   * encoder's codec policy.
   */
  record Layout(
      int segmentsPerFrame,
      boolean asyncBoundaries,
      CodecPolicy codecs,
      int compressors,
      LoopbackNodes.Lane lane,
      boolean makeEvents) {
    /** The policy's name, with the compressors when more than one. */
    String codecsLabel() {
      return compressors == 1 ? codecs.toString() : codecs + " x" + compressors;
    }
  }

  /**
   * The trace through the pipeline between the two nodes and through the socket, each {@code
   * repeat} times after one unmeasured run of both; the best time of each is kept, so that a busy
   * host disturbs the ratio less.
   */
  static Result measure(LoopbackNodes nodes, BenchCorpus.Trace trace, Layout layout, int repeat)
      throws Exception {
    List<TraceSegment> segments = trace.segments();
    List<byte[]> serialised = serialised(segments);
    acrossNodes(nodes, segments, layout); // warm-up
    SocketCopy.copy(serialised);
    withinOneNode(nodes, segments, layout);
    List<ByteString> frames = encodedFrames(nodes, segments, layout);
    long frameBytes = transportOnly(nodes, LoopbackNodes.Lane.STREAM_REF, frames);
    transportOnly(nodes, LoopbackNodes.Lane.TCP, frames);
    Received received = null;
    Received local = null;
    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    double bestLocal = Double.MAX_VALUE;
    double bestTransport = Double.MAX_VALUE;
    double bestLane = Double.MAX_VALUE;
    SocketCopy.Copied socket = null;
    for (int i = 0; i < repeat; i++) {
      long cpu = ProcessCpu.nanos();
      long start = System.nanoTime();
      received = acrossNodes(nodes, segments, layout);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      bestCpu = Math.min(bestCpu, (ProcessCpu.nanos() - cpu) / 1e9);
      SocketCopy.Copied copied = SocketCopy.copy(serialised);
      if (socket == null || copied.seconds() < socket.seconds()) {
        socket = copied;
      }
      start = System.nanoTime();
      local = withinOneNode(nodes, segments, layout);
      bestLocal = Math.min(bestLocal, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      if (transportOnly(nodes, LoopbackNodes.Lane.STREAM_REF, frames) != frameBytes) {
        throw new IllegalStateException(trace.label() + ": the StreamRef lost frame bytes");
      }
      bestTransport = Math.min(bestTransport, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      if (transportOnly(nodes, LoopbackNodes.Lane.TCP, frames) != frameBytes) {
        throw new IllegalStateException(trace.label() + ": the bulk lane lost frame bytes");
      }
      bestLane = Math.min(bestLane, (System.nanoTime() - start) / 1e9);
    }
    return new Result(
        trace.label(),
        layout.codecsLabel(),
        segments.size(),
        trace.bytes(),
        received,
        best,
        bestCpu,
        socket,
        local,
        bestLocal,
        frameBytes,
        bestTransport,
        bestLane);
  }

  /**
   * The runs of one trace under several policies, each with the fastest socket copy among them: the
   * socket copies the same bytes whatever the policy, and a short copy is the figure a busy host
   * disturbs most, so the best of all its runs is the fairest baseline for every ratio.
   */
  static List<Result> withBestSocket(List<Result> runsOfOneTrace) {
    SocketCopy.Copied best =
        runsOfOneTrace.stream()
            .map(Result::socket)
            .min(java.util.Comparator.comparingDouble(SocketCopy.Copied::seconds))
            .orElseThrow();
    return runsOfOneTrace.stream()
        .map(
            r ->
                new Result(
                    r.label(),
                    r.codecs(),
                    r.segments(),
                    r.bytesSent(),
                    r.pipeline(),
                    r.pipelineSeconds(),
                    r.pipelineCpuSeconds(),
                    best,
                    r.oneNode(),
                    r.oneNodeSeconds(),
                    r.transportFrameBytes(),
                    r.transportSeconds(),
                    r.bulkLaneSeconds()))
        .toList();
  }

  /** The frames the pipeline sends, encoded once in one node. */
  private static List<ByteString> encodedFrames(
      LoopbackNodes nodes, List<TraceSegment> segments, Layout layout) throws Exception {
    return nodes.withinOneNode(
        Source.from(segments)
            .via(
                TraceStreams.encode(
                    STREAM, layout.segmentsPerFrame(), layout.codecs(), layout.compressors())),
        Sink.seq());
  }

  /** Frames through {@code lane}, nothing done to them; returns the bytes counted. */
  private static long transportOnly(
      LoopbackNodes nodes, LoopbackNodes.Lane lane, List<ByteString> frames) throws Exception {
    return nodes.transfer(
        lane,
        Source.from(frames),
        Sink.<Long, ByteString>fold(0L, (sum, frame) -> sum + frame.size()));
  }

  private static Source<ByteString, ?> frames(List<TraceSegment> segments, Layout layout) {
    Source<ByteString, ?> frames =
        Source.from(segments)
            .via(
                TraceStreams.encode(
                    STREAM, layout.segmentsPerFrame(), layout.codecs(), layout.compressors()));
    return layout.asyncBoundaries() ? frames.async() : frames;
  }

  private static Received withinOneNode(
      LoopbackNodes nodes, List<TraceSegment> segments, Layout layout) throws Exception {
    return nodes.withinOneNode(frames(segments, layout), receive(layout));
  }

  private static Received acrossNodes(
      LoopbackNodes nodes, List<TraceSegment> segments, Layout layout) throws Exception {
    return nodes.transfer(layout.lane(), frames(segments, layout), receive(layout));
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
  private static Sink<ByteString, CompletionStage<Received>> receive(Layout layout) {
    TraceReader reader = new TraceReader(0);
    Flow<ByteString, TraceFrame, NotUsed> decode = FrameDecoder.traceFlow(STREAM);
    // An asynchronous boundary lets frames be verified and parsed on one thread while segments are
    // read on another.
    return (layout.asyncBoundaries() ? decode.async() : decode)
        .toMat(
            Sink.fold(
                new Received(0, 0, 0, 0, false),
                (sum, frame) -> {
                  long events = sum.events();
                  long bytes = sum.bytes();
                  List<TraceSegment> carried = frame.segments();
                  for (TraceSegment s : carried) {
                    events += read(reader, s, layout.makeEvents());
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

  /**
   * Checks the segment as a receiver must (checksum, sequence, range, each event's encoding) and
   * counts its events; makes an object of each event only when asked to, as a replay feed does.
   */
  private static int read(TraceReader reader, TraceSegment segment, boolean makeEvents) {
    try {
      return makeEvents ? reader.accept(segment).size() : reader.admit(segment);
    } catch (TraceFormatException e) {
      throw new IllegalStateException("segment " + segment.sequence() + ": " + e.getMessage(), e);
    }
  }
}
