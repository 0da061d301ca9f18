package org.crtrmotion.vm.board.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * QEMU 7.2's riscv_load_fdt rule, worked out by hand; {@link VirtDeviceTreeQemuTest} asks QEMU
 * itself.
 */
class FdtAddressTest {
  private static final long RAM_BASE = 0x8000_0000L;
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long SMALL_BLOB = 0x1000;

  @Test
  void treeSitsTwoMibibytesBelowTheEndOf128MibibytesOfRam() {
    assertEquals(0x87e0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 128 * MIB, SMALL_BLOB));
  }

  @Test
  void treeSitsTwoMibibytesBelowTheEndOf256MibibytesOfRam() {
    assertEquals(0x8fe0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 256 * MIB, SMALL_BLOB));
  }

  @Test
  void treeStaysBelowThreeGibibytesWhenRamReachesHigher() {
    assertEquals(0xbfe0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 4096 * MIB, SMALL_BLOB));
    assertEquals(0xbfe0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 2049 * MIB, SMALL_BLOB));
  }

  @Test
  void treeReservesQemusWholeMibibyteBufferNotJustTheBlob() {
    // RAM ends at 0x8808_0000: a 4 KiB blob alone would fit at 0x8800_0000, QEMU's 1 MiB does not.
    assertEquals(
        0x87e0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 128 * MIB + 512 * KIB, SMALL_BLOB));
    assertEquals(0x8800_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 129 * MIB, SMALL_BLOB));
  }

  @Test
  void blobLargerThanQemusBufferStillFitsBelowTheTop() {
    assertEquals(0x87c0_0000L, VirtDeviceTree.fdtAddress(RAM_BASE, 128 * MIB, 3 * MIB));
  }

  @Test
  void ramStartingAboveThreeGibibytesIsNotCapped() {
    assertEquals(0x1_07e0_0000L, VirtDeviceTree.fdtAddress(0x1_0000_0000L, 128 * MIB, SMALL_BLOB));
  }

  @Test
  void ramTooSmallForTheTreeIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> VirtDeviceTree.fdtAddress(RAM_BASE, 512 * KIB, SMALL_BLOB));
    // 1.5 MiB holds 1 MiB, but no 2 MiB boundary inside RAM leaves room for it.
    assertThrows(
        IllegalArgumentException.class,
        () -> VirtDeviceTree.fdtAddress(RAM_BASE + MIB, 1536 * KIB, SMALL_BLOB));
  }
}
