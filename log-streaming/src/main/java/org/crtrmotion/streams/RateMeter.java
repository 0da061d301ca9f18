package org.crtrmotion.streams;

import java.util.Arrays;

/**
 * Bytes per second over a sliding window, from times the caller supplies so that tests can state
 * them. The window is cut into slots; a slot's bytes leave the window whole when it ends, so the
 * rate steps by a slot's worth instead of needing a timestamp per record. Thread-safe: the stream
 * records while a coordinator reads.
 */
final class RateMeter {
  private final long windowNanos;
  private final long slotNanos;
  private final long[] slots;
  private final long originNanos;
  private long currentSlot;

  RateMeter(long windowNanos, int slotCount, long nowNanos) {
    if (slotCount <= 0 || windowNanos < slotCount) {
      throw new IllegalArgumentException(
          "window " + windowNanos + " ns in " + slotCount + " slots");
    }
    this.windowNanos = windowNanos;
    this.slotNanos = windowNanos / slotCount;
    this.slots = new long[slotCount];
    // Slots are counted from the meter's birth: System.nanoTime may be negative.
    this.originNanos = nowNanos;
  }

  synchronized void record(long nowNanos, long bytes) {
    advance(nowNanos);
    slots[index(currentSlot)] += bytes;
  }

  /** The bytes recorded in the window ending at {@code nowNanos}, per second of the window. */
  synchronized long bytesPerSecond(long nowNanos) {
    advance(nowNanos);
    long sum = Arrays.stream(slots).sum();
    return (long) ((double) sum * 1_000_000_000L / windowNanos);
  }

  private void advance(long nowNanos) {
    long slot = Math.floorDiv(nowNanos - originNanos, slotNanos);
    // A clock read on another thread may lag a little: its bytes go to the current slot.
    if (slot <= currentSlot) {
      return;
    }
    long expired = Math.min(slot - currentSlot, slots.length);
    for (long i = 1; i <= expired; i++) {
      slots[index(currentSlot + i)] = 0;
    }
    currentSlot = slot;
  }

  private int index(long slot) {
    return (int) Math.floorMod(slot, (long) slots.length);
  }
}
