package org.crtrmotion.vm.board.virtio;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.checkpoint.proto.VirtqueueState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.LittleEndian;
import org.crtrmotion.vm.state.StateHasher;

/**
 * One split virtqueue (virtio 1.x §2.7): the driver's descriptor table and available ring, the
 * device's used ring, all in guest memory. The device side only: it takes chains the driver made
 * available and hands them back through the used ring. Indirect descriptors are not offered, so a
 * descriptor asking for one is a driver error. Used-ring writes go through {@link
 * GuestMemory#write}, which marks the pages dirty like a guest store.
 */
public final class Virtqueue {
  static final int DESC_F_NEXT = 1;
  static final int DESC_F_WRITE = 2;
  static final int DESC_F_INDIRECT = 4;
  static final int AVAIL_F_NO_INTERRUPT = 1;

  private final GuestMemory ram;
  private final int maxSize;
  int size; // entries, set by the driver (QueueNum); 0 = not set
  boolean ready; // QueueReady
  long desc; // descriptor table address
  long driver; // available ring address
  long device; // used ring address
  private int lastAvail; // available entries taken, modulo 2^16
  private int usedIdx; // used entries written, modulo 2^16

  Virtqueue(GuestMemory ram, int maxSize) {
    this.ram = ram;
    this.maxSize = maxSize;
  }

  /** A driver error in a chain or ring: the device stops using the queue until a reset. */
  static final class DriverError extends Exception {
    private static final long serialVersionUID = 1L;

    DriverError(String message) {
      super(message);
    }
  }

  /** A buffer segment of a chain: device-readable or device-writable. */
  public record Segment(long address, int length, boolean writable) {}

  /** A descriptor chain taken from the available ring, identified by its head. */
  public record Chain(int head, List<Segment> segments) {
    public int readableBytes() {
      return segments.stream().filter(s -> !s.writable()).mapToInt(Segment::length).sum();
    }

    public int writableBytes() {
      return segments.stream().filter(Segment::writable).mapToInt(Segment::length).sum();
    }
  }

  int maxSize() {
    return maxSize;
  }

  void reset() {
    size = 0;
    ready = false;
    desc = driver = device = 0;
    lastAvail = usedIdx = 0;
  }

  /** Whether the driver made a chain available that the device has not taken. */
  boolean hasAvailable() throws DriverError {
    return ready && size > 0 && u16(driver + 2) != lastAvail;
  }

  /** Whether the driver asked not to be interrupted for used buffers. */
  boolean interruptSuppressed() throws DriverError {
    return (u16(driver) & AVAIL_F_NO_INTERRUPT) != 0;
  }

  /** Takes the next available chain; call only when {@link #hasAvailable()}. */
  Chain pop() throws DriverError {
    int head = u16(driver + 4 + 2L * (lastAvail % size));
    lastAvail = (lastAvail + 1) & 0xffff;
    List<Segment> segments = new ArrayList<>();
    int index = head;
    boolean sawWritable = false;
    for (int n = 0; ; n++) {
      if (index >= size) {
        throw new DriverError("descriptor index " + index + " is outside a queue of " + size);
      }
      if (n >= size) {
        throw new DriverError("the chain from descriptor " + head + " loops");
      }
      byte[] d = read(desc + 16L * index, 16);
      long address = LittleEndian.getLong(d, 0);
      int length = LittleEndian.getInt(d, 8);
      int flags = LittleEndian.getShort(d, 12) & 0xffff;
      if ((flags & DESC_F_INDIRECT) != 0) {
        throw new DriverError("descriptor " + index + " is indirect, which was not offered");
      }
      boolean writable = (flags & DESC_F_WRITE) != 0;
      if (sawWritable && !writable) {
        throw new DriverError("descriptor " + index + " is readable after a writable one");
      }
      sawWritable |= writable;
      if (length < 0 || (length > 0 && !inRam(address, length))) {
        throw new DriverError(
            String.format("descriptor %d (0x%x, %d bytes) is outside RAM", index, address, length));
      }
      segments.add(new Segment(address, length, writable));
      if ((flags & DESC_F_NEXT) == 0) {
        return new Chain(head, List.copyOf(segments));
      }
      index = LittleEndian.getShort(d, 14) & 0xffff;
    }
  }

