package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.vm.loader.ImageFormatException;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crtr bench boot}: the Linux guest booted behind OpenSBI on crtr (the first boot in this
 * JVM, then a warm one) and on QEMU, each timed from start to the first line {@code /init} prints,
 * with the instruction count crtr retired by then.
 */
@Command(
    name = "boot",
    description = {
      "Boots the Linux guest on crtr (first boot in a fresh JVM, then a warm boot) and "
          + "on qemu-system-riscv64 with the same firmware, and prints each time to /init, "
          + "crtr's instruction count to /init, and the ratios.",
      "With --json: one JSON object on stdout (kernel, firmware, bootargs, crtr "
          + "{firstBoot, warmBoot} and qemu each {secondsToInit, instructionsToInit (null on "
          + "QEMU), secondsTotal}, ratios {firstBoot, warm} = crtr's time to /init over "
          + "QEMU's); qemu and ratios are null, and qemuUnavailable says why, when QEMU "
          + "cannot run."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:measured (also when QEMU cannot run: crtr only)",
      "1:the guest did not reach /init",
      "2:no kernel or firmware, or a bad command line"
    })
final class BenchBootCommand implements Callable<Integer> {
  /** The first line the team's /init prints. */
  static final String INIT_MARKER = "init: crtr-motion guest";

  private static final long HANG_GUARD_SECONDS = 300;

  @Option(
      names = "--kernel",
      paramLabel = "FILE",
      description = "the Linux Image (default: native/linux/build-kernel.sh's)")
  Path kernel;

  @Option(
      names = "--bios",
      paramLabel = "FILE",
      description = "firmware for both machines (default: Debian's OpenSBI)")
  Path bios;

  @Option(
      names = "--qemu",
      paramLabel = "PATH",
      description = "QEMU binary (default: ${DEFAULT-VALUE})")
  String qemu = "qemu-system-riscv64";

  @Option(
      names = "--append",
      paramLabel = "ARGS",
      description = "kernel command line (default: ${DEFAULT-VALUE})")
  String append = "console=ttyS0 crtr.workload=idle crtr.ticks=1";

  @Mixin JsonOption json;

  record Boot(double secondsToInit, long instructionsToInit, double secondsTotal) {
    ObjectNode json() {
      ObjectNode o = JsonOption.number(JsonOption.object(), "secondsToInit", secondsToInit);
      if (instructionsToInit < 0) {
        o.putNull("instructionsToInit");
      } else {
        o.put("instructionsToInit", instructionsToInit);
      }
      return JsonOption.number(o, "secondsTotal", secondsTotal);
    }
  }

  @Override
  public Integer call() throws Exception {
    Path image;
    Path firmware;
    BootPlan plan;
    try {
      image = LinuxKernel.locate(kernel);
      firmware = bios != null ? bios : Firmware.defaultFirmware();
      plan = Firmware.plan(image, firmware);
    } catch (IOException | ImageFormatException e) {
      System.err.println("crtr bench boot: " + RunCommand.message(e));
      return RunCommand.EXIT_BAD_INPUT;
    }
    Boot cold = bootCrtr(plan);
    Boot warm = bootCrtr(plan);
    if (!json.enabled()) {
      System.out.printf(Locale.ROOT, "kernel %s, firmware %s%n", image, firmware);
      print("crtr, first boot in a fresh JVM", cold);
      print("crtr, second boot in the same JVM", warm);
    }
    Boot reference;
    try {
      reference = bootQemu(image, firmware);
    } catch (IOException e) {
      String why = "cannot run " + qemu + " (" + e.getMessage() + ")";
      System.err.println(
          "crtr bench boot: " + why + "; install Debian's qemu-system-misc to compare with QEMU");
      if (json.enabled()) {
        System.out.println(JsonOption.line(report(image, firmware, cold, warm, null, why)));
      }
      return 0;
    }
    if (json.enabled()) {
      System.out.println(JsonOption.line(report(image, firmware, cold, warm, reference, null)));
      return 0;
    }
    print("qemu-system-riscv64 (TCG), from process start", reference);
    System.out.printf(
        Locale.ROOT,
        "time-to-/init ratio crtr/qemu: first boot %.2f, warm %.2f%n",
        cold.secondsToInit / reference.secondsToInit,
        warm.secondsToInit / reference.secondsToInit);
    return 0;
  }

