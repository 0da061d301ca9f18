package org.crtrmotion.vm.board.fdt;

import java.nio.ByteBuffer;

/**
 * Puts the blob together in the order dtc and libfdt use: header, memory reservation map (8-byte
 * aligned), structure block (4-byte aligned), strings block. No padding at the end: {@code
 * totalsize} is exactly the bytes a guest must keep.
 */
final class FdtLayout {
  private static final int RESERVATION_ENTRY_SIZE = 16;

  private FdtLayout() {}

  static byte[] assemble(byte[] structure, byte[] strings) {
    int reservations = FdtWriter.HEADER_SIZE; // already 8-byte aligned
    int structureOffset = reservations + RESERVATION_ENTRY_SIZE; // only the terminating entry
    int stringsOffset = structureOffset + structure.length;
    int total = stringsOffset + strings.length;
    ByteBuffer blob = ByteBuffer.allocate(total); // big-endian, zero-filled
    blob.putInt(FdtWriter.MAGIC)
        .putInt(total)
        .putInt(structureOffset)
        .putInt(stringsOffset)
        .putInt(reservations)
        .putInt(FdtWriter.VERSION)
        .putInt(FdtWriter.LAST_COMPATIBLE_VERSION)
        .putInt(0) // boot_cpuid_phys: hart 0 boots
        .putInt(strings.length)
        .putInt(structure.length);
    blob.put(structureOffset, structure);
    blob.put(stringsOffset, strings);
    return blob.array();
  }
}
