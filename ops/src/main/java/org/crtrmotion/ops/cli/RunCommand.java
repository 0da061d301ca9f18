package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crtr run}: boots an image on the machine with its console on stdout. */
@Command(
    name = "run",
    description = {
      "Runs a guest image on the RV64GC virt machine: its UART on stdout, a summary on stderr, the"
          + " guest's exit code as this command's.",
      "With --json the summary is one JSON object on stderr (image, instructions, seconds, mips,"
          + " outcome, detail, guestExitCode (null unless the guest powered off), exitStatus);"
          + " stdout stays the guest's console.",
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

  @Mixin MachineOptions machineOptions;

  @Mixin DeviceOptions deviceOptions;

  @Mixin JsonOption json;

  @Option(
      names = "--max-instructions",
      paramLabel = "N",
      description = "stop after N instructions (default: no limit)")
  long maxInstructions;

  @Override
  public Integer call() {
    if (maxInstructions < 0) {
      System.err.println("crtr run: --max-instructions must not be negative");
      return EXIT_BAD_INPUT;
    }
    MachineOptions.Machine spec;
    DeviceOptions.Opened devices;
    try {
      spec = machineOptions.resolve();
      devices = deviceOptions.open();
    } catch (MachineOptions.BadInput e) {
      System.err.println("crtr run: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
    try (devices;
        ConsoleOutput console = new ConsoleOutput()) {
      Machine machine;
      try {
        machine = Machine.boot(spec.config(), spec.plan(), console, devices.attachments);
      } catch (Exception e) {
        System.err.println("crtr run: " + spec.label() + ": " + message(e));
        return EXIT_BAD_INPUT;
      }
      long start = System.nanoTime();
      RunResult result = GuardedRun.run(machine, maxInstructions, console::flush);
      double seconds = (System.nanoTime() - start) / 1e9;
      int exitCode = exitCode(result);
      System.err.println(
          json.enabled()
              ? JsonOption.line(summaryJson(spec.label(), result, seconds, exitCode))
              : Summary.line(result, seconds));
      return exitCode;
    }
  }

  private static ObjectNode summaryJson(
      String image, RunResult result, double seconds, int exitCode) {
    ObjectNode o = JsonOption.object().put("image", image);
    o.setAll(RunJson.summary(result, seconds));
    if (result.reason() == StopReason.POWER_OFF) {
      o.put("guestExitCode", result.exitCode());
    } else {
      o.putNull("guestExitCode");
    }
    return o.put("exitStatus", exitCode);
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

  static int exitCode(RunResult r) {
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
