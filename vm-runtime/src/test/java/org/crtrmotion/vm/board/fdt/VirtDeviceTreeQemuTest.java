package org.crtrmotion.vm.board.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crtrmotion.vm.board.fdt.VirtDeviceTree.Spec;
import org.crtrmotion.vm.loader.HostTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our tree against the one QEMU 7.2 builds for the same board. Skipped where QEMU or the device
 * tree tools are not installed.
 */
class VirtDeviceTreeQemuTest {
  private static final long RAM_BASE = 0x8000_0000L;
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  @BeforeEach
  void needsQemuAndDeviceTreeTools() {
    HostTools.assumeInstalled(HostTools.QEMU, HostTools.DTC, DeviceTreeTools.FDTPUT);
  }

  @ParameterizedTest(name = "{0} MiB")
  @ValueSource(longs = {128, 4096})
  void matchesQemusTreeLessTheDevicesWeDoNotEmulate(long ramMib) throws Exception {
    Path qemu = DeviceTreeTools.withoutUnemulated(dir, DeviceTreeTools.qemuTree(dir, ramMib + "M"));

    byte[] ours = VirtDeviceTree.build(Spec.of(RAM_BASE, ramMib * MIB));

    assertEquals(
        DeviceTreeTools.decompile(dir, qemu).source(),
        DeviceTreeTools.decompile(dir, ours).source());
  }

  @Test
  void matchesQemusTreeWithCommandLineAndInitrd() throws Exception {
    // A raw kernel lands at the start of RAM; QEMU puts the initrd min(RAM / 2, 128 MiB) above it.
    Path kernel = Files.write(dir.resolve("kernel.bin"), new byte[] {0x6f, 0, 0, 0});
    Path initrd = Files.write(dir.resolve("initrd.img"), new byte[3000]);
    String bootargs = "console=ttyS0 root=/dev/ram rdinit=/init";
    Path qemu =
        DeviceTreeTools.withoutUnemulated(
            dir,
            DeviceTreeTools.qemuTree(
                dir,
                "128M",
                "-kernel",
                kernel.toString(),
                "-append",
                bootargs,
                "-initrd",
                initrd.toString()));

    long initrdStart = RAM_BASE + 64 * MIB;
    byte[] ours =
        VirtDeviceTree.build(
            Spec.of(RAM_BASE, 128 * MIB)
                .withBootargs(bootargs)
                .withInitrd(initrdStart, initrdStart + 3000));

    assertEquals(
        DeviceTreeTools.decompile(dir, qemu).source(),
        DeviceTreeTools.decompile(dir, ours).source());
  }

  /**
   * QEMU describes all eight virtio-mmio transports whatever is plugged into them (a driver reads
   * the device id), so a board with a disk and a NIC has the tree of one without.
   */
  @Test
  void matchesQemusTreeWithVirtioBlkAndNetPlugged() throws Exception {
    Path disk = Files.write(dir.resolve("disk.img"), new byte[4096]);
    Path qemu =
        DeviceTreeTools.withoutUnemulated(
            dir,
            DeviceTreeTools.qemuTree(
                dir,
                "128M",
                "-drive",
                "file=" + disk + ",if=none,format=raw,id=d",
                "-device",
                "virtio-blk-device,drive=d",
                "-netdev",
                "user,id=n",
                "-device",
                "virtio-net-device,netdev=n"));

    byte[] ours = VirtDeviceTree.build(Spec.of(RAM_BASE, 128 * MIB));

    assertEquals(
        DeviceTreeTools.decompile(dir, qemu).source(),
        DeviceTreeTools.decompile(dir, ours).source());
  }

  @Test
  void qemusOwnTreeEarnsTheDtcWarningWeAllowOurs() throws Exception {
    DeviceTreeTools.Decompiled qemu =
        DeviceTreeTools.decompile(dir, DeviceTreeTools.qemuTree(dir, "128M"));

    assertTrue(
        qemu.warnings().contains(VirtDeviceTreeDtcTest.QEMU_WARNING), qemu.warnings().toString());
  }

  @Test
  void ourTreeDrawsNoDtcWarningThatQemusDoesNot() throws Exception {
    DeviceTreeTools.Decompiled qemu =
        DeviceTreeTools.decompile(dir, DeviceTreeTools.qemuTree(dir, "128M"));
    DeviceTreeTools.Decompiled ours =
        DeviceTreeTools.decompile(dir, VirtDeviceTree.build(Spec.of(RAM_BASE, 128 * MIB)));

    assertTrue(
        qemu.warnings().containsAll(ours.warnings()),
        ours.warnings() + " vs QEMU's " + qemu.warnings());
  }

  /** RAM sizes in KiB: the brief's three, plus two where QEMU's 1 MiB reservation shows. */
  @ParameterizedTest(name = "{0} KiB")
  @ValueSource(longs = {128 * 1024, 256 * 1024, 4096 * 1024, 128 * 1024 + 512, 129 * 1024})
  void fdtAddressIsWhereQemuTellsTheGuestTheTreeIs(long ramKib) throws Exception {
    HostTools.assumeInstalled(HostTools.GCC);
    Path probe = buildProbe();
    HostTools.Result run =
        HostTools.check(
            dir,
            HostTools.QEMU,
            "-M",
            "virt",
            "-m",
            ramKib + "K",
            "-bios",
            "none",
            "-nographic",
            "-kernel",
            probe.toString());
    long a1 = Long.parseUnsignedLong(run.stdout().trim(), 16);
    int blobSize = VirtDeviceTree.build(Spec.of(RAM_BASE, ramKib * KIB)).length;

    assertEquals(
        Long.toHexString(a1),
        Long.toHexString(VirtDeviceTree.fdtAddress(RAM_BASE, ramKib * KIB, blobSize)));
  }

  private Path buildProbe() throws Exception {
    Path source = HostTools.resource(getClass(), "fdt-address-probe.S", dir);
    Path elf = dir.resolve("probe.elf");
    Path bin = dir.resolve("probe.bin");
    HostTools.check(
        dir,
        HostTools.GCC,
        "-march=rv64gc",
        "-mabi=lp64d",
        "-nostdlib",
        "-nostartfiles",
        "-Wl,-Ttext=0x80000000",
        "-o",
        elf.toString(),
        source.toString());
    HostTools.check(
        dir, "riscv64-unknown-elf-objcopy", "-O", "binary", elf.toString(), bin.toString());
    return bin;
  }
}
