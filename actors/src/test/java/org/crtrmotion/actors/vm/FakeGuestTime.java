package org.crtrmotion.actors.vm;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guest clock that moves {@code tickNanos} at every read and by the whole wait at every wait,
 * which returns at once: the guest runs at full speed while the waits it was told are recorded.
 */
final class FakeGuestTime implements GuestTime {
  private final long tickNanos;
  private final List<Long> waits = new CopyOnWriteArrayList<>();
  private long now; // guest thread only

  FakeGuestTime(long tickNanos) {
    this.tickNanos = tickNanos;
  }

  @Override
  public long nanoTime() {
    now += tickNanos;
    return now;
  }

  @Override
  public <T> T poll(BlockingQueue<T> queue, long nanos) {
    waits.add(nanos);
    now += nanos;
    return queue.poll();
  }

  /** Every wait so far, in order. Any thread. */
  List<Long> waits() {
    return List.copyOf(waits);
  }
}
