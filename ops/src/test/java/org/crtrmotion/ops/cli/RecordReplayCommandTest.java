package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecordReplayCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private PrintStream originalOut;
  @TempDir Path dir;

  @BeforeEach
  void capture() {
    originalErr = System.err;
    originalOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    System.setOut(originalOut);
  }

  private int crtr(String... args) {
    return new CommandLine(new CrtrCommand()).execute(args);
  }

  private Path recordIdle(String... more) {
    Path rec = dir.resolve("rec");
    String[] args = {
      "record",
      "idle.elf",
      "--time",
      "host",
      "--append",
      "period_us=2000 ticks=6",
      "--checkpoint-at",
      "4000",
      "--out",
      rec.toString()
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    assertEquals(0, crtr(all), err.toString());
    return rec;
  }

  @Test
  void aHostTimeRecordingReplaysToTheRecordedDigest() {
    Path rec = recordIdle();
    assertEquals(0, crtr("replay", rec.toString()), err.toString());
    assertTrue(out.toString().contains("equals the recording"), out.toString());
  }

  @Test
  void consoleInputFromAFileIsRecordedAndReplayed() throws Exception {
    Path typed = dir.resolve("typed");
    Files.writeString(typed, "hello, guest");
    Path rec = dir.resolve("rec");
    assertEquals(
        0,
        crtr(
            "record",
            "idle.elf",
            "--append",
            "period_us=2000 ticks=6",
            "--input",
            typed.toString(),
            "--out",
            rec.toString()),
        err.toString());
    assertEquals(0, crtr("trace-stats", rec.toString()));
    assertTrue(out.toString().contains("CONSOLE_INPUT"), out.toString());
    assertEquals(0, crtr("replay", rec.toString()), err.toString());
    assertTrue(out.toString().contains("equals the recording"), out.toString());
  }

  @Test
  void traceStatsCountsTheRecordedInputs() {
    Path rec = recordIdle();
    assertEquals(0, crtr("trace-stats", rec.toString()), err.toString());
    assertTrue(out.toString().contains("TIME_READ"), out.toString());
    assertTrue(out.toString().contains("bytes per million instructions"), out.toString());
  }

  @Test
  void recordWithJsonPutsTheSummaryInOneObjectOnStderr() {
    Path rec = recordIdle("--json");
    JsonNode o = JsonLines.theObject(err.toString());
    JsonLines.assertHas(
        o,
        "directory",
        "image",
        "instructions",
        "seconds",
        "mips",
        "outcome",
        "detail",
        "endInstructions",
        "digest",
        "outputDigest");
    assertEquals(rec.toString(), o.get("directory").asText());
    assertEquals(4000, o.get("checkpoint").get("instructions").asLong());
    assertTrue(o.get("checkpoint").get("bytes").asLong() > 0, o.toString());
    assertTrue(o.get("checkpoint").get("pages").asLong() > 0, o.toString());
    JsonNode trace = o.get("trace");
    assertTrue(
        trace.get("events").asLong() > 0 && trace.get("segments").asLong() > 0, o.toString());
    assertEquals(rec.resolve(Recording.TRACE).toFile().length(), trace.get("bytes").asLong());
  }

  @Test
  void replayWithJsonSaysWhatMatchedInOneObjectOnStderr() {
    Path rec = recordIdle();
    err.reset();
    assertEquals(0, crtr("replay", rec.toString(), "--json"), err.toString());
    JsonNode o = JsonLines.theObject(err.toString());
    JsonLines.assertHas(
        o, "instructions", "seconds", "mips", "outcome", "detail", "digest", "live");
    assertTrue(o.get("matches").asBoolean(), o.toString());
    assertTrue(o.get("digestMatches").asBoolean(), o.toString());
    assertTrue(o.get("instructionsMatch").asBoolean(), o.toString());
    assertTrue(o.get("outputMatches").asBoolean(), o.toString());
    assertEquals(o.get("recorded").get("digest").asText(), o.get("digest").asText());
    assertEquals(0, o.get("exitStatus").asInt());
    assertTrue(!out.toString().contains("equals the recording"), "the digest line is in the JSON");
  }

  @Test
  void replayWithJsonThenLiveReportsTheLiveRun() {
    Path rec = recordIdle("--for", "2000");
    err.reset();
    assertEquals(0, crtr("replay", rec.toString(), "--then-live", "--json"), err.toString());
    JsonNode o = JsonLines.theObject(err.toString());
    assertEquals("INSTRUCTION_LIMIT", o.get("outcome").asText());
    assertEquals("POWER_OFF", o.get("live").get("outcome").asText(), o.toString());
  }

  @Test
  void traceStatsWithJsonPrintsOneObjectOnStdout() {
    Path rec = recordIdle();
    out.reset();
    assertEquals(0, crtr("trace-stats", rec.toString(), "--json"), err.toString());
    JsonNode o = JsonLines.theObject(out.toString());
    JsonLines.assertHas(
        o,
        "trace",
        "timeMode",
        "firstInstruction",
        "lastInstruction",
        "instructions",
        "events",
        "segments",
        "eventBytes",
        "wireBytes",
        "bytesPerMillionInstructions",
        "guestSeconds",
        "bytesPerGuestSecond");
    assertEquals("host", o.get("timeMode").asText());
    assertEquals(4000, o.get("firstInstruction").asLong());
    long byKind = 0;
    for (JsonNode k : o.get("eventsByKind")) {
      JsonLines.assertHas(k, "kind", "events", "bytes", "bytesPerEvent");
      byKind += k.get("events").asLong();
    }
    assertEquals(o.get("events").asLong(), byKind);
    assertTrue(o.get("bytesPerGuestSecond").asDouble() > 0, o.toString());
  }

  @Test
  void withJsonAMissingRecordingIsStillOnePlainLine() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("trace-stats", dir.toString(), "--json"));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("crtr trace-stats: "), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void aCorruptTraceIsRefusedNamingTheProblem() throws Exception {
    Path rec = recordIdle();
    Path trace = rec.resolve(Recording.TRACE);
    byte[] bytes = Files.readAllBytes(trace);
    bytes[bytes.length - 3] ^= 0x5a;
    Files.write(trace, bytes);
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("replay", rec.toString()));
    assertTrue(err.toString().contains("corrupt"), err.toString());
  }

  @Test
  void aTruncatedCheckpointIsRefusedNamingTheProblem() throws Exception {
    Path rec = recordIdle();
    Path checkpoint = rec.resolve(Recording.CHECKPOINT);
    byte[] bytes = Files.readAllBytes(checkpoint);
    Files.write(checkpoint, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("replay", rec.toString()));
    assertTrue(
        err.toString().contains("truncated") || err.toString().contains("checkpoint"),
        err.toString());
  }

  @Test
  void aDirectoryThatIsNotARecordingIsRefused() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("replay", dir.toString()));
    assertTrue(err.toString().contains("not a recording"), err.toString());
  }
}
