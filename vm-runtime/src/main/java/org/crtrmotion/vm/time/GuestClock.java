package org.crtrmotion.vm.time;

/**
 * The machine's time base as the guest sees it (CLINT {@code mtime}, the {@code time} CSR), in
 * ticks of {@link #TICKS_PER_SECOND}.
 */
public interface GuestClock {
  /** QEMU's virt board runs its CLINT at 10 MHz. */
  long TICKS_PER_SECOND = 10_000_000L;

  long now();

  /** A read by the guest (the time CSR, CLINT mtime): an input where time follows the host. */
  default long read() {
    return now();
  }

  /**
   * How many instructions may retire before the timer line can change by itself, given the deadline
   * and whether the line is up; {@code Long.MAX_VALUE} when it cannot.
   */
  default long instructionsUntilTimerChange(long mtimecmp, boolean raised) {
    return raised || mtimecmp == -1 ? Long.MAX_VALUE : instructionsUntil(mtimecmp);
  }

  /**
   * Whether mtime has reached {@code mtimecmp} (unsigned), which raises the timer interrupt; asked
   * either between instructions (the interpreter looking around) or during one (a guest write to
   * the timer), which a replay must tell apart at the same instruction count.
   */
  default boolean reached(long mtimecmp, boolean duringInstruction) {
    return Long.compareUnsigned(now(), mtimecmp) >= 0;
  }

  /** A guest write to {@code mtime}. */
  void set(long mtime);

  /**
   * How many instructions may retire before the clock can reach {@code mtime}: exact when time is
   * derived from the instruction count, a polling interval when it follows the host.
   */
  long instructionsUntil(long mtime);

  /**
   * The hart is idle in WFI and nothing can wake it before {@code mtime}: let the time pass.
   * Returns early when {@link #wake()} is called from another thread.
   */
  void idleUntil(long mtime) throws InterruptedException;

  /** Ends an {@link #idleUntil} in progress (host input arrived, a stop was requested). */
  void wake();

  TimeMode mode();
}
