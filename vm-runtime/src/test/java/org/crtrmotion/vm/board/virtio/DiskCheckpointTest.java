package org.crtrmotion.vm.board.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.crtrmotion.vm.board.EmptyVirtioSlot;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointFormatException;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.checkpoint.proto.OverlayBlock;
import org.crtrmotion.vm.checkpoint.proto.VirtioBlkState;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.memory.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine with a disk: the overlay and the transport travel in its checkpoint. */
class DiskCheckpointTest {
  @TempDir Path dir;

  private Machine boot(DiskImage disk) throws Exception {
    return Machine.boot(
        MachineConfig.defaults().withRamBytes(8L << 20),
        new org.crtrmotion.vm.machine.BootPlan.BareMetal(
            ElfLoader.read(Path.of("../native/guests/images/idle.elf"))),
        b -> {},
        VirtioAttachments.of(new VirtioAttachments.Disk(disk)));
  }

  private Path image() throws Exception {
    byte[] base = new byte[32 * 1024];
    Arrays.fill(base, (byte) 0x11);
    Path file = dir.resolve("base.img");
    Files.write(file, base);
    return file;
  }

  /** Writes one sector through the machine's own transport, as a guest driver would. */
  private static void writeSector(Machine m, long sector, byte fill) {
    VirtioMmio slot = m.board().virtio.get(0);
    TestDriver driver = new TestDriver(m.board().ram, slot, 1).bringUp(VirtioMmio.F_VERSION_1);
    long header = TestDriver.RAM + 0x60000;
    byte[] h = new byte[16];
    LittleEndian.putInt(h, 0, VirtioBlk.T_OUT);
    LittleEndian.putLong(h, 8, sector);
    m.board().ram.write(header, h, 0, 16);
    byte[] data = new byte[512];
    Arrays.fill(data, fill);
    m.board().ram.write(header + 512, data, 0, 512);
    driver.submit(
        0,
        new TestDriver.Buf(header, 16, false),
        new TestDriver.Buf(header + 512, 512, false),
        new TestDriver.Buf(header + 1024, 1, true));
    driver.kick(0);
  }

  private static byte[] stream(Machine m) throws Exception {
    return bytes(m.checkpoint());
  }

