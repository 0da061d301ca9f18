package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.loader.ImageFormatException;
import org.crtrmotion.vm.loader.RawImage;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;

/** Builds the boot plan of a kernel behind OpenSBI, finding Debian's OpenSBI by default. */
final class Firmware {
  /** Debian's opensbi package, then the copy qemu-system-data ships. */
  static final List<Path> DEFAULT_LOCATIONS =
      List.of(
          Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"),
          Path.of("/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin"));

  private Firmware() {}

  static BootPlan plan(Path kernel, Path bios) throws IOException, ImageFormatException {
    return plan(kernel, bios, null);
  }

  static BootPlan plan(Path kernel, Path bios, Path initrd)
      throws IOException, ImageFormatException {
    Path firmware = bios != null ? bios : defaultFirmware();
    return new BootPlan.Firmware(
        image(firmware, MachineConfig.RAM_BASE),
        image(kernel, BootPlan.KERNEL_LOAD_ADDRESS),
        initrd == null ? null : Files.readAllBytes(initrd));
  }

  static Path defaultFirmware() throws NoSuchFileException {
    for (Path p : DEFAULT_LOCATIONS) {
      if (Files.isReadable(p)) {
        return p;
      }
    }
    throw new NoSuchFileException(
        DEFAULT_LOCATIONS.get(0).toString(),
        null,
        "OpenSBI not found: install Debian's opensbi package or give --bios FILE");
  }

  /** An ELF file loads at its own addresses; anything else is a raw binary at {@code address}. */
  private static BootImage image(Path file, long address) throws IOException, ImageFormatException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      if (bytes.length >= 4
          && bytes[0] == 0x7f
          && bytes[1] == 'E'
          && bytes[2] == 'L'
          && bytes[3] == 'F') {
        return ElfLoader.parse(bytes);
      }
      return RawImage.of(bytes, address);
    } catch (ImageFormatException e) {
      throw new ImageFormatException(file + ": " + e.getMessage());
    }
  }
}
