package org.crtrmotion.vm.board;

import org.crtrmotion.vm.bus.MmioDevice;
import org.crtrmotion.vm.checkpoint.proto.BootRomState;
import org.crtrmotion.vm.memory.LittleEndian;

/**
 * The virt board's mask ROM at 0x1000, laid out as QEMU 7.2 fills it: the reset vector (ten words:
 * it loads a0 = hart id, a1 = device tree, a2 = the fw_dynamic info and jumps to the start
 * address), followed by OpenSBI's {@code fw_dynamic} info block. The hart starts with the registers
 * the reset vector would leave, so the ROM is only read as data (by OpenSBI, through a2).
 */
public final class BootRom implements MmioDevice {
  public static final long BASE = 0x1000;
  private static final int SIZE = 0xf000;
  private static final int RESET_VECTOR_BYTES = 40;

  /** Where the fw_dynamic info block lies, the value a2 carries. */
  public static final long FW_DYNAMIC_INFO = BASE + RESET_VECTOR_BYTES;

  private static final long FW_DYNAMIC_MAGIC = 0x4942534fL; // "OSBI"
  private static final long FW_DYNAMIC_VERSION = 2;
  private static final long NEXT_MODE_S = 1;

  private final byte[] rom = new byte[SIZE];
  private final BootRomState parameters; // what the contents were built from

  /**
   * @param startAddress where the reset vector jumps (the firmware, or a bare-metal image)
   * @param fdtAddress the device tree's address
   * @param nextAddress the firmware's next stage (the kernel), or 0 when there is none
   */
  public BootRom(long startAddress, long fdtAddress, long nextAddress) {
    parameters =
        BootRomState.newBuilder()
            .setStartAddress(startAddress)
            .setFdtAddress(fdtAddress)
            .setNextAddress(nextAddress)
            .build();
    int[] resetVector = {
      0x00000297, // auipc t0, 0
      0x02828613, // addi a2, t0, 40 (the fw_dynamic info)
      0xf1402573, // csrr a0, mhartid
      0x0202b583, // ld a1, 32(t0)
      0x0182b283, // ld t0, 24(t0)
      0x00028067, // jr t0
      (int) startAddress,
      (int) (startAddress >>> 32),
      (int) fdtAddress,
      (int) (fdtAddress >>> 32)
    };
    for (int i = 0; i < resetVector.length; i++) {
      LittleEndian.putInt(rom, 4 * i, resetVector[i]);
    }
    if (nextAddress != 0) {
      int info = RESET_VECTOR_BYTES;
      long[] fields = {FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, nextAddress, NEXT_MODE_S, 0, 0};
      for (int i = 0; i < fields.length; i++) {
        LittleEndian.putLong(rom, info + 8 * i, fields[i]);
      }
    }
  }

  @Override
  public String name() {
    return "mrom";
  }

  @Override
  public long size() {
    return SIZE;
  }

  @Override
  public long read(long offset, int width) {
    int o = (int) offset;
    switch (width) {
      case 1:
        return rom[o] & 0xffL;
      case 2:
        return LittleEndian.getShort(rom, o) & 0xffffL;
      case 4:
        return LittleEndian.getInt(rom, o) & 0xffffffffL;
      default:
        return LittleEndian.getLong(rom, o);
    }
  }

  @Override
  public void write(long offset, int width, long value) {
    // Read-only memory: writes are ignored, as on QEMU's mrom.
  }

  /** The contents follow from three addresses, so those are saved instead of the 60 KiB. */
  public BootRomState save() {
    return parameters;
  }

  public static BootRom restore(BootRomState s) {
    return new BootRom(s.getStartAddress(), s.getFdtAddress(), s.getNextAddress());
  }
}
