package org.crtrmotion.ops.cli;

import java.nio.file.Path;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options that say which machine to build and what to boot, shared by run and record. */
final class MachineOptions {
  @Parameters(
      paramLabel = "IMAGE",
      arity = "0..1",
      description =
          "a bare-metal ELF file, or a bundled guest: hello.elf, cpu.elf, memory.elf, idle.elf,"
              + " netkv.elf, disk.elf")
  String image;

  @Option(
      names = "--kernel",
      paramLabel = "FILE",
      description =
          "a kernel Image to boot behind OpenSBI at 0x80200000, as QEMU's -kernel with firmware")
  Path kernel;

  @Option(
      names = "--bios",
      paramLabel = "FILE",
      description = "the firmware for --kernel (default: Debian's OpenSBI fw_dynamic.bin)")
  Path bios;

  @Option(
      names = "--initrd",
      paramLabel = "FILE",
      description =
          "an initial RAM disk for --kernel, announced in the device tree as QEMU's -initrd")
  Path initrd;

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
          "virtual (from the instruction count: same output every run) or host (default"
              + " ${DEFAULT-VALUE})")
  String time = "virtual";

  @Option(
      names = "--append",
      paramLabel = "ARGS",
      description = "the device tree's /chosen/bootargs, as QEMU's -append")
  String append;

  /** A command-line mistake, with the message to print. */
  static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
      super(message);
    }
  }

  /** The machine and boot plan the options describe. */
  record Machine(MachineConfig config, BootPlan plan, String label) {}

  Machine resolve() throws BadInput {
    TimeMode mode;
    switch (time) {
      case "virtual":
        mode = TimeMode.VIRTUAL;
        break;
      case "host":
        mode = TimeMode.HOST;
        break;
      default:
        throw new BadInput("--time must be 'virtual' or 'host', not '" + time + "'");
    }
    if ((image == null) == (kernel == null)) {
      throw new BadInput("give either IMAGE (bare metal) or --kernel FILE (behind OpenSBI)");
    }
    if ((bios != null || initrd != null) && kernel == null) {
      throw new BadInput("--bios and --initrd need --kernel");
    }
    try {
      MachineConfig config =
          MachineConfig.defaults()
              .withRamBytes(memoryBytes)
              .withTimeMode(mode)
              .withBootargs(append);
      BootPlan plan =
          kernel != null
              ? Firmware.plan(kernel, bios, initrd)
              : new BootPlan.BareMetal(GuestImageSource.load(image));
      return new Machine(config, plan, kernel != null ? kernel.toString() : image);
    } catch (Exception e) {
      throw new BadInput(RunCommand.message(e));
    }
  }
}