  /** Hands a chain back with the number of bytes the device wrote into it. */
  void push(int head, int written) throws DriverError {
    int slot = usedIdx % size;
    byte[] e = new byte[8];
    LittleEndian.putInt(e, 0, head);
    LittleEndian.putInt(e, 4, written);
    write(device + 4 + 8L * slot, e);
    usedIdx = (usedIdx + 1) & 0xffff;
    byte[] idx = new byte[2];
    LittleEndian.putShort(idx, 0, (short) usedIdx);
    write(device + 2, idx);
  }

  /** Every device-readable byte of a chain, in order. */
  byte[] readable(Chain chain) throws DriverError {
    byte[] all = new byte[chain.readableBytes()];
    int at = 0;
    for (Segment s : chain.segments()) {
      if (!s.writable()) {
        ram.read(s.address(), all, at, s.length());
        at += s.length();
      }
    }
    return all;
  }

  /**
   * Writes {@code data} into the chain's device-writable bytes starting {@code offset} bytes into
   * them; fails when they are too few.
   */
  void fill(Chain chain, int offset, byte[] data, int from, int length) throws DriverError {
    int skip = offset;
    int done = 0;
    for (Segment s : chain.segments()) {
      if (!s.writable() || done == length) {
        continue;
      }
      if (skip >= s.length()) {
        skip -= s.length();
        continue;
      }
      int n = Math.min(s.length() - skip, length - done);
      ram.write(s.address() + skip, data, from + done, n);
      done += n;
      skip = 0;
    }
    if (done < length) {
      throw new DriverError(
          "a chain has " + chain.writableBytes() + " writable bytes, too few for the reply");
    }
  }

  private boolean inRam(long address, long length) {
    return ram.contains(address) && ram.contains(address + length - 1) && address + length > 0;
  }

  private int u16(long address) throws DriverError {
    return LittleEndian.getShort(read(address, 2), 0) & 0xffff;
  }

  byte[] read(long address, int length) throws DriverError {
    if (!inRam(address, length)) {
      throw new DriverError(String.format("the queue reads 0x%x, outside RAM", address));
    }
    byte[] b = new byte[length];
    ram.read(address, b, 0, length);
    return b;
  }

  void write(long address, byte[] data) throws DriverError {
    if (!inRam(address, data.length)) {
      throw new DriverError(String.format("the queue writes 0x%x, outside RAM", address));
    }
    ram.write(address, data, 0, data.length);
  }

  void digestInto(StateHasher h) {
    h.putInt(size).putBoolean(ready).putLong(desc).putLong(driver).putLong(device);
    h.putInt(lastAvail).putInt(usedIdx);
  }

  VirtqueueState save() {
    return VirtqueueState.newBuilder()
        .setSize(size)
        .setReady(ready)
        .setDesc(desc)
        .setDriver(driver)
        .setDevice(device)
        .setLastAvail(lastAvail)
        .setUsedIdx(usedIdx)
        .build();
  }

  void restore(VirtqueueState s) {
    if (s.getSize() > maxSize || s.getLastAvail() > 0xffff || s.getUsedIdx() > 0xffff) {
      throw new IllegalArgumentException(
          "virtqueue state out of range: size " + s.getSize() + " of at most " + maxSize);
    }
    size = s.getSize();
    ready = s.getReady();
    desc = s.getDesc();
    driver = s.getDriver();
    device = s.getDevice();
    lastAvail = s.getLastAvail();
    usedIdx = s.getUsedIdx();
  }
}
