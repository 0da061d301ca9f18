package org.crtrmotion.ops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crtrmotion.streams.BandwidthCap;
import org.crtrmotion.streams.CodecPolicy;
import org.crtrmotion.streams.Payloads;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.trace.TraceSegment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crtr bench streams}: the trace pipeline between two nodes on loopback against a plain
 * socket copy of the same bytes, and the compression of real traces and memory pages by the codec
 * in use and by zstd; every ratio from this run.
 */
@Command(
    name = "streams",
    description = {
      "Trace pipeline throughput (encoder, a lane between two nodes on 127.0.0.1: the bulk lane's",
      "TCP connection or a StreamRef over Artery TCP, decoder, trace reader) against a plain",
      "socket copy of the same bytes; LZ4 (in",
      "use) and zstd -1/-3 ratio and speed on real traces and memory pages. Warm-up, then a",
      "measured pass. Linux boot trace and pages too when CRTR_LINUX_IMAGE is set."
    },
    mixinStandardHelpOptions = true)
final class BenchStreamsCommand implements Callable<Integer> {
  private static final int PAGES_PER_CHUNK = 64;
  // A real trace worth looping into a throughput run: idle.elf's few events are not.
  private static final long MIN_REAL_TRACE_BYTES = 1 << 10;
  private static final String LINUX_APPEND = "console=ttyS0 crtr.workload=idle crtr.ticks=1";

  @Option(
      names = "--mib",
      paramLabel = "N",
      description = "MiB of trace per throughput run, and per codec measurement (default 64)")
  Integer mib;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Option(names = "--quick", description = "small guests and 1 MiB, no Linux: for tests")
  boolean quick;

  @Option(
      names = "--segments-per-frame",
      paramLabel = "N",
      description = "trace segments batched into one frame (default ${DEFAULT-VALUE})")
  int segmentsPerFrame = 4;

  @Option(
      names = "--stream-ref-buffer",
      paramLabel = "N",
      description = "elements a StreamRef receiver buffers (default ${DEFAULT-VALUE})")
  int streamRefBuffer = 32;

  @Option(
      names = "--max-frame-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Artery's maximum-frame-size (default ${DEFAULT-VALUE} bytes)")
  long maximumFrameBytes = 1 << 20;

  @Option(
      names = "--async-boundaries",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "run encoding apart from sending, and expanding apart from reading (default: on)")
  boolean asyncBoundaries;

  @Option(
      names = "--codec",
      paramLabel = "POLICY",
      split = ",",
      description =
          "codec policies of the trace pipeline, each measured: none, lz4, adaptive (default:"
              + " all three; adaptive on an uncapped loopback link sends raw)")
  List<String> codecs = List.of("none", "lz4", "adaptive");

  @Option(
      names = "--compressors",
      paramLabel = "N",
      description =
          "frames compressed at once ahead of numbering, for the lz4 and adaptive runs"
              + " (default ${DEFAULT-VALUE})")
  int compressors = 1;

  @Option(
      names = "--lane",
      paramLabel = "LANE",
      description =
          "what carries the pipeline's frames between the nodes: tcp (log-streaming's bulk lane,"
              + " a TCP connection offered over remoting) or streamref (a StreamRef over Artery);"
              + " default ${DEFAULT-VALUE}")
  String lane = "tcp";

