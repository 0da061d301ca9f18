package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  private Path recordIdle() {
    Path rec = dir.resolve("rec");
    assertEquals(
        0,
        crtr(
            "record",
            "idle.elf",
            "--time",
            "host",
            "--append",
            "period_us=2000 ticks=6",
            "--checkpoint-at",
            "4000",
            "--out",
            rec.toString()),
        err.toString());
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
