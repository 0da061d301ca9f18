package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench streams --quick --json} once for the class: the report's structure and the
 * invariants every run must keep. No timing is asserted, only that rates and ratios are positive.
 */
class BenchStreamsCommandTest {
  private static StreamsReport report;
  private static String printed;
  private static int exitCode;

  @BeforeAll
  static void runTheBenchOnce() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine crtr = new CommandLine(new CrtrCommand());
      exitCode = crtr.execute("bench", "streams", "--quick", "--json");
      BenchStreamsCommand streams =
          crtr.getSubcommands().get("bench").getSubcommands().get("streams").getCommand();
      report = streams.report;
    } finally {
      System.setOut(original);
    }
    printed = out.toString(StandardCharsets.UTF_8).trim();
  }

  @AfterAll
  static void forget() {
    report = null;
  }

  @Test
  void theBenchSucceedsAndPrintsOneJsonObjectWithEverySection() {
    assertEquals(0, exitCode);
    assertTrue(printed.startsWith("{") && printed.endsWith("}"), printed);
    for (String key :
        new String[] {
          "\"throughput\":[{",
          "\"compression\":[{",
          "\"pages\":[{",
          "\"ratio\":",
          "\"bytesReceived\":",
          "\"codecs\":\"none\"",
          "\"codecs\":\"lz4\"",
          "\"codecs\":\"adaptive\"",
          "\"streamRefMBps\":"
        }) {
      assertTrue(printed.contains(key), key + " missing from " + printed);
    }
  }

  @Test
  void everyTraceRunDeliversAllItsBytesThroughThePipelineTheSocketAndOneNode() {
    assertTrue(report.throughput().size() >= 2, "a synthetic and a real trace");
    assertTrue(
        report.throughput().stream()
            .anyMatch(r -> r.label().startsWith("memory.elf trace looped")));
    for (TracePipeline.Result r : report.throughput()) {
      assertTrue(r.bytesSent() >= 1 << 20, r.label() + ": " + r.bytesSent());
      assertEquals(r.bytesSent(), r.pipeline().bytes(), r.label());
      assertEquals(r.segments(), r.pipeline().segments(), r.label());
      assertTrue(r.pipeline().finished(), r.label());
      assertEquals(r.bytesSent(), r.socket().bytesReceived(), r.label());
      assertEquals(r.bytesSent(), r.oneNode().bytes(), r.label());
      assertEquals(r.segments(), r.oneNode().segments(), r.label());
      assertTrue(r.pipelineMegabytesPerSecond() > 0 && r.socketMegabytesPerSecond() > 0);
      assertTrue(r.oneNodeMegabytesPerSecond() > 0, r.label());
      assertTrue(r.transportMegabytesPerSecond() > 0 && r.transportFrameBytes() > 0, r.label());
      assertTrue(r.ratio() > 0, r.label());
    }
  }

  @Test
  void everyCorpusIsMeasuredWithLz4AndBothZstdLevelsWithPositiveRatiosAndSpeeds() {
    Set<String> corpora =
        report.compression().stream().map(CodecBench.Result::corpus).collect(Collectors.toSet());
    assertTrue(corpora.contains("memory.elf pages"), corpora.toString());
    assertTrue(corpora.contains("memory.elf trace"), corpora.toString());
    for (String corpus : corpora) {
      Set<String> codecs =
          report.compression().stream()
              .filter(r -> r.corpus().equals(corpus))
              .map(CodecBench.Result::codec)
              .collect(Collectors.toSet());
      assertEquals(Set.of("lz4 (in use)", "zstd -1", "zstd -3"), codecs, corpus);
    }
    for (CodecBench.Result r : report.compression()) {
      assertTrue(r.rawBytes() > 0 && r.compressedBytes() > 0, r.toString());
      assertTrue(r.ratio() > 0, r.toString());
      assertTrue(r.compressMegabytesPerSecond() > 0, r.toString());
      assertTrue(r.decompressMegabytesPerSecond() > 0, r.toString());
    }
  }

  @Test
  void lz4NeverSendsMoreThanTheRawBytes() {
    report.compression().stream()
        .filter(r -> r.codec().startsWith("lz4"))
        .forEach(r -> assertTrue(r.compressedBytes() <= r.rawBytes(), r.toString()));
  }

  @Test
  void badOptionsAreRefusedNamingTheOptionBeforeAnythingRuns() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          RunCommand.EXIT_BAD_INPUT,
          new CommandLine(new CrtrCommand()).execute("bench", "streams", "--mib", "0"));
      assertEquals(
          RunCommand.EXIT_BAD_INPUT,
          new CommandLine(new CrtrCommand())
              .execute("bench", "streams", "--segments-per-frame", "-1"));
    } finally {
      System.setErr(original);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--mib must be between 1 and 4096, not 0"), said);
    assertTrue(said.contains("--segments-per-frame must be positive, not -1"), said);
  }

  @Test
  void zeroPagesAreCountedApartFromThePagesCompressed() {
    assertFalse(report.pages().isEmpty());
    for (StreamsReport.PageCount p : report.pages()) {
      assertTrue(p.nonZeroPages() > 0, p.toString());
      assertTrue(p.zeroPages() > 0, p.toString());
      long compressedPages =
          report.compression().stream()
                  .filter(
                      r -> r.corpus().equals(p.guest() + " pages") && r.codec().startsWith("lz4"))
                  .findFirst()
                  .orElseThrow()
                  .rawBytes()
              / 4096;
      assertEquals(p.nonZeroPages(), compressedPages, p.guest());
    }
  }
}
