package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.crtrmotion.vm.loader.RawImage;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Linux guest (native/linux) boots on crtr behind Debian's OpenSBI, runs each workload of its
 * /init and powers off cleanly; QEMU booting the same Image with {@code -bios default} prints the
 * same workload lines. The Image comes from {@code $CRTR_LINUX_IMAGE}, which {@code .ci/run} sets
 * from {@code native/linux/build-kernel.sh --print-path}.
 */
class LinuxBootTest {
  static final Path DEBIAN_OPENSBI =
      Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");
  private static final long HANG_GUARD_SECONDS = 300;
  private static Path kernel;

  @BeforeAll
  static void requireKernelFirmwareAndQemu() {
    String image = System.getenv("CRTR_LINUX_IMAGE");
    assumeTrue(
        image != null && Files.isRegularFile(Path.of(image)),
        "set CRTR_LINUX_IMAGE=$(native/linux/build-kernel.sh --print-path) to boot Linux (.ci/run"
            + " does)");
    assumeTrue(Files.isRegularFile(DEBIAN_OPENSBI), "Debian's opensbi package is not installed");
    assumeTrue(QemuReference.available(), "qemu-system-riscv64 is not installed");
    kernel = Path.of(image);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "crtr.workload=cpu crtr.rounds=1",
        "crtr.workload=memory crtr.ticks=10 crtr.report=5",
        "crtr.workload=idle crtr.ticks=5 crtr.period_ms=20",
        "crtr.workload=all crtr.serial=1 crtr.rounds=1 crtr.ticks=4 crtr.report=2"
      })
  void workloadPrintsTheSameOnCrtrAsOnQemuAndPowersOff(String parameters) throws Exception {
    String append = "console=ttyS0 quiet " + parameters;

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    BootPlan plan =
        new BootPlan.Firmware(
            RawImage.read(DEBIAN_OPENSBI, MachineConfig.RAM_BASE),
            RawImage.read(kernel, BootPlan.KERNEL_LOAD_ADDRESS));
    RunResult result =
        Machine.boot(MachineConfig.defaults().withBootargs(append), plan, console::write)
            .run(3_000_000_000L);
    String crtr = console.toString(StandardCharsets.ISO_8859_1);
    assertEquals(StopReason.POWER_OFF, result.reason(), result.detail() + "\n" + crtr);
    assertEquals(0, result.exitCode(), crtr);
    assertTrue(crtr.contains("init: done status=0"), crtr);

    assertEquals(workloadLines(qemu(append)), workloadLines(crtr));
  }

  /** What /init and its workloads print, in order; the kernel's own lines differ by design. */
  private static List<String> workloadLines(String console) {
    return console
        .lines()
        .map(l -> l.replace("\r", ""))
        .filter(
            l ->
                l.startsWith("init: ")
                    || l.startsWith("cpu: ")
                    || l.startsWith("memory: ")
                    || l.startsWith("idle: "))
        .collect(Collectors.toList());
  }

  private static String qemu(String append) throws Exception {
    Process p =
        new ProcessBuilder(
                QemuReference.BINARY,
                "-M",
                "virt",
                "-m",
                "128M",
                "-nographic",
                "-bios",
                "default",
                "-kernel",
                kernel.toString(),
                "-append",
                append)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("QEMU did not power off within " + HANG_GUARD_SECONDS + " s");
    }
    String console = new String(out, StandardCharsets.ISO_8859_1);
    assertEquals(0, p.exitValue(), console);
    return console;
  }
}
