package org.crtrmotion.vm.board.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.crtrmotion.vm.board.Plic;
import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.LittleEndian;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.state.StateHasher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk over a read-only base image with a copy-on-write overlay. */
class VirtioBlkTest {
  private static final long HEADER = TestDriver.RAM + 0x40000;
  private static final long DATA = TestDriver.RAM + 0x42000;
  private static final long STATUS = TestDriver.RAM + 0x41000;
  private static final int DISK_BYTES = 64 * 1024;

  @TempDir Path dir;
  private Path file;
  private byte[] base;
  private DiskImage disk;
  private GuestMemory ram;
  private VirtioMmio dev;
  private TestDriver driver;

  @BeforeEach
  void setUp() throws Exception {
    base = new byte[DISK_BYTES];
    for (int i = 0; i < base.length; i++) {
      base[i] = (byte) (i * 7 + (i >>> 9));
    }
    file = dir.resolve("disk.img");
    Files.write(file, base);
    disk = DiskImage.open(file);
    ram = new GuestMemory(TestDriver.RAM, 1 << 20);
    dev = new VirtioMmio(7, ram, new Plic((irq, level) -> {}), new VirtioBlk(disk));
    driver = new TestDriver(ram, dev, 1).bringUp(VirtioMmio.F_VERSION_1 | VirtioBlk.F_FLUSH);
  }

  @AfterEach
  void tearDown() throws Exception {
    disk.close();
  }

  /** Submits one request and kicks; returns the status byte and checks the used length. */
  private int request(int type, long sector, byte[] out, int inBytes) {
    byte[] header = new byte[16];
    LittleEndian.putInt(header, 0, type);
    LittleEndian.putLong(header, 8, sector);
    ram.write(HEADER, header, 0, 16);
    ram.write(STATUS, new byte[] {(byte) 0xee}, 0, 1);
    if (out != null) {
      ram.write(DATA, out, 0, out.length);
      driver.submit(
          0,
          new TestDriver.Buf(HEADER, 16, false),
          new TestDriver.Buf(DATA, out.length, false),
          new TestDriver.Buf(STATUS, 1, true));
    } else if (inBytes > 0) {
      driver.submit(
          0,
          new TestDriver.Buf(HEADER, 16, false),
          new TestDriver.Buf(DATA, inBytes, true),
          new TestDriver.Buf(STATUS, 1, true));
    } else {
      driver.submit(0, new TestDriver.Buf(HEADER, 16, false), new TestDriver.Buf(STATUS, 1, true));
    }
    driver.kick(0);
    int[] used = driver.takeUsed(0);
    assertEquals(
        driver.bytes(STATUS, 1)[0] == VirtioBlk.S_OK ? (out == null ? inBytes : 0) + 1 : 1,
        used[1],
        "used length");
    return driver.bytes(STATUS, 1)[0];
  }

  @Test
  void capacityIsTheImageSizeInSectors() {
    assertEquals(DISK_BYTES / 512, dev.read(0x100, 4) | dev.read(0x104, 4) << 32);
    assertEquals(512, dev.read(0x100 + 20, 4));
  }

  @Test
  void readsTheBaseImage() {
    assertEquals(VirtioBlk.S_OK, request(VirtioBlk.T_IN, 3, null, 1024));
    assertArrayEquals(Arrays.copyOfRange(base, 3 * 512, 5 * 512), driver.bytes(DATA, 1024));
  }

  @Test
  void readsBackWhatWasWrittenWhileTheFileStaysUntouched() throws Exception {
    byte[] data = new byte[1536];
    Arrays.fill(data, (byte) 0x5a);
    assertEquals(VirtioBlk.S_OK, request(VirtioBlk.T_OUT, 7, data, 0));
    assertEquals(VirtioBlk.S_OK, request(VirtioBlk.T_IN, 6, null, 2560));
    byte[] back = driver.bytes(DATA, 2560);
    assertArrayEquals(Arrays.copyOfRange(base, 6 * 512, 7 * 512), Arrays.copyOf(back, 512));
    assertArrayEquals(data, Arrays.copyOfRange(back, 512, 2048));
    assertArrayEquals(
        Arrays.copyOfRange(base, 10 * 512, 11 * 512), Arrays.copyOfRange(back, 2048, 2560));
    assertArrayEquals(base, Files.readAllBytes(file));
    assertEquals(2, disk.overlayBlocks(), "sectors 7..9 straddle blocks 0 and 1");
  }