  /** The JSON report; {@code qemu} null when QEMU could not run, {@code qemuUnavailable} why. */
  ObjectNode report(
      Path image, Path firmware, Boot cold, Boot warm, Boot qemu, String qemuUnavailable) {
    ObjectNode o = JsonOption.object().put("kernel", image.toString());
    o.put("firmware", firmware.toString()).put("bootargs", append);
    ObjectNode crtr = o.putObject("crtr");
    crtr.set("firstBoot", cold.json());
    crtr.set("warmBoot", warm.json());
    if (qemu == null) {
      o.putNull("qemu").put("qemuUnavailable", qemuUnavailable).putNull("ratios");
      return o;
    }
    o.set("qemu", qemu.json());
    o.putNull("qemuUnavailable");
    ObjectNode ratios = o.putObject("ratios");
    JsonOption.number(ratios, "firstBoot", cold.secondsToInit / qemu.secondsToInit);
    JsonOption.number(ratios, "warm", warm.secondsToInit / qemu.secondsToInit);
    return o;
  }

  private static void print(String what, Boot b) {
    String count =
        b.instructionsToInit < 0
            ? ""
            : String.format(Locale.ROOT, "%,d instructions, ", b.instructionsToInit);
    System.out.printf(
        Locale.ROOT,
        "%-48s to /init %7.3f s (%s%.3f s to power-off)%n",
        what,
        b.secondsToInit,
        count,
        b.secondsTotal);
  }

  private Boot bootCrtr(BootPlan plan) throws Exception {
    MarkerWatch watch = new MarkerWatch(INIT_MARKER);
    Machine[] machine = new Machine[1];
    long[] atInit = {-1, -1};
    long start = System.nanoTime();
    machine[0] =
        Machine.boot(
            MachineConfig.defaults().withBootargs(append),
            plan,
            b -> {
              if (watch.feed(b)) {
                atInit[0] = System.nanoTime() - start;
                atInit[1] = machine[0].instructionsRetired();
              }
            });
    RunResult r = machine[0].run(0);
    double total = (System.nanoTime() - start) / 1e9;
    if (r.reason() != StopReason.POWER_OFF || r.exitCode() != 0 || !watch.found()) {
      throw new IOException(
          "the guest did not reach /init and power off cleanly on crtr: "
              + r.detail()
              + "\n"
              + tail(watch.seen()));
    }
    return new Boot(atInit[0] / 1e9, atInit[1], total);
  }

  private Boot bootQemu(Path image, Path firmware) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                qemu,
                "-M",
                "virt",
                "-m",
                "128M",
                "-nographic",
                "-bios",
                firmware.toString(),
                "-kernel",
                image.toString(),
                "-append",
                append));
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    MarkerWatch watch = new MarkerWatch(INIT_MARKER);
    long atInit = -1;
    try (InputStream out = p.getInputStream()) {
      for (int b; (b = out.read()) >= 0; ) {
        if (watch.feed(b)) {
          atInit = System.nanoTime() - start;
        }
      }
    }
    if (!p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("QEMU did not power off within " + HANG_GUARD_SECONDS + " s");
    }
    double total = (System.nanoTime() - start) / 1e9;
    if (p.exitValue() != 0 || atInit < 0) {
      throw new IOException(
          "the guest did not reach /init and power off cleanly on QEMU (exit code "
              + p.exitValue()
              + ")\n"
              + tail(watch.seen()));
    }
    return new Boot(atInit / 1e9, -1, total);
  }

  private static String tail(String console) {
    return console.length() <= 2000 ? console : console.substring(console.length() - 2000);
  }
}
