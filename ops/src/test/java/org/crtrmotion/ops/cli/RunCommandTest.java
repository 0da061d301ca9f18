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

class RunCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;
  @TempDir Path dir;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private int crtr(String... args) {
    return new CommandLine(new CrtrCommand()).execute(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void bundledGuestRunsAndItsExitCodeIsTheCommands() {
    assertEquals(0, crtr("run", "hello.elf"));
    assertEquals(7, crtr("run", "hello.elf", "--append", "exit=7"));
    assertTrue(stderr().contains("instructions retired"), stderr());
  }

  @Test
  void summaryNamesInstructionsSecondsAndMips() {
    crtr("run", "hello.elf");
    assertTrue(
        stderr()
            .matches("(?s).*crtr: [0-9,]+ instructions retired in [0-9.]+ s \\([0-9.]+ MIPS\\).*"),
        stderr());
  }

  @Test
  void jsonReplacesTheSummaryWithOneObjectOnStderr() {
    assertEquals(3, crtr("run", "hello.elf", "--append", "exit=3", "--json"));
    com.fasterxml.jackson.databind.JsonNode o = JsonLines.theObject(stderr());
    JsonLines.assertHas(o, "image", "instructions", "seconds", "mips", "outcome", "detail");
    assertEquals("hello.elf", o.get("image").asText());
    assertTrue(o.get("instructions").asLong() > 0, o.toString());
    assertEquals("POWER_OFF", o.get("outcome").asText());
    assertEquals(3, o.get("guestExitCode").asInt());
    assertEquals(3, o.get("exitStatus").asInt());
    assertTrue(!stderr().contains("instructions retired"), stderr());
  }

  @Test
  void withJsonAnInstructionLimitHasNoGuestExitCodeAndItsOwnStatus() {
    assertEquals(
        RunCommand.EXIT_LIMIT,
        crtr("run", "idle.elf", "--append", "ticks=0", "--max-instructions", "20000", "--json"));
    com.fasterxml.jackson.databind.JsonNode o = JsonLines.theObject(stderr());
    assertEquals("INSTRUCTION_LIMIT", o.get("outcome").asText());
    assertTrue(o.get("guestExitCode").isNull(), o.toString());
    assertEquals(RunCommand.EXIT_LIMIT, o.get("exitStatus").asInt());
  }

  @Test
  void withJsonABadImageIsStillOnePlainLineAndExitCode2() {
    assertEquals(
        RunCommand.EXIT_BAD_INPUT, crtr("run", dir.resolve("nope.elf").toString(), "--json"));
    assertEquals(1, stderr().strip().lines().count(), stderr());
    assertTrue(stderr().startsWith("crtr run: ") && stderr().contains("nope.elf"), stderr());
  }

  @Test
  void missingImageIsABadInputNamingIt() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", dir.resolve("nope.elf").toString()));
    assertTrue(stderr().contains("nope.elf"), stderr());
  }

  @Test
  void fileThatIsNotAnElfIsRefusedWithTheReason() throws Exception {
    Path bogus = dir.resolve("bogus.elf");
    Files.writeString(bogus, "#!/bin/sh\necho not a guest\n");
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", bogus.toString()));
    assertTrue(stderr().contains("bogus.elf") && stderr().toLowerCase().contains("elf"), stderr());
  }

  @Test
  void aDriveIsPluggedAndTheGuestStillRuns() throws Exception {
    Path disk = Files.write(dir.resolve("disk.img"), new byte[8192]);
    assertEquals(0, crtr("run", "hello.elf", "--drive", disk.toString()));
  }

  @Test
  void aDriveThatIsNotSectorsIsABadInputNamingIt() throws Exception {
    Path disk = Files.write(dir.resolve("odd.img"), new byte[100]);
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", "hello.elf", "--drive", disk.toString()));
    assertTrue(stderr().contains("odd.img") && stderr().contains("512"), stderr());
  }

  @Test
  void aNetSpecThatIsNotUdpHostfwdIsABadInputNamingIt() {
    assertEquals(
        RunCommand.EXIT_BAD_INPUT,
        crtr("run", "hello.elf", "--net", "hostfwd=tcp:127.0.0.1:2222-:22"));
    assertTrue(stderr().contains("--net") && stderr().contains("only UDP"), stderr());
  }

  @Test
  void aTapNameTooLongForLinuxIsABadInputNamingIt() {
    assertEquals(
        RunCommand.EXIT_BAD_INPUT, crtr("run", "hello.elf", "--net", "tap=crtr-tap-toolong"));
    assertTrue(
        stderr().contains("--net") && stderr().contains("'crtr-tap-toolong' is too long"),
        stderr());
  }

  @Test
  void loadRefusesATargetWithoutAPort() {
    assertEquals(LoadCommand.EXIT_BAD_INPUT, crtr("load", "--target", "127.0.0.1"));
    assertTrue(stderr().contains("HOST:PORT"), stderr());
  }

  @Test
  void unknownTimeModeIsRefused() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", "hello.elf", "--time", "sundial"));
    assertTrue(stderr().contains("sundial"), stderr());
  }

  @Test
  void memoryTooSmallForTheImageIsRefused() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", "memory.elf", "--memory", "1M"));
    assertTrue(stderr().contains("give the machine more memory"), stderr());
  }

  @Test
  void instructionLimitEndsARunawayGuest() {
    assertEquals(
        RunCommand.EXIT_LIMIT,
        crtr("run", "idle.elf", "--append", "ticks=0", "--max-instructions", "500000"));
    assertTrue(stderr().contains("instruction limit"), stderr());
  }

  @Test
  void kernelBootsBehindDebiansOpenSbiToACleanPowerOff() {
    String image = System.getenv("CRTR_LINUX_IMAGE");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        image != null
            && Files.isRegularFile(Path.of(image))
            && Files.isRegularFile(Firmware.DEFAULT_LOCATIONS.get(0)),
        "needs CRTR_LINUX_IMAGE and Debian's opensbi (.ci/run provides both)");
    assertEquals(
        0, crtr("run", "--kernel", image, "--append", "console=ttyS0 quiet crtr.workload=none"));
    assertTrue(stderr().contains("guest powered off with exit code 0"), stderr());
  }

  @Test
  void imageAndKernelTogetherAreRefused() {
    assertEquals(RunCommand.EXIT_BAD_INPUT, crtr("run", "hello.elf", "--kernel", "Image"));
    assertTrue(stderr().contains("either IMAGE"), stderr());
  }

  @Test
  void memorySizesTakeQemuStyleSuffixes() {
    SizeConverter c = new SizeConverter();
    assertEquals(256L << 20, c.convert("256M"));
    assertEquals(1L << 30, c.convert("1G"));
    assertEquals(64L << 10, c.convert("64K"));
    assertEquals(128L << 20, c.convert("128"));
  }
}