  @Test
  void anAccessPastTheEndIsAnIoError() {
    assertEquals(VirtioBlk.S_IOERR, request(VirtioBlk.T_IN, DISK_BYTES / 512 - 1, null, 1024));
  }

  @Test
  void flushSucceeds() {
    assertEquals(VirtioBlk.S_OK, request(VirtioBlk.T_FLUSH, 0, null, 0));
  }

  @Test
  void getIdNamesTheBaseImageByItsHash() {
    assertEquals(VirtioBlk.S_OK, request(VirtioBlk.T_GET_ID, 0, null, 20));
    String id = new String(driver.bytes(DATA, 20), StandardCharsets.US_ASCII);
    assertEquals(String.format("crtr-%016x", disk.baseHash()).substring(0, 20), id);
  }

  @Test
  void anUnknownRequestIsUnsupported() {
    assertEquals(VirtioBlk.S_UNSUPP, request(99, 0, null, 0));
  }

  @Test
  void theSameBytesHashAlikeAndOthersNot() throws Exception {
    try (DiskImage again = DiskImage.open(file)) {
      assertEquals(disk.baseHash(), again.baseHash());
    }
    base[100] ^= 1;
    Path other = dir.resolve("other.img");
    Files.write(other, base);
    try (DiskImage changed = DiskImage.open(other)) {
      assertNotEquals(disk.baseHash(), changed.baseHash());
    }
  }

  @Test
  void anImageNotMadeOfSectorsIsRefused() throws Exception {
    Path odd = dir.resolve("odd.img");
    Files.write(odd, new byte[1000]);
    Exception e = assertThrows(java.io.IOException.class, () -> DiskImage.open(odd));
    assertTrue(e.getMessage().contains("multiple of 512"), e.getMessage());
  }

  private static StateDigest digest(VirtioMmio d) {
    StateHasher h = new StateHasher();
    d.digestInto(h);
    return h.digest();
  }

  @Test
  void transportQueueAndOverlayRoundTripThroughSavedState() throws Exception {
    byte[] data = new byte[4096];
    Arrays.fill(data, (byte) 0x33);
    request(VirtioBlk.T_OUT, 16, data, 0);
    VirtioSlotState saved = VirtioSlotState.parseFrom(dev.save().toByteArray());
    try (DiskImage sameBase = DiskImage.open(file)) {
      GuestMemory otherRam = new GuestMemory(TestDriver.RAM, 1 << 20);
      VirtioMmio fresh =
          new VirtioMmio(7, otherRam, new Plic((irq, level) -> {}), new VirtioBlk(sameBase));
      fresh.restore(saved);
      assertEquals(digest(dev), digest(fresh));
      assertEquals(dev.save(), fresh.save());
      byte[] back = new byte[4096];
      sameBase.read(16 * 512, back, 0, 4096);
      assertArrayEquals(data, back);
    }
  }

  @Test
  void restoreRefusesAnOverlayTakenOverAnotherBase() throws Exception {
    request(VirtioBlk.T_OUT, 0, new byte[512], 0);
    VirtioSlotState saved = dev.save();
    VirtioMmio other =
        new VirtioMmio(
            7,
            new GuestMemory(TestDriver.RAM, 1 << 20),
            new Plic((irq, level) -> {}),
            new VirtioBlk(DiskImage.blank(DISK_BYTES)));
    Exception e = assertThrows(IllegalArgumentException.class, () -> other.restore(saved));
    assertTrue(e.getMessage().contains("base image"), e.getMessage());
  }

  @Test
  void overlayWritesChangeTheDigest() {
    StateDigest before = digest(dev);
    request(VirtioBlk.T_OUT, 0, new byte[512], 0);
    assertNotEquals(before, digest(dev));
  }
}
