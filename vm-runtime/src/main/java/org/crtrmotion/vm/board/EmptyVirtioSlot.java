package org.crtrmotion.vm.board;

import org.crtrmotion.vm.bus.MmioDevice;

/**
 * A virtio-mmio slot with nothing plugged in: the magic and version are there, device id 0 tells a
 * driver that there is no device, every other register reads zero and ignores writes.
 */
public final class EmptyVirtioSlot implements MmioDevice {
  public static final long FIRST_BASE = 0x1000_1000L;
  public static final long STRIDE = 0x1000;
  public static final int COUNT = 8;
  public static final int FIRST_IRQ = 1;
  static final long MAGIC = 0x74726976L; // "virt"
  static final long VERSION = 2; // virtio 1.x ("modern") register layout
  static final long VENDOR = 0x554d4551L; // "QEMU"

  private final int index;

  public EmptyVirtioSlot(int index) {
    this.index = index;
  }

  @Override
  public String name() {
    return "virtio_mmio" + index;
  }

  @Override
  public long size() {
    return STRIDE;
  }

  @Override
  public boolean accepts(long offset, int width) {
    return width == 4 && (offset & 3) == 0;
  }

  @Override
  public long read(long offset, int width) {
    switch ((int) offset) {
      case 0x000:
        return MAGIC;
      case 0x004:
        return VERSION;
      case 0x00c:
        return VENDOR;
      default:
        return 0; // includes DeviceID (0x008): 0 = no device
    }
  }

  @Override
  public void write(long offset, int width, long value) {}
}
