package org.crtrmotion.vm.board.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crtrmotion.vm.board.Plic;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.LittleEndian;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The virtio-mmio registers and the split virtqueue, driven as a guest driver would. */
class VirtioMmioTest {
  private static final int SLOT = 7;
  private static final long REQ = TestDriver.RAM + 0x40000;
  private static final long STATUS = TestDriver.RAM + 0x41000;

  private GuestMemory ram;
  private Plic plic;
  private VirtioMmio dev;
  private TestDriver driver;

  @BeforeEach
  void setUp() {
    ram = new GuestMemory(TestDriver.RAM, 1 << 20);
    plic = new Plic((irq, level) -> {});
    dev = new VirtioMmio(SLOT, ram, plic, new VirtioBlk(DiskImage.blank(1 << 16)));
    driver = new TestDriver(ram, dev, 1);
  }

  private boolean linePending() {
    return (plic.read(0x1000, 4) & (1L << dev.irq())) != 0;
  }

  /** A flush request: header, then the status byte. */
  private int submitFlush() {
    byte[] header = new byte[16];
    LittleEndian.putInt(header, 0, VirtioBlk.T_FLUSH);
    ram.write(REQ, header, 0, 16);
    return driver.submit(
        0, new TestDriver.Buf(REQ, 16, false), new TestDriver.Buf(STATUS, 1, true));
  }

  @Test
  void identifiesAsAModernDeviceOfItsKind() {
    assertEquals(0x74726976, driver.reg(0x000));
    assertEquals(2, driver.reg(0x004));
    assertEquals(VirtioBlk.DEVICE_ID, driver.reg(0x008));
    assertEquals(0x554d4551, driver.reg(0x00c));
    driver.reg(0x014, 1);
    assertEquals(1, driver.reg(0x010), "VIRTIO_F_VERSION_1 is bit 32");
    driver.reg(0x014, 0);
    assertEquals((int) (VirtioBlk.F_BLK_SIZE | VirtioBlk.F_FLUSH), driver.reg(0x010));
  }

  @Test
  void refusesFeaturesOkWithoutVersion1() {
    driver.reg(0x070, 3);
    driver.reg(0x020, VirtioBlk.F_FLUSH);
    driver.reg(0x070, 3 | 8);
    assertEquals(3, driver.reg(0x070));
  }

  @Test
  void refusesFeaturesOkWithAFeatureNotOffered() {
    driver.reg(0x070, 3);
    driver.reg(0x024, 1);
    driver.reg(0x020, 1 | 2); // VERSION_1 and bit 33, which is not offered
    driver.reg(0x070, 3 | 8);
    assertEquals(3, driver.reg(0x070));
  }

  @Test
  void reportsTheQueueSizeItTakesAndTheAddressesSet() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    driver.reg(0x030, 0);
    assertEquals(256, driver.reg(0x034));
    assertEquals(TestDriver.QUEUE_SIZE, driver.reg(0x038));
    assertEquals(1, driver.reg(0x044));
    assertEquals((int) (TestDriver.RAM + 0x10000), driver.reg(0x080));
    driver.reg(0x030, 1);
    assertEquals(0, driver.reg(0x034), "a queue the device does not have");
  }

  @Test
  void notifyCompletesTheChainAtOnceAndRaisesTheSlotsLine() {
    driver.bringUp(VirtioMmio.F_VERSION_1 | VirtioBlk.F_FLUSH);
    ram.write(STATUS, new byte[] {(byte) 0xff}, 0, 1);
    int head = submitFlush();
    assertFalse(linePending());
    driver.kick(0);
    assertArrayEquals(new int[] {head, 1}, driver.takeUsed(0));
    assertEquals(VirtioBlk.S_OK, driver.bytes(STATUS, 1)[0]);
    assertEquals(1, driver.reg(0x060));
    assertTrue(linePending(), "PLIC source " + dev.irq());
  }

  @Test
  void acknowledgingLowersTheLine() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    submitFlush();
    driver.kick(0);
    driver.reg(0x064, 1);
    assertEquals(0, driver.reg(0x060));
    assertFalse(linePending());
  }

  @Test
  void noInterruptWhenTheDriverSuppressesThem() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    driver.suppressInterrupts(0, true);
    submitFlush();
    driver.kick(0);
    assertNotNull(driver.takeUsed(0));
    assertFalse(linePending());
  }

  @Test
  void notifyBeforeDriverOkDoesNothing() {
    driver.bringUp(VirtioMmio.F_VERSION_1, false);
    submitFlush();
    driver.kick(0);
    assertNull(driver.takeUsed(0));
  }

  @Test
  void writingStatusZeroResetsQueuesAndInterrupts() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    submitFlush();
    driver.kick(0);
    driver.reg(0x070, 0);
    assertEquals(0, driver.reg(0x070));
    assertEquals(0, driver.reg(0x060));
    assertFalse(linePending());
    driver.reg(0x030, 0);
    assertEquals(0, driver.reg(0x044));
    assertEquals(0, driver.reg(0x080));
  }

  @Test
  void aLoopingChainAsksForAResetInsteadOfSpinning() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    driver.rawDescriptor(0, 0, REQ, 16, Virtqueue.DESC_F_NEXT, 1);
    driver.rawDescriptor(0, 1, REQ, 16, Virtqueue.DESC_F_NEXT, 0);
    driver.offer(0, 0);
    driver.kick(0);
    assertEquals(64, driver.reg(0x070) & 64, "DEVICE_NEEDS_RESET");
    assertEquals(2, driver.reg(0x060), "configuration change interrupt");
    assertTrue(dev.lastError().contains("loops"), dev.lastError());
  }

  @Test
  void anIndirectDescriptorIsRefusedAsNotOffered() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    driver.rawDescriptor(0, 0, REQ, 16, Virtqueue.DESC_F_INDIRECT, 0);
    driver.offer(0, 0);
    driver.kick(0);
    assertEquals(64, driver.reg(0x070) & 64);
    assertTrue(dev.lastError().contains("indirect"), dev.lastError());
  }

  @Test
  void aBufferOutsideRamAsksForAReset() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    driver.rawDescriptor(0, 0, 0x1000, 16, 0, 0);
    driver.offer(0, 0);
    driver.kick(0);
    assertEquals(64, driver.reg(0x070) & 64);
    assertTrue(dev.lastError().contains("outside RAM"), dev.lastError());
  }

  @Test
  void deviceWritesMarkTheirPagesDirty() {
    driver.bringUp(VirtioMmio.F_VERSION_1);
    submitFlush();
    ram.collectDirty();
    driver.kick(0);
    assertTrue(ram.isDirty(ram.pageIndex(STATUS)), "the status byte's page");
    assertTrue(ram.isDirty(ram.pageIndex(TestDriver.RAM + 0x11000)), "the used ring's page");
  }

  @Test
  void configSpaceTakesNarrowReadsButRegistersOnlyWords() {
    assertTrue(dev.accepts(0x100, 1));
    assertTrue(dev.accepts(0x102, 2));
    assertFalse(dev.accepts(0x101, 2));
    assertFalse(dev.accepts(0x070, 1));
  }
}
