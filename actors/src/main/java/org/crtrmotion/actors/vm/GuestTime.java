package org.crtrmotion.actors.vm;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The time a guest thread paces its vCPU by (throttle and quota): a clock, and a wait that an order
 * ends early. Injectable so that tests compute the waits on a fake clock instead of sleeping.
 */
public interface GuestTime {
  long nanoTime();

  /**
   * Waits up to {@code nanos} for the next element of {@code queue}: the element, or null when the
   * time ran out.
   */
  <T> T poll(BlockingQueue<T> queue, long nanos) throws InterruptedException;

  /** The host's monotonic clock and real waits. */
  GuestTime SYSTEM =
      new GuestTime() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public <T> T poll(BlockingQueue<T> queue, long nanos) throws InterruptedException {
          return queue.poll(nanos, TimeUnit.NANOSECONDS);
        }
      };
}
