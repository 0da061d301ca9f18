package org.crtrmotion.vm.board.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crtrmotion.vm.board.Plic;
import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.net.FramePair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * virtio-net: MAC in config space, transmit to the machine's output, receive into posted buffers.
 */
class VirtioNetTest {
  private static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  private static final long BUF = TestDriver.RAM + 0x50000;

  private final List<byte[]> sent = new ArrayList<>();
  private GuestMemory ram;
  private VirtioNet net;
  private TestDriver driver;

  @BeforeEach
  void setUp() {
    ram = new GuestMemory(TestDriver.RAM, 1 << 20);
    net = new VirtioNet(MAC, FramePair.create().a(), (device, frame) -> sent.add(frame));
    VirtioMmio dev = new VirtioMmio(7, ram, new Plic((irq, level) -> {}), net);
    driver = new TestDriver(ram, dev, 2).bringUp(VirtioMmio.F_VERSION_1 | VirtioNet.F_MAC);
  }

  private static byte[] frame(int length, int seed) {
    byte[] f = new byte[length];
    for (int i = 0; i < length; i++) {
      f[i] = (byte) (seed + i);
    }
    return f;
  }

  @Test
  void theMacIsInConfigSpace() {
    for (int i = 0; i < 6; i++) {
      assertEquals(MAC[i] & 0xff, driver.dev.read(0x100 + i, 1));
    }
    assertEquals(VirtioNet.DEVICE_ID, driver.reg(0x008));
  }

  @Test
  void aTransmittedFrameReachesTheOutputWithoutItsHeader() {
    byte[] f = frame(60, 3);
    ram.write(BUF, new byte[12], 0, 12);
    ram.write(BUF + 12, f, 0, f.length);
    int head = driver.submit(VirtioNet.TX, new TestDriver.Buf(BUF, 72, false));
    driver.kick(VirtioNet.TX);
    assertEquals(1, sent.size());
    assertArrayEquals(f, sent.get(0));
    assertArrayEquals(new int[] {head, 0}, driver.takeUsed(VirtioNet.TX));
  }

  @Test
  void noFrameIsTakenWithoutAPostedBuffer() {
    assertFalse(net.canReceive());
    driver.submit(VirtioNet.RX, new TestDriver.Buf(BUF, 1526, true));
    assertTrue(net.canReceive());
  }

  @Test
  void aReceivedFrameLandsAfterTheHeaderAndInterrupts() {
    int head = driver.submit(VirtioNet.RX, new TestDriver.Buf(BUF, 1526, true));
    byte[] f = frame(100, 9);
    net.receive(f);
    assertArrayEquals(new int[] {head, 112}, driver.takeUsed(VirtioNet.RX));
    byte[] header = driver.bytes(BUF, 12);
    assertEquals(1, header[10], "num_buffers");
    assertArrayEquals(f, driver.bytes(BUF + 12, 100));
    assertEquals(1, driver.reg(0x060));
  }

  @Test
  void aFrameLargerThanTheBufferIsDroppedAndTheBufferReturned() {
    int head = driver.submit(VirtioNet.RX, new TestDriver.Buf(BUF, 64, true));
    net.receive(frame(100, 1));
    assertArrayEquals(new int[] {head, 0}, driver.takeUsed(VirtioNet.RX));
    assertEquals(1, net.droppedTooLarge());
  }

  @Test
  void stateRoundTripsAndRefusesAnotherMac() throws Exception {
    driver.submit(VirtioNet.RX, new TestDriver.Buf(BUF, 1526, true));
    net.receive(frame(80, 2));
    VirtioSlotState saved = VirtioSlotState.parseFrom(driver.dev.save().toByteArray());
    VirtioMmio fresh =
        new VirtioMmio(
            7,
            new GuestMemory(TestDriver.RAM, 1 << 20),
            new Plic((irq, level) -> {}),
            new VirtioNet(MAC, FramePair.create().a(), (d, f) -> {}));
    fresh.restore(saved);
    assertEquals(driver.dev.save(), fresh.save());
    byte[] otherMac = Arrays.copyOf(MAC, 6);
    otherMac[5] = 0x57;
    VirtioMmio other =
        new VirtioMmio(
            7,
            new GuestMemory(TestDriver.RAM, 1 << 20),
            new Plic((irq, level) -> {}),
            new VirtioNet(otherMac, FramePair.create().a(), (d, f) -> {}));
    assertThrows(IllegalArgumentException.class, () -> other.restore(saved));
  }
}
