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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench cpu}, {@code bench record} and {@code bench boot} with {@code --json}, on the
 * smallest runs they take: the object parses and has its members; no figure is asserted beyond
 * being positive.
 */
class BenchJsonCommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int crtr(String... args) {
    return new CommandLine(new CrtrCommand()).execute(args);
  }

  private static void assertFigures(JsonNode run) {
    JsonLines.assertHas(run, "seconds", "mips");
    assertTrue(run.get("seconds").asDouble() > 0 && run.get("mips").asDouble() > 0, run.toString());
  }

  @Test
  void benchCpuWithoutQemuReportsCrtrsRunsAndSaysWhyQemuIsMissing() {
    assertEquals(
        0,
        crtr(
            "bench",
            "cpu",
            "--json",
            "--append",
            "rounds=1",
            "--warmup",
            "0",
            "--qemu",
            "/nonexistent/qemu"),
        err.toString());
    JsonNode o = JsonLines.theObject(out.toString());
    JsonLines.assertHas(o, "image", "bootargs", "instructions", "warmupRuns", "crtr", "qemu");
    assertTrue(o.get("instructions").asLong() > 0, o.toString());
    assertFigures(o.get("crtr").get("firstRun"));
    assertFigures(o.get("crtr").get("warm"));
    assertTrue(o.get("qemu").isNull() && o.get("ratios").isNull(), o.toString());
    assertTrue(o.get("qemuUnavailable").asText().contains("/nonexistent/qemu"), o.toString());
  }

  @Test
  void benchCpuAgainstQemuReportsBothAndTheRatios() {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/qemu-system-riscv64")),
        "needs Debian's qemu-system-misc");
    assertEquals(
        0,
        crtr(
            "bench",
            "cpu",
            "--json",
            "--append",
            "rounds=1",
            "--warmup",
            "0",
            "--qemu",
            "/usr/bin/qemu-system-riscv64"),
        err.toString());
    JsonNode o = JsonLines.theObject(out.toString());
    assertFigures(o.get("qemu"));
    JsonLines.assertHas(o.get("qemu"), "startupSeconds");
    assertTrue(o.get("qemuUnavailable").isNull(), o.toString());
    assertTrue(o.get("ratios").get("warm").asDouble() > 0, o.toString());
    assertTrue(o.get("ratios").get("firstRun").asDouble() > 0, o.toString());
  }

  @Test
  void benchRecordQuickReportsEveryGuestAndTheCheckpoint() {
    assertEquals(0, crtr("bench", "record", "--quick", "--json"), err.toString());
    JsonNode o = JsonLines.theObject(out.toString());
    JsonLines.assertHas(o, "quick", "repeat", "timeMode", "guests", "checkpoint");
    assertEquals(3, o.get("guests").size(), o.toString());
    for (JsonNode g : o.get("guests")) {
      JsonLines.assertHas(
          g,
          "image",
          "bootargs",
          "instructions",
          "liveSeconds",
          "recordSeconds",
          "replaySeconds",
          "recordingSlowdownPercent",
          "replaySpeedup",
          "traceBytes",
          "guestSeconds",
          "traceBytesPerGuestSecond");
      assertTrue(g.get("replaySpeedup").asDouble() > 0, g.toString());
    }
    JsonNode checkpoint = o.get("checkpoint");
    JsonLines.assertHas(checkpoint, "guestMemoryBytes", "pauseMicros", "runs", "bytes", "pages");
    assertTrue(checkpoint.get("pages").asLong() > 0, checkpoint.toString());
  }

  @Test
  void benchBootReportHasBothMachinesAndTheRatios() {
    BenchBootCommand boot = new BenchBootCommand();
    BenchBootCommand.Boot crtr = new BenchBootCommand.Boot(2.0, 123_456, 2.5);
    BenchBootCommand.Boot qemu = new BenchBootCommand.Boot(0.5, -1, 0.8);
    JsonNode o =
        JsonLines.theObject(
            JsonOption.line(
                boot.report(Path.of("Image"), Path.of("fw.bin"), crtr, crtr, qemu, null)));
    JsonLines.assertHas(o, "kernel", "firmware", "bootargs", "crtr", "qemu", "ratios");
    assertEquals(123_456, o.get("crtr").get("firstBoot").get("instructionsToInit").asLong());
    assertTrue(o.get("qemu").get("instructionsToInit").isNull(), o.toString());
    assertEquals(4.0, o.get("ratios").get("warm").asDouble());
    assertTrue(o.get("qemuUnavailable").isNull(), o.toString());
  }

  @Test
  void benchBootOfTheLinuxGuestReportsBothBootsToInit() {
    String image = System.getenv("CRTR_LINUX_IMAGE");
    Assumptions.assumeTrue(
        image != null
            && Files.isRegularFile(Path.of(image))
            && Files.isRegularFile(Firmware.DEFAULT_LOCATIONS.get(0)),
        "needs CRTR_LINUX_IMAGE and Debian's opensbi (.ci/run provides both)");
    assertEquals(0, crtr("bench", "boot", "--json", "--kernel", image), err.toString());
    JsonNode o = JsonLines.theObject(out.toString());
    assertEquals(image, o.get("kernel").asText());
    for (String boot : new String[] {"firstBoot", "warmBoot"}) {
      JsonNode b = o.get("crtr").get(boot);
      JsonLines.assertHas(b, "secondsToInit", "instructionsToInit", "secondsTotal");
      assertTrue(b.get("instructionsToInit").asLong() > 0, o.toString());
      assertTrue(b.get("secondsToInit").asDouble() > 0, o.toString());
    }
    assertTrue(o.get("qemu").isNull() != o.get("qemuUnavailable").isNull(), o.toString());
  }

  @Test
  void benchBootWithoutAKernelIsOnePlainLineAndExitCode2() {
    assertEquals(
        RunCommand.EXIT_BAD_INPUT,
        crtr("bench", "boot", "--json", "--kernel", "/nonexistent/Image"));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("crtr bench boot: /nonexistent/Image"), err.toString());
    assertEquals("", out.toString());
  }
}
