package org.crtrmotion.vm.machine;

import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.time.VirtualClock;

/**
 * How to build a machine.
 *
 * @param ramBytes size of RAM at 0x8000_0000, a multiple of 4 KiB
 * @param timeMode where guest time comes from
 * @param bootargs the device tree's /chosen/bootargs (as QEMU's -append), or null
 * @param instructionsPerTick in virtual time, instructions per 100 ns tick of mtime
 */
public record MachineConfig(
    long ramBytes, TimeMode timeMode, String bootargs, long instructionsPerTick) {
  public static final long RAM_BASE = 0x8000_0000L;

  /** QEMU's virt board default. */
  public static final long DEFAULT_RAM_BYTES = 128L << 20;

  /** The least RAM a machine may have. */
  public static final long MIN_RAM_BYTES = 1L << 20;

  /** The most RAM a machine may have: readers of checkpoints and traces refuse more. */
  public static final long MAX_RAM_BYTES = 64L << 30;

  public MachineConfig {
    if (ramBytes < MIN_RAM_BYTES || (ramBytes & 0xfff) != 0) {
      throw new IllegalArgumentException(
          "RAM size must be at least 1 MiB and a multiple of 4 KiB, not " + ramBytes + " bytes");
    }
    if (ramBytes > MAX_RAM_BYTES) {
      throw new IllegalArgumentException(
          "RAM size " + (ramBytes >> 20) + " MiB is above the 64 GiB this machine supports");
    }
    if (instructionsPerTick <= 0) {
      throw new IllegalArgumentException("instructions per tick must be positive");
    }
  }

  /** Whether a machine may have {@code ramBytes} of RAM (whole 4 KiB pages, 1 MiB to 64 GiB). */
  public static boolean isRamSize(long ramBytes) {
    return ramBytes >= MIN_RAM_BYTES && ramBytes <= MAX_RAM_BYTES && (ramBytes & 0xfff) == 0;
  }

  public static MachineConfig defaults() {
    return new MachineConfig(
        DEFAULT_RAM_BYTES, TimeMode.VIRTUAL, null, VirtualClock.DEFAULT_INSTRUCTIONS_PER_TICK);
  }

  public MachineConfig withRamBytes(long bytes) {
    return new MachineConfig(bytes, timeMode, bootargs, instructionsPerTick);
  }

  public MachineConfig withTimeMode(TimeMode mode) {
    return new MachineConfig(ramBytes, mode, bootargs, instructionsPerTick);
  }

  public MachineConfig withBootargs(String args) {
    return new MachineConfig(ramBytes, timeMode, args, instructionsPerTick);
  }
}
