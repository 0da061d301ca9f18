package org.crtrmotion.ops.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code bench streams} measured, as a table or as JSON. */
record StreamsReport(
    LoopbackNodes.Tuning tuning,
    LoopbackNodes.Lane lane,
    boolean makeEvents,
    int segmentsPerFrame,
    List<TracePipeline.Result> throughput,
    List<CodecBench.Result> compression,
    List<PageCount> pages) {

  /** A guest's memory when it was measured: pages sent as bytes and zero pages sent as runs. */
  record PageCount(String guest, long nonZeroPages, long zeroPages) {}

  private static final double MIB = 1 << 20;

  void printTable(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "trace pipeline (FrameEncoder with each codec policy -> %s on 127.0.0.1 -> FrameDecoder ->"
            + " TraceReader.%s; %d segments a frame, StreamRef buffer %d, Artery frames up to %d"
            + " KiB) against a plain socket copy of the same serialised segments, measured pass"
            + " after a warm-up:%n",
        lane.description,
        makeEvents ? "accept (an object per event)" : "admit (every check, no event objects)",
        segmentsPerFrame,
        tuning.streamRefBufferElements(),
        tuning.maximumFrameBytes() >> 10);
    out.printf(
        Locale.ROOT,
        "%-36s %-9s %9s %7s %13s %11s %7s %15s %15s %15s %11s %11s %9s%n",
        "trace",
        "codecs",
        "segments",
        "MiB",
        "pipeline MB/s",
        "socket MB/s",
        "ratio",
        "one node MB/s",
        "StreamRef MB/s",
        "TCP lane MB/s",
        "pipe CPU/B",
        "sock CPU/B",
        "CPU ratio");
    for (TracePipeline.Result r : throughput) {
      out.printf(
          Locale.ROOT,
          "%-36s %-9s %,9d %7.1f %13.1f %11.1f %7.2f %15.1f %15.1f %15.1f %11.2f %11.2f %9.2f%n",
          r.label(),
          r.codecs(),
          r.segments(),
          r.bytesSent() / MIB,
          r.pipelineMegabytesPerSecond(),
          r.socketMegabytesPerSecond(),
          r.ratio(),
          r.oneNodeMegabytesPerSecond(),
          r.transportMegabytesPerSecond(),
          r.bulkLaneMegabytesPerSecond(),
          r.pipelineCpuNanosPerByte(),
          r.socketCpuNanosPerByte(),
          r.cpuRatio());
    }
    out.println(
        "(one node: the same stages in the sending node without StreamRef and Artery, the ceiling"
            + " the encoding and reading set; socket: the fastest copy among all runs of that"
            + " trace, since it does not depend on the codec; StreamRef: the same frames, encoded"
            + " beforehand, through StreamRef and Artery to a sink that only counts them, the"
            + " ceiling Artery sets; TCP lane: the same through the bulk lane; all in trace MB/s;"
            + " CPU/B: CPU ns this JVM used per trace byte (all threads, user and system), in the"
            + " pipeline's cheapest run and in the socket copy; CPU ratio = socket's / pipeline's,"
            + " the ratio a host with the cores to spare would show;"
            + " codecs: the encoder's CodecPolicy, adaptive = LZ4 only on a capped link slower than"
            + " the compressor, so raw here; TraceStreams.encode without a policy uses lz4)");
    out.println();
    out.println(
        "compression of the chunks frames carry (trace: a frame's segments; pages: 64 non-zero"
            + " pages), MB/s of uncompressed bytes; unshrunk: chunks the codec did not make"
            + " smaller (LZ4 sends those raw and expands them for free); zstd for comparison"
            + " only:");
    out.printf(
        Locale.ROOT,
        "%-34s %-13s %10s %10s %7s %14s %16s%n",
        "corpus",
        "codec",
        "raw KiB",
        "unshrunk",
        "ratio",
        "compress MB/s",
        "decompress MB/s");
    for (CodecBench.Result r : compression) {
      out.printf(
          Locale.ROOT,
          "%-34s %-13s %,10.1f %10s %7.2f %14.0f %16.0f%n",
          r.corpus(),
          r.codec(),
          r.rawBytes() / 1024.0,
          r.unshrunkChunks() + "/" + r.chunks(),
          r.ratio(),
          r.compressMegabytesPerSecond(),
          r.decompressMegabytesPerSecond());
    }
    for (PageCount p : pages) {
      out.printf(
          Locale.ROOT,
          "pages of %s: %,d non-zero (compressed above), %,d zero (sent as index runs, no bytes)%n",
          p.guest(),
          p.nonZeroPages(),
          p.zeroPages());
    }
  }

  String json() {
    String runs =
        throughput.stream()
            .map(
                r ->
                    String.format(
                        Locale.ROOT,
                        "{\"trace\":%s,\"codecs\":%s,\"segments\":%d,\"bytesSent\":%d,"
                            + "\"bytesReceived\":%d,\"segmentsReceived\":%d,"
                            + "\"socketBytesReceived\":%d,\"pipelineMBps\":%.3f,"
                            + "\"socketMBps\":%.3f,\"ratio\":%.4f,\"oneNodeMBps\":%.3f,"
                            + "\"streamRefMBps\":%.3f,\"tcpLaneMBps\":%.3f,"
                            + "\"pipelineCpuNsPerByte\":%.3f,\"socketCpuNsPerByte\":%.3f,"
                            + "\"cpuRatio\":%.4f}",
                        quote(r.label()),
                        quote(r.codecs()),
                        r.segments(),
                        r.bytesSent(),
                        r.pipeline().bytes(),
                        r.pipeline().segments(),
                        r.socket().bytesReceived(),
                        r.pipelineMegabytesPerSecond(),
                        r.socketMegabytesPerSecond(),
                        r.ratio(),
                        r.oneNodeMegabytesPerSecond(),
                        r.transportMegabytesPerSecond(),
                        r.bulkLaneMegabytesPerSecond(),
                        r.pipelineCpuNanosPerByte(),
                        r.socketCpuNanosPerByte(),
                        r.cpuRatio()))
            .collect(Collectors.joining(","));
    String codecs =
        compression.stream()
            .map(
                r ->
                    String.format(
                        Locale.ROOT,
                        "{\"corpus\":%s,\"codec\":%s,\"rawBytes\":%d,\"compressedBytes\":%d,"
                            + "\"chunks\":%d,\"unshrunkChunks\":%d,"
                            + "\"ratio\":%.4f,\"compressMBps\":%.1f,\"decompressMBps\":%.1f}",
                        quote(r.corpus()),
                        quote(r.codec()),
                        r.rawBytes(),
                        r.compressedBytes(),
                        r.chunks(),
                        r.unshrunkChunks(),
                        r.ratio(),
                        r.compressMegabytesPerSecond(),
                        r.decompressMegabytesPerSecond()))
            .collect(Collectors.joining(","));
    String pageCounts =
        pages.stream()
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "{\"guest\":%s,\"nonZeroPages\":%d,\"zeroPages\":%d}",
                        quote(p.guest()),
                        p.nonZeroPages(),
                        p.zeroPages()))
            .collect(Collectors.joining(","));
    return String.format(
        Locale.ROOT,
        "{\"lane\":%s,\"makeEvents\":%b,\"segmentsPerFrame\":%d,\"streamRefBufferElements\":%d,\"maximumFrameBytes\":%d,"
            + "\"throughput\":[%s],\"compression\":[%s],\"pages\":[%s]}",
        quote(lane.name()),
        makeEvents,
        segmentsPerFrame,
        tuning.streamRefBufferElements(),
        tuning.maximumFrameBytes(),
        runs,
        codecs,
        pageCounts);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
