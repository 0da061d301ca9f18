package org.crtrmotion.vm.loader;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What the board copies into guest memory before the first instruction: segments at physical
 * addresses, and an entry address. {@link ElfImage} and {@link RawImage} are the two kinds.
 */
public interface BootImage {

  /** Physical address of the first instruction the image itself names. */
  long entry();

  /** Never empty; no two segments overlap in physical memory. */
  List<Segment> segments();

  /**
   * Lowest physical address of any segment. QEMU 7.2 hands this, not {@link #entry()}, to firmware
   * as the next stage's address for an ELF kernel (fw_dynamic {@code next_addr}), so that kernels
   * may keep separate SBI and ELF entry points.
   */
  default long loadAddress() {
    return segments().stream()
        .mapToLong(Segment::physicalAddress)
        .reduce((a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b)
        .orElseThrow();
  }

  /**
   * One contiguous piece of guest memory: {@code data} at {@code physicalAddress}, followed by
   * zeros up to {@code memorySize} (an ELF's .bss). Addresses compare unsigned.
   *
   * <p>The array is not copied: a kernel image is tens of megabytes and passes through here once.
   * Treat it as read-only.
   */
  record Segment(
      long physicalAddress, long virtualAddress, byte[] data, long memorySize, boolean executable) {

    public Segment {
      Objects.requireNonNull(data, "data");
      if (Long.compareUnsigned(memorySize, data.length) < 0) {
        throw new IllegalArgumentException(
            "memory size 0x"
                + Long.toHexString(memorySize)
                + " is smaller than the data (0x"
                + Integer.toHexString(data.length)
                + " bytes)");
      }
      if (memorySize == 0) {
        throw new IllegalArgumentException(
            "segment at 0x" + Long.toHexString(physicalAddress) + " is empty");
      }
      if (Long.compareUnsigned(physicalAddress + memorySize - 1, physicalAddress) < 0) {
        throw new IllegalArgumentException(
            "segment at 0x"
                + Long.toHexString(physicalAddress)
                + " of 0x"
                + Long.toHexString(memorySize)
                + " bytes wraps past the end of the address space");
      }
    }

    /** First physical address after the segment; 0 when it ends exactly at 2^64. */
    public long physicalEnd() {
      return physicalAddress + memorySize;
    }

    boolean overlaps(Segment other) {
      long lastHere = physicalAddress + memorySize - 1;
      long lastThere = other.physicalAddress + other.memorySize - 1;
      return Long.compareUnsigned(physicalAddress, lastThere) <= 0
          && Long.compareUnsigned(other.physicalAddress, lastHere) <= 0;
    }

    // Records compare arrays by identity; a segment is a value, so compare the bytes.
    @Override
    public boolean equals(Object o) {
      return o instanceof Segment s
          && physicalAddress == s.physicalAddress
          && virtualAddress == s.virtualAddress
          && memorySize == s.memorySize
          && executable == s.executable
          && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(physicalAddress, virtualAddress, memorySize, executable) * 31
          + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      HexFormat hex = HexFormat.of();
      return "Segment[physicalAddress=0x"
          + Long.toHexString(physicalAddress)
          + ", virtualAddress=0x"
          + Long.toHexString(virtualAddress)
          + ", data="
          + data.length
          + " bytes"
          + (data.length > 0
              ? " (" + hex.formatHex(data, 0, Math.min(8, data.length)) + "...)"
              : "")
          + ", memorySize=0x"
          + Long.toHexString(memorySize)
          + ", executable="
          + executable
          + "]";
    }
  }
}
