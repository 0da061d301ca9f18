package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crtr bench cpu}: MIPS of {@code cpu.elf} on crtr and on QEMU over the same instruction
 * count (the whole program), and their ratio. QEMU's start-up is measured with {@code hello.elf} in
 * the same run and subtracted.
 */
@Command(
    name = "cpu",
    description = {
      "Runs cpu.elf on crtr (a cold first run, then warm-up runs, then a warm run, all "
          + "in one JVM) and on qemu-system-riscv64, checks that both print the same, and "
          + "prints MIPS for each and their ratios. QEMU's start-up, measured with hello.elf "
          + "in the same run, is subtracted.",
      "With --json: one JSON object on stdout (image, bootargs, instructions, "
          + "warmupRuns, crtr {firstRun, warm} and qemu each {seconds, mips}, qemu's "
          + "startupSeconds, ratios {warm, firstRun} = QEMU's seconds over crtr's); qemu and "
          + "ratios are null, and qemuUnavailable says why, when QEMU cannot run."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:measured (also when QEMU cannot run: crtr only)",
      "1:the runs printed different output or cpu.elf failed",
      "2:bad command line"
    })
final class BenchCpuCommand implements Callable<Integer> {
  @Option(
      names = "--qemu",
      paramLabel = "PATH",
      description = "QEMU binary (default: qemu-system-riscv64 on PATH)")
  String qemu = "qemu-system-riscv64";

  @Option(
      names = "--append",
      paramLabel = "ARGS",
      description = "bootargs for cpu.elf (default: ${DEFAULT-VALUE})")
  String append = "rounds=60";

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "warm-up runs on crtr before the warm run (default: ${DEFAULT-VALUE})")
  int warmup = 3;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    byte[] cpu = BundledGuests.read("cpu.elf").orElseThrow();
    MachineConfig config = MachineConfig.defaults().withBootargs(append);
    Timed cold = runCrtr(cpu, config);
    for (int i = 0; i < warmup; i++) {
      runCrtr(cpu, config);
    }
    Timed warm = runCrtr(cpu, config);
    if (!warm.output.equals(cold.output)) {
      System.err.println("crtr bench cpu: two runs of cpu.elf on crtr printed different output");
      return 1;
    }
    if (cold.result.reason() != StopReason.POWER_OFF || cold.result.exitCode() != 0) {
      System.err.println(
          "crtr bench cpu: cpu.elf did not finish cleanly on crtr: " + cold.result.detail());
      return 1;
    }
    long n = cold.result.instructions();
    ObjectNode report = JsonOption.object().put("image", "cpu.elf").put("bootargs", append);
    report.put("instructions", n).put("warmupRuns", warmup);
    ObjectNode crtr = report.putObject("crtr");
    crtr.set("firstRun", figures(n, cold.seconds));
    crtr.set("warm", figures(n, warm.seconds));
    report.putNull("qemu").putNull("qemuUnavailable").putNull("ratios");
    if (!json.enabled()) {
      print("crtr, first run in a fresh JVM", n, cold.seconds);
      print("crtr, after " + warmup + " warm-up runs", n, warm.seconds);
    }
    Path dir = Files.createTempDirectory("crtr-bench");
    try {
      Path cpuFile = dir.resolve("cpu.elf");
      Path helloFile = dir.resolve("hello.elf");
      Files.write(cpuFile, cpu);
      Files.write(helloFile, BundledGuests.read("hello.elf").orElseThrow());
      Timed qemuHello;
      Timed qemuCpu;
      try {
        qemuHello = runQemu(helloFile, null);
        qemuCpu = runQemu(cpuFile, append);
      } catch (IOException e) {
        String why = "cannot run " + qemu + " (" + e.getMessage() + ")";
        System.err.println(
            "crtr bench cpu: " + why + "; install Debian's qemu-system-misc to compare with QEMU");
        if (json.enabled()) {
          System.out.println(JsonOption.line(report.put("qemuUnavailable", why)));
        }
        return 0;
      }
      if (!qemuCpu.output.equals(cold.output)) {
        System.err.println("crtr bench cpu: cpu.elf printed different output on QEMU and on crtr");
        return 1;
      }
      double qemuSeconds = Math.max(1e-6, qemuCpu.seconds - qemuHello.seconds);
      if (json.enabled()) {
        ObjectNode q = figures(n, qemuSeconds);
        JsonOption.number(q, "startupSeconds", qemuHello.seconds);
        report.set("qemu", q);
        ObjectNode ratios = report.putObject("ratios");
        JsonOption.number(ratios, "warm", qemuSeconds / warm.seconds);
        JsonOption.number(ratios, "firstRun", qemuSeconds / cold.seconds);
        System.out.println(JsonOption.line(report));
        return 0;
      }
      print(
          "qemu-system-riscv64 (TCG), start-up " + ms(qemuHello.seconds) + " subtracted",
          n,
          qemuSeconds);
      System.out.printf(
          Locale.ROOT,
          "speed ratio crtr/qemu: warm %.3f, first run %.3f%n",
          qemuSeconds / warm.seconds,
          qemuSeconds / cold.seconds);
      return 0;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static ObjectNode figures(long instructions, double seconds) {
    ObjectNode o = JsonOption.number(JsonOption.object(), "seconds", seconds);
    return JsonOption.number(o, "mips", instructions / seconds / 1e6);
  }

  private static String ms(double seconds) {
    return String.format(Locale.ROOT, "%.0f ms", seconds * 1e3);
  }

  private static void print(String what, long instructions, double seconds) {
    System.out.printf(
        Locale.ROOT,
        "%-48s %,15d instructions %9.3f s %9.1f MIPS%n",
        what,
        instructions,
        seconds,
        instructions / seconds / 1e6);
  }

  private record Timed(RunResult result, double seconds, String output) {}

  private static Timed runCrtr(byte[] image, MachineConfig config) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Machine m = Machine.boot(config, ElfLoader.parse(image), out::write);
    long start = System.nanoTime();
    RunResult r = m.run(0);
    return new Timed(
        r,
        (System.nanoTime() - start) / 1e9,
        out.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private Timed runQemu(Path image, String bootargs) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                qemu,
                "-M",
                "virt",
                "-m",
                "128M",
                "-bios",
                "none",
                "-nographic",
                "-kernel",
                image.toString()));
    if (bootargs != null) {
      cmd.add("-append");
      cmd.add(bootargs);
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long start = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    int code = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IOException(
          image.getFileName()
              + " exited with "
              + code
              + " on QEMU: "
              + new String(
                      p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .trim());
    }
    return new Timed(null, seconds, new String(out, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
