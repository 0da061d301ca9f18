package org.crtrmotion.vm.board.virtio;

import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.LittleEndian;

/**
 * A virtio driver written in Java for the tests: brings a transport up as §3.1.1 says, lays its
 * queues out in guest memory and submits descriptor chains the way a guest driver would.
 */
final class TestDriver {
  static final long RAM = 0x8000_0000L;
  static final int QUEUE_SIZE = 8;

  final GuestMemory ram;
  final VirtioMmio dev;
  private final long[] area; // per queue: descriptor table; the rings follow
  private final int[] nextDesc;
  private final int[] availIdx;
  private final int[] usedSeen;

  private final long base; // where the queues start

  TestDriver(GuestMemory ram, VirtioMmio dev, int queues) {
    this(ram, dev, queues, RAM);
  }

  /** Queues laid out from {@code base} on, clear of a guest image at the start of RAM. */
  TestDriver(GuestMemory ram, VirtioMmio dev, int queues, long base) {
    this.base = base;
    this.ram = ram;
    this.dev = dev;
    area = new long[queues];
    nextDesc = new int[queues];
    availIdx = new int[queues];
    usedSeen = new int[queues];
  }

  int reg(int offset) {
    return (int) dev.read(offset, 4);
  }

  void reg(int offset, long value) {
    dev.write(offset, 4, value);
  }

  /** Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK. */
  TestDriver bringUp(long features) {
    return bringUp(features, true);
  }

  TestDriver bringUp(long features, boolean driverOk) {
    reg(0x070, 0);
    reg(0x070, 1);
    reg(0x070, 3);
    reg(0x024, 0);
    reg(0x020, features);
    reg(0x024, 1);
    reg(0x020, features >>> 32);
    reg(0x070, 3 | 8);
    for (int q = 0; q < area.length; q++) {
      area[q] = base + 0x10000L * (q + 1);
      reg(0x030, q);
      reg(0x038, QUEUE_SIZE);
      reg(0x080, area[q]);
      reg(0x084, area[q] >>> 32);
      reg(0x090, avail(q));
      reg(0x094, avail(q) >>> 32);
      reg(0x0a0, used(q));
      reg(0x0a4, used(q) >>> 32);
      reg(0x044, 1);
    }
    if (driverOk) {
      reg(0x070, 3 | 8 | 4);
    }
    return this;
  }

  private long avail(int q) {
    return area[q] + 16L * QUEUE_SIZE;
  }

  private long used(int q) {
    return area[q] + 0x1000;
  }

  /** A buffer: guest address, length, device-writable or not. */
  record Buf(long address, int length, boolean writable) {}

  /** Puts a chain of {@code bufs} on queue {@code q}'s available ring; returns its head. */
  int submit(int q, Buf... bufs) {
    int head = nextDesc[q];
    for (int i = 0; i < bufs.length; i++) {
      int d = (head + i) % QUEUE_SIZE;
      byte[] e = new byte[16];
      LittleEndian.putLong(e, 0, bufs[i].address());
      LittleEndian.putInt(e, 8, bufs[i].length());
      int flags = (bufs[i].writable() ? 2 : 0) | (i + 1 < bufs.length ? 1 : 0);
      LittleEndian.putShort(e, 12, (short) flags);
      LittleEndian.putShort(e, 14, (short) ((d + 1) % QUEUE_SIZE));
      ram.write(area[q] + 16L * d, e, 0, 16);
    }
    nextDesc[q] = (head + bufs.length) % QUEUE_SIZE;
    putU16(avail(q) + 4 + 2L * (availIdx[q] % QUEUE_SIZE), head);
    availIdx[q] = (availIdx[q] + 1) & 0xffff;
    putU16(avail(q) + 2, availIdx[q]);
    return head;
  }

  /** Writes a raw descriptor (for malformed-chain tests). */
  void rawDescriptor(int q, int index, long address, int length, int flags, int next) {
    byte[] e = new byte[16];
    LittleEndian.putLong(e, 0, address);
    LittleEndian.putInt(e, 8, length);
    LittleEndian.putShort(e, 12, (short) flags);
    LittleEndian.putShort(e, 14, (short) next);
    ram.write(area[q] + 16L * index, e, 0, 16);
  }

  /** Makes descriptor {@code head} available without writing descriptors. */
  void offer(int q, int head) {
    putU16(avail(q) + 4 + 2L * (availIdx[q] % QUEUE_SIZE), head);
    availIdx[q] = (availIdx[q] + 1) & 0xffff;
    putU16(avail(q) + 2, availIdx[q]);
  }

  void kick(int q) {
    reg(0x050, q);
  }

  /** The used ring's index. */
  int usedIdx(int q) {
    return getU16(used(q) + 2);
  }

  /** The next used element {id, len} not yet seen, or null. */
  int[] takeUsed(int q) {
    if (usedSeen[q] == usedIdx(q)) {
      return null;
    }
    long e = used(q) + 4 + 8L * (usedSeen[q] % QUEUE_SIZE);
    usedSeen[q] = (usedSeen[q] + 1) & 0xffff;
    return new int[] {(int) ram.readLong(e), (int) (ram.readLong(e) >>> 32)};
  }

  void suppressInterrupts(int q, boolean suppress) {
    putU16(avail(q), suppress ? 1 : 0);
  }

  byte[] bytes(long address, int length) {
    byte[] b = new byte[length];
    ram.read(address, b, 0, length);
    return b;
  }

  private void putU16(long address, int v) {
    byte[] b = new byte[2];
    LittleEndian.putShort(b, 0, (short) v);
    ram.write(address, b, 0, 2);
  }

  private int getU16(long address) {
    byte[] b = new byte[2];
    ram.read(address, b, 0, 2);
    return LittleEndian.getShort(b, 0) & 0xffff;
  }
}
