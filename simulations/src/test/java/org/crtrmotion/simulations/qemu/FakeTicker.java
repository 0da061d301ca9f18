package org.crtrmotion.simulations.qemu;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when someone waits on it: a wait advances it by the time asked for. */
class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public void sleepNanos(long n) {
    nanos.addAndGet(n);
  }

  double seconds() {
    return nanos.get() / 1e9;
  }
}