  private static byte[] bytes(Checkpoint c) throws Exception {
    try (c) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CheckpointWriter.write(c, out);
      return out.toByteArray();
    }
  }

  /** Fills whole 4 KiB blocks of the disk with one byte each, as the guest's writes would. */
  private static void writeBlocks(DiskImage disk, int from, int count, int fill) {
    byte[] block = new byte[DiskImage.BLOCK];
    for (int b = from; b < from + count; b++) {
      Arrays.fill(block, (byte) (fill + b));
      disk.write((long) b * DiskImage.BLOCK, block, 0, block.length);
    }
  }

  private static Machine restoreOver(byte[] stream, DiskImage disk) throws Exception {
    return CheckpointReader.restore(
        new ByteArrayInputStream(stream),
        null,
        c -> {},
        VirtioAttachments.of(new VirtioAttachments.Disk(disk)));
  }

  private Path zeroImage() throws Exception {
    Path file = dir.resolve("zero.img");
    Files.write(file, new byte[1 << 20]);
    return file;
  }

  @Test
  void anIncrementalCheckpointCarriesOnlyTheOverlayBlocksWrittenSinceItsBase() throws Exception {
    try (DiskImage disk = DiskImage.open(zeroImage())) {
      Machine m = boot(disk);
      writeBlocks(disk, 0, 100, 1);
      int base;
      try (Checkpoint full = m.checkpoint()) {
        assertEquals(100, full.state().getVirtio(0).getBlk().getOverlayCount());
        base = full.generation();
      }
      writeBlocks(disk, 50, 1, 9); // rewrites a block the base has
      writeBlocks(disk, 200, 2, 9); // and two it has not
      try (Checkpoint delta = m.checkpointSince(base)) {
        VirtioBlkState blk = delta.state().getVirtio(0).getBlk();
        assertEquals(
            List.of(50L, 200L, 201L),
            blk.getOverlayList().stream().map(OverlayBlock::getIndex).toList());
        assertEquals(base, blk.getOverlaySince());
        assertEquals(102, blk.getOverlayTotal());
      }
    }
  }

  @Test
  void aFullCheckpointAndItsDeltasRestoreTheSourceDiskExactly() throws Exception {
    Path file = zeroImage();
    try (DiskImage disk = DiskImage.open(file);
        DiskImage copy = DiskImage.open(file)) {
      Machine m = boot(disk);
      m.run(5_000);
      writeBlocks(disk, 0, 30, 1);
      Checkpoint full = m.checkpoint();
      int generation = full.generation();
      Machine r = restoreOver(bytes(full), copy);
      for (int round = 0; round < 3; round++) {
        m.run(5_000);
        writeBlocks(disk, 10 * round, 20, 40 + round); // rewrites and new blocks
        writeSector(m, 100 + round, (byte) round); // and a write through the transport
        Checkpoint delta = m.checkpointSince(generation);
        generation = delta.generation();
        CheckpointReader.applyIncremental(new ByteArrayInputStream(bytes(delta)), r);
        assertEquals(m.digest(), r.digest(), "after round " + round);
      }
      assertEquals(disk.overlayBlocks(), copy.overlayBlocks());
    }
  }

  @Test
  void aDeltaAppliedWithoutTheOneBeforeItIsRefusedNamingTheGenerations() throws Exception {
    Path file = zeroImage();
    try (DiskImage disk = DiskImage.open(file);
        DiskImage copy = DiskImage.open(file)) {
      Machine m = boot(disk);
      writeBlocks(disk, 0, 3, 1);
      Checkpoint full = m.checkpoint();
      Machine r = restoreOver(bytes(full), copy);
      writeBlocks(disk, 0, 1, 7); // only in the skipped delta: a rewrite, the count stays
      Checkpoint skipped = m.checkpointSince(full.generation());
      writeBlocks(disk, 2, 1, 8);
      byte[] next = bytes(m.checkpointSince(skipped.generation()));
      skipped.close();
      CheckpointFormatException e =
          assertThrows(
              CheckpointFormatException.class,
              () -> CheckpointReader.applyIncremental(new ByteArrayInputStream(next), r));
      assertTrue(
          e.getMessage().contains("since generation " + skipped.generation()), e.getMessage());
      assertTrue(e.getMessage().contains("not applied"), e.getMessage());
    }
  }

  @Test
  void theFirstDeviceTakesTheHighestSlotAsInQemu() throws Exception {
    try (DiskImage disk = DiskImage.open(image())) {
      Machine m = boot(disk);
      VirtioMmio slot = m.board().virtio.get(0);
      assertEquals(EmptyVirtioSlot.COUNT - 1, slot.slot());
      assertEquals(0x1000_8000L, VirtioMmio.base(slot.slot()));
      assertEquals(8, slot.irq());
      assertEquals(2L, m.board().bus.read(0x1000_8008L, 4));
      assertEquals(0L, m.board().bus.read(0x1000_1008L, 4), "the other slots stay empty");
    }
  }

  @Test
  void aRestoredMachineHasTheSameDigestAndDiskContents() throws Exception {
    Path file = image();
    try (DiskImage disk = DiskImage.open(file);
        DiskImage sameBase = DiskImage.open(file)) {
      Machine m = boot(disk);
      m.run(10_000);
      writeSector(m, 5, (byte) 0x77);
      byte[] bytes = stream(m);
      Machine r =
          CheckpointReader.restore(
              new ByteArrayInputStream(bytes),
              null,
              b -> {},
              VirtioAttachments.of(new VirtioAttachments.Disk(sameBase)));
      assertEquals(m.digest(), r.digest());
      byte[] back = new byte[512];
      sameBase.read(5 * 512, back, 0, 512);
      byte[] expected = new byte[512];
      Arrays.fill(expected, (byte) 0x77);
      assertArrayEquals(expected, back);
    }
  }

  @Test
  void anOverlayOfMoreThanAMebibyteTravelsInTheStream() throws Exception {
    byte[] base = new byte[4 << 20];
    Path file = dir.resolve("big.img");
    Files.write(file, base);
    try (DiskImage disk = DiskImage.open(file);
        DiskImage sameBase = DiskImage.open(file)) {
      Machine m = boot(disk);
      byte[] block = new byte[DiskImage.BLOCK];
      for (int b = 0; b < 400; b++) {
        Arrays.fill(block, (byte) b);
        disk.write((long) b * DiskImage.BLOCK, block, 0, block.length);
      }
      Machine r =
          CheckpointReader.restore(
              new ByteArrayInputStream(stream(m)),
              null,
              c -> {},
              VirtioAttachments.of(new VirtioAttachments.Disk(sameBase)));
      assertEquals(400, sameBase.overlayBlocks());
      assertEquals(m.digest(), r.digest());
    }
  }

  @Test
  void aRestoreOverAnotherBaseImageIsRefusedNamingIt() throws Exception {
    try (DiskImage disk = DiskImage.open(image())) {
      Machine m = boot(disk);
      writeSector(m, 0, (byte) 1);
      byte[] bytes = stream(m);
      Exception e =
          assertThrows(
              CheckpointFormatException.class,
              () ->
                  CheckpointReader.restore(
                      new ByteArrayInputStream(bytes),
                      null,
                      b -> {},
                      VirtioAttachments.of(
                          new VirtioAttachments.Disk(DiskImage.blank(32 * 1024)))));
      assertTrue(e.getMessage().contains("base image"), e.getMessage());
    }
  }

  @Test
  void aRestoreWithoutTheDiskIsRefused() throws Exception {
    try (DiskImage disk = DiskImage.open(image())) {
      byte[] bytes = stream(boot(disk));
      Exception e =
          assertThrows(
              CheckpointFormatException.class,
              () -> CheckpointReader.restore(new ByteArrayInputStream(bytes), null, b -> {}));
      assertTrue(e.getMessage().contains("virtio devices"), e.getMessage());
    }
  }
}
