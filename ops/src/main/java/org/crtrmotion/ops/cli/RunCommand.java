package org.crtrmotion.ops.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.time.TimeMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crtr run}: boots an image on the machine with its console on stdout. */
@Command(
    name = "run",
    description = {
      "Runs a guest image on the RV64GC virt machine: its UART on stdout, a summary on stderr,",
      "the guest's exit code as this command's.",
      "Exit codes besides the guest's: "
          + RunCommand.EXIT_BAD_INPUT
          + " bad image or option, "
          + RunCommand.EXIT_LIMIT
          + " instruction limit reached, "
          + RunCommand.EXIT_HALTED
          + " guest halted or stuck for good, "
          + RunCommand.EXIT_UNSUPPORTED
          + " unsupported request or internal error, "
          + RunCommand.EXIT_STOPPED
          + " stopped from outside."
    },
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  static final int EXIT_BAD_INPUT = 2;
  static final int EXIT_LIMIT = 124;
  static final int EXIT_HALTED = 125;
  static final int EXIT_UNSUPPORTED = 126;
  static final int EXIT_STOPPED = 130;

  @Parameters(
      paramLabel = "IMAGE",
      arity = "0..1",
      description =
          "a bare-metal ELF file, or a bundled guest: hello.elf, cpu.elf, memory.elf, idle.elf")
  String image;

  @Option(
      names = "--kernel",
      paramLabel = "FILE",
      description =
          "a kernel Image to boot behind OpenSBI at 0x80200000, as QEMU's -kernel with firmware")
  java.nio.file.Path kernel;

  @Option(
      names = "--bios",
      paramLabel = "FILE",
      description = "the firmware for --kernel (default: Debian's OpenSBI fw_dynamic.bin)")
  java.nio.file.Path bios;

  @Option(
      names = "--initrd",
      paramLabel = "FILE",
      description =
          "an initial RAM disk for --kernel, announced in the device tree as QEMU's -initrd")
  java.nio.file.Path initrd;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "RAM size (default 128M, as QEMU's virt board)")
  long memoryBytes = MachineConfig.DEFAULT_RAM_BYTES;

  @Option(
      names = "--time",
      paramLabel = "MODE",
      description =
          "virtual (from the instruction count: same output every run) or host (default virtual)")
  String time = "virtual";

  @Option(
      names = "--max-instructions",
      paramLabel = "N",
      description = "stop after N instructions (default: no limit)")
  long maxInstructions;

  @Option(
      names = "--append",
      paramLabel = "ARGS",
      description = "the device tree's /chosen/bootargs, as QEMU's -append")
  String append;

  @Override
  public Integer call() {
    TimeMode mode;
    switch (time) {
      case "virtual":
        mode = TimeMode.VIRTUAL;
        break;
      case "host":
        mode = TimeMode.HOST;
        break;
      default:
        System.err.println("crtr run: --time must be 'virtual' or 'host', not '" + time + "'");
        return EXIT_BAD_INPUT;
    }
    if (maxInstructions < 0) {
      System.err.println("crtr run: --max-instructions must not be negative");
      return EXIT_BAD_INPUT;
    }
    if ((image == null) == (kernel == null)) {
      System.err.println(
          "crtr run: give either IMAGE (bare metal) or --kernel FILE (behind OpenSBI)");
      return EXIT_BAD_INPUT;
    }
    if ((bios != null || initrd != null) && kernel == null) {
      System.err.println("crtr run: --bios and --initrd need --kernel");
      return EXIT_BAD_INPUT;
    }
    MachineConfig config;
    BootPlan plan;
    try {
      config =
          MachineConfig.defaults()
              .withRamBytes(memoryBytes)
              .withTimeMode(mode)
              .withBootargs(append);
      plan =
          kernel != null
              ? Firmware.plan(kernel, bios, initrd)
              : new BootPlan.BareMetal(GuestImageSource.load(image));
    } catch (Exception e) {
      System.err.println("crtr run: " + message(e));
      return EXIT_BAD_INPUT;
    }
    try (ConsoleOutput console = new ConsoleOutput()) {
      Machine machine;
      try {
        machine = Machine.boot(config, plan, console);
      } catch (Exception e) {
        System.err.println("crtr run: " + (kernel != null ? kernel : image) + ": " + message(e));
        return EXIT_BAD_INPUT;
      }
      CountDownLatch finished = new CountDownLatch(1);
      Thread onInterrupt =
          new Thread(
              () -> {
                machine.requestStop();
                try {
                  finished.await(5, TimeUnit.SECONDS); // let the summary reach the terminal
                } catch (InterruptedException ignored) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      try {
        long start = System.nanoTime();
        RunResult result = machine.run(maxInstructions);
        double seconds = (System.nanoTime() - start) / 1e9;
        console.flush();
        System.err.println(Summary.line(result, seconds));
        return exitCode(result);
      } finally {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C arrived: the hook is running and waits for the summary printed above.
        }
      }
    }
  }

  static String message(Exception e) {
    if (e instanceof java.nio.file.FileSystemException) {
      java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
      String why =
          f.getReason() != null
              ? f.getReason()
              : e instanceof java.nio.file.NoSuchFileException
                  ? "no such file"
                  : e instanceof java.nio.file.AccessDeniedException
                      ? "permission denied"
                      : e.getClass().getSimpleName();
      return f.getFile() + ": " + why;
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static int exitCode(RunResult r) {
    switch (r.reason()) {
      case POWER_OFF:
        return r.exitCode() & 0xff;
      case INSTRUCTION_LIMIT:
        return EXIT_LIMIT;
      case HALTED:
      case STUCK:
        return EXIT_HALTED;
      case UNSUPPORTED:
      case INTERNAL_ERROR:
        return EXIT_UNSUPPORTED;
      default:
        return EXIT_STOPPED;
    }
  }
}
