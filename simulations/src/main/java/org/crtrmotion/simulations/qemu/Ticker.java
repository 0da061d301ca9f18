package org.crtrmotion.simulations.qemu;

import java.util.concurrent.TimeUnit;

/** The clock a {@link TokenBucket} reads and waits on; tests substitute one they advance. */
public interface Ticker {
  /** A monotonic time in nanoseconds. */
  long nanoTime();

  /** Waits about {@code nanos} nanoseconds (the bucket re-reads the clock afterwards). */
  void sleepNanos(long nanos) throws InterruptedException;

  /** The host's monotonic clock. */
  Ticker SYSTEM =
      new Ticker() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          TimeUnit.NANOSECONDS.sleep(nanos);
        }
      };
}