  @Option(
      names = "--make-events",
      description =
          "make an InputEvent object of every event the receiver reads (TraceReader.accept, as a"
              + " replay feed does) instead of only checking it (TraceReader.admit)")
  boolean makeEvents;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "measured runs of each transfer after the warm-up, best kept (default 3)")
  Integer repeat;

  /** The last report, for tests that check its numbers rather than its text. */
  StreamsReport report;

  @Override
  public Integer call() throws Exception {
    String bad = badInput();
    if (bad != null) {
      System.err.println("crtr bench streams: " + bad);
      return RunCommand.EXIT_BAD_INPUT;
    }
    long target = (mib != null ? mib : quick ? 1 : 64) * (1L << 20);
    List<BenchCorpus.Recording> recordings = record();
    List<BenchCorpus.Trace> traces = new ArrayList<>();
    traces.add(BenchCorpus.syntheticPackets(target));
    for (BenchCorpus.Recording r : recordings) {
      if (r.traceBytes() >= MIN_REAL_TRACE_BYTES) {
        traces.add(BenchCorpus.looped(r, target));
      }
    }

    LoopbackNodes.Tuning tuning =
        new LoopbackNodes.Tuning(streamRefBuffer, Math.toIntExact(maximumFrameBytes));
    List<TracePipeline.Result> throughput = new ArrayList<>();
    try (LoopbackNodes nodes = new LoopbackNodes(tuning)) {
      int runs = repeat != null ? repeat : quick ? 1 : 3;
      for (BenchCorpus.Trace trace : traces) {
        List<TracePipeline.Result> runsOfTrace = new ArrayList<>();
        for (String codec : codecs) {
          TracePipeline.Layout layout =
              new TracePipeline.Layout(
                  segmentsPerFrame,
                  asyncBoundaries,
                  policy(codec),
                  codec.equals("none") ? 1 : compressors,
                  lane(),
                  makeEvents);
          runsOfTrace.add(checked(TracePipeline.measure(nodes, trace, layout, runs)));
        }
        throughput.addAll(TracePipeline.withBestSocket(runsOfTrace));
      }
    }

    List<CodecBench.Result> compression = new ArrayList<>();
    List<StreamsReport.PageCount> pages = new ArrayList<>();
    for (BenchCorpus.Recording r : recordings) {
      compressAll(compression, r.guest() + " trace", traceChunks(r.segments()), target);
      compressAll(compression, r.guest() + " pages", pageChunks(r.pages()), target);
      pages.add(
          new StreamsReport.PageCount(
              r.guest(), r.pages().nonZero().size(), r.pages().zeroPages()));
    }
    BenchCorpus.Trace synthetic = traces.get(0);
    compressAll(compression, synthetic.label(), traceChunks(synthetic.segments()), target);

    report =
        new StreamsReport(
            tuning, lane(), makeEvents, segmentsPerFrame, throughput, compression, pages);
    if (json) {
      System.out.println(report.json());
    } else {
      report.printTable(System.out);
    }
    return 0;
  }

  /** What is wrong with the options, or null. */
  private String badInput() {
    if (mib != null && (mib <= 0 || mib > 4096)) {
      return "--mib must be between 1 and 4096, not " + mib;
    }
    if (segmentsPerFrame <= 0) {
      return "--segments-per-frame must be positive, not " + segmentsPerFrame;
    }
    if (streamRefBuffer <= 0) {
      return "--stream-ref-buffer must be positive, not " + streamRefBuffer;
    }
    if (maximumFrameBytes < 32 << 10 || maximumFrameBytes > 64 << 20) {
      return "--max-frame-size must be between 32K and 64M, not " + maximumFrameBytes + " bytes";
    }
    for (String codec : codecs) {
      if (!CODEC_POLICIES.contains(codec)) {
        return "--codec takes none, lz4 or adaptive, not '" + codec + "'";
      }
    }
    if (compressors <= 0 || compressors > 64) {
      return "--compressors must be between 1 and 64, not " + compressors;
    }
    if (!lane.equals("tcp") && !lane.equals("streamref")) {
      return "--lane takes tcp or streamref, not '" + lane + "'";
    }
    if (repeat != null && repeat <= 0) {
      return "--repeat must be positive, not " + repeat;
    }
    return null;
  }

  private LoopbackNodes.Lane lane() {
    return lane.equals("tcp") ? LoopbackNodes.Lane.TCP : LoopbackNodes.Lane.STREAM_REF;
  }

  private static final List<String> CODEC_POLICIES = List.of("none", "lz4", "adaptive");

  /**
   * The policy a name stands for. The bench's link is loopback with no cap, so adaptive finds it
   * faster than the compressor and sends raw, as a migration on an uncapped fast link would.
   */
  private static CodecPolicy policy(String name) {
    return switch (name) {
      case "none" -> CodecPolicy.none();
      case "lz4" -> CodecPolicy.lz4();
      default -> CodecPolicy.adaptive(BandwidthCap.unlimited());
    };
  }

  /** The real guests, recorded in host time. */
  private List<BenchCorpus.Recording> record() throws Exception {
    List<BenchCorpus.Recording> recordings = new ArrayList<>();
    recordings.add(
        BenchCorpus.bareMetal(
            "idle.elf", quick ? "period_us=20000 ticks=5" : "period_us=20000 ticks=25"));
    recordings.add(
        BenchCorpus.bareMetal(
            "memory.elf",
            quick
                ? "wss=1M rate=64 period_us=1 ticks=200 report=100"
                : "wss=8M rate=64 period_us=1 ticks=2000 report=500"));
    String kernel = System.getenv(LinuxKernel.IMAGE_VARIABLE);
    if (!quick && kernel != null && !kernel.isBlank()) {
      recordings.add(BenchCorpus.linux(LinuxKernel.locate(Path.of(kernel)), LINUX_APPEND));
    }
    return recordings;
  }

  private static TracePipeline.Result checked(TracePipeline.Result r) {
    if (r.pipeline().bytes() != r.bytesSent()
        || r.pipeline().segments() != r.segments()
        || !r.pipeline().finished()
        || r.socket().bytesReceived() != r.bytesSent()
        || r.oneNode().bytes() != r.bytesSent()) {
      throw new IllegalStateException(
          r.label()
              + ": sent "
              + r.bytesSent()
              + " bytes in "
              + r.segments()
              + " segments; the pipeline delivered "
              + r.pipeline()
              + ", the socket "
              + r.socket().bytesReceived()
              + " bytes, one node "
              + r.oneNode());
    }
    return r;
  }

  private static void compressAll(
      List<CodecBench.Result> into, String corpus, List<byte[]> chunks, long minimumBytes) {
    if (chunks.isEmpty()) {
      return;
    }
    for (CodecBench.Codec codec : CodecBench.ALL) {
      into.add(CodecBench.measure(corpus, chunks, codec, minimumBytes));
    }
  }

  /** The payloads the encoder compresses: a frame's segments each. */
  private List<byte[]> traceChunks(List<TraceSegment> segments) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < segments.size(); i += segmentsPerFrame) {
      List<TraceSegment> frame =
          segments.subList(i, Math.min(segments.size(), i + segmentsPerFrame));
      chunks.add(Payloads.traceSegments(frame).bytes());
    }
    return chunks;
  }

  private static List<byte[]> pageChunks(BenchCorpus.Pages pages) {
    List<byte[]> chunks = new ArrayList<>();
    List<byte[]> all = pages.nonZero();
    for (int i = 0; i < all.size(); i += PAGES_PER_CHUNK) {
      List<byte[]> group = all.subList(i, Math.min(all.size(), i + PAGES_PER_CHUNK));
      byte[] chunk = new byte[group.size() * GuestMemory.PAGE_SIZE];
      for (int j = 0; j < group.size(); j++) {
        System.arraycopy(group.get(j), 0, chunk, j * GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE);
      }
      chunks.add(chunk);
    }
    return chunks;
  }
}
