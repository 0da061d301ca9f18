package org.crtrmotion.vm.time;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.crtrmotion.vm.checkpoint.proto.HostClockState;

/**
 * Guest time that follows the host's monotonic clock at 10 MHz. This is the realistic mode; every
 * read of it is a non-deterministic input.
 */
public final class HostClock implements GuestClock {
  /** How often the interpreter looks at the host clock when a timer is armed. */
  static final long POLL_INSTRUCTIONS = 20_000;

  private final long startNanos = System.nanoTime();
  private long offset;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean wakeRequested;

  @Override
  public long now() {
    return (System.nanoTime() - startNanos) / 100 + offset;
  }

  @Override
  public void set(long mtime) {
    offset += mtime - now();
  }

  @Override
  public long instructionsUntil(long mtime) {
    return now() >= mtime ? 0 : POLL_INSTRUCTIONS;
  }

  @Override
  public void idleUntil(long mtime) throws InterruptedException {
    lock.lock();
    try {
      while (!wakeRequested) {
        long ticks = mtime - now();
        if (ticks <= 0) {
          break;
        }
        woken.awaitNanos(Math.min(ticks, Long.MAX_VALUE / 100) * 100);
      }
      wakeRequested = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public TimeMode mode() {
    return TimeMode.HOST;
  }

  /**
   * Only the guest-visible time: host time does not travel, so a restored clock continues from the
   * mtime of the checkpoint instant and follows its own host from there.
   */
  public HostClockState save() {
    return HostClockState.newBuilder().setMtime(now()).build();
  }

  public void restore(HostClockState s) {
    set(s.getMtime());
  }
}
