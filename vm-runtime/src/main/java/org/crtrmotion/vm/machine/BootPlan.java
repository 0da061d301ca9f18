package org.crtrmotion.vm.machine;

import java.util.List;
import org.crtrmotion.vm.loader.BootImage;

/** What to put in memory before the first instruction, and where the hart starts. */
public sealed interface BootPlan permits BootPlan.BareMetal, BootPlan.Firmware {
  /**
   * Where QEMU's virt board loads a kernel after 64-bit firmware: the first 2 MiB boundary past it.
   */
  long KERNEL_LOAD_ADDRESS = 0x8020_0000L;

  /** Every image to load. */
  List<BootImage> images();

  /** Where the hart starts (the reset vector's jump target). */
  long startAddress();

  /** The firmware's next stage (announced in the fw_dynamic info), or 0 when there is none. */
  long nextStage();

  /**
   * A program that runs on the bare board from its entry point, as {@code -bios none -kernel} does.
   */
  record BareMetal(BootImage image) implements BootPlan {
    @Override
    public List<BootImage> images() {
      return List.of(image);
    }

    @Override
    public long startAddress() {
      return image.entry();
    }

    @Override
    public long nextStage() {
      return 0;
    }
  }

  /** The initial RAM disk's bytes, placed and announced in the device tree by the machine. */
  default byte[] initrd() {
    return null;
  }

  /**
   * Firmware (OpenSBI's fw_dynamic) at the start of RAM and a kernel it starts in S-mode, as QEMU
   * does with {@code -bios FILE -kernel Image [-initrd FILE]}.
   *
   * @param initrd an initial RAM disk, or null
   */
  record Firmware(BootImage firmware, BootImage kernel, byte[] initrd) implements BootPlan {
    public Firmware(BootImage firmware, BootImage kernel) {
      this(firmware, kernel, null);
    }

    @Override
    public List<BootImage> images() {
      return List.of(firmware, kernel);
    }

    @Override
    public long startAddress() {
      return firmware.entry();
    }

    @Override
    public long nextStage() {
      return kernel.loadAddress();
    }
  }
}
