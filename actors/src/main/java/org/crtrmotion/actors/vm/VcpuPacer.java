package org.crtrmotion.actors.vm;

/**
 * How long a guest thread waits between two slices, from a vCPU throttle (auto-converge: the guest
 * gets {@code 100 − p} % of wall time) and a vCPU quota (instructions per second, as cloud VMs
 * have). Pure arithmetic on the times it is told, so that tests compute every wait exactly on a
 * fake clock. Guest thread only.
 *
 * <p>The throttle, as QEMU's: after a slice that ran {@code r} ns the guest sleeps {@code r · p /
 * (100 − p)} ns. The quota: the instructions run so far are paid at {@code quota} per second from
 * the start of the slice that found no debt; a slice that ran ahead waits until paid. A guest that
 * runs slower than its quota earns no credit for later. Both in force: the later of the two.
 *
 * <p>The slice shrinks with both so that a pause (and an order waiting behind one) stays short: to
 * {@code (100 − p)} % of the VM's slice under a throttle of {@code p} %, and to a hundredth of a
 * second's quota.
 */
final class VcpuPacer {
  static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** How long the recent instruction rate is measured over. */
  static final long RATE_WINDOW_NANOS = NANOS_PER_SECOND;

  private final long baseSliceInstructions;
  private final long quotaInstructionsPerSecond; // 0: none
  private int throttlePercent;

  private long notBeforeNanos = Long.MIN_VALUE; // no slice starts before this
  private long quotaPaidUntilNanos = Long.MIN_VALUE;

  private long windowStartNanos = Long.MIN_VALUE;
  private long windowStartInstructions;
  private long recentInstructionsPerSecond;

  VcpuPacer(long baseSliceInstructions, long quotaInstructionsPerSecond) {
    if (baseSliceInstructions < 1) {
      throw new IllegalArgumentException(
          "slice must be at least 1 instruction, was " + baseSliceInstructions);
    }
    if (quotaInstructionsPerSecond < 0) {
      throw new IllegalArgumentException(
          "a vCPU quota is 0 (none) or positive, not " + quotaInstructionsPerSecond);
    }
    this.baseSliceInstructions = baseSliceInstructions;
    this.quotaInstructionsPerSecond = quotaInstructionsPerSecond;
  }

  /** Sets the throttle; it applies from the next slice on. */
  void setThrottle(int percent) {
    checkThrottle(percent);
    throttlePercent = percent;
  }

  static void checkThrottle(int percent) {
    if (percent < 0 || percent > 99) {
      throw new IllegalArgumentException(
          "a vCPU throttle is between 0 and 99 percent, not " + percent);
    }
  }

  int throttlePercent() {
    return throttlePercent;
  }

  long quotaInstructionsPerSecond() {
    return quotaInstructionsPerSecond;
  }

  /** Instructions the next slice may run: the VM's slice, shrunk under a throttle or a quota. */
  long sliceInstructions() {
    long slice = baseSliceInstructions;
    if (throttlePercent > 0) {
      slice = Math.max(1, slice * (100 - throttlePercent) / 100);
    }
    if (quotaInstructionsPerSecond > 0) {
      slice = Math.min(slice, Math.max(1, quotaInstructionsPerSecond / 100));
    }
    return slice;
  }

  /** How long to wait at {@code nowNanos} before the next slice may start (0: go). */
  long waitNanos(long nowNanos) {
    return notBeforeNanos == Long.MIN_VALUE ? 0 : Math.max(0, notBeforeNanos - nowNanos);
  }

  /**
   * A slice ran from {@code startNanos} to {@code endNanos} and retired {@code instructions}; the
   * guest had retired {@code totalInstructions} at its end.
   */
  void ran(long startNanos, long endNanos, long instructions, long totalInstructions) {
    long notBefore = endNanos;
    if (throttlePercent > 0) {
      long runNanos = Math.max(0, endNanos - startNanos);
      notBefore =
          endNanos + Math.multiplyExact(runNanos, throttlePercent) / (100 - throttlePercent);
    }
    if (quotaInstructionsPerSecond > 0) {
      long from =
          quotaPaidUntilNanos == Long.MIN_VALUE
              ? startNanos
              : Math.max(quotaPaidUntilNanos, startNanos);
      quotaPaidUntilNanos = from + quotaNanos(instructions);
      notBefore = Math.max(notBefore, quotaPaidUntilNanos);
    }
    notBeforeNanos = notBefore;
    measure(startNanos, endNanos, totalInstructions - instructions, totalInstructions);
  }

  /** The time {@code instructions} cost at the quota, rounded up. */
  private long quotaNanos(long instructions) {
    long q = quotaInstructionsPerSecond;
    long whole = instructions / q;
    long rest = instructions % q;
    // rest < q: rest · 1e9 fits a long for every quota below 9.2e9 per second.
    return Math.addExact(
        Math.multiplyExact(whole, NANOS_PER_SECOND),
        (Math.multiplyExact(rest, NANOS_PER_SECOND) + q - 1) / q);
  }

  private void measure(
      long startNanos, long nowNanos, long instructionsAtStart, long instructionsNow) {
    if (windowStartNanos == Long.MIN_VALUE) {
      windowStartNanos = startNanos;
      windowStartInstructions = instructionsAtStart;
    }
    long elapsed = nowNanos - windowStartNanos;
    if (elapsed >= RATE_WINDOW_NANOS) {
      recentInstructionsPerSecond =
          (long)
              ((instructionsNow - windowStartInstructions) * (double) NANOS_PER_SECOND / elapsed);
      windowStartNanos = nowNanos;
      windowStartInstructions = instructionsNow;
    }
  }

  /**
   * Instructions per second over the last complete window of about a second (waits and pauses
   * included: what the guest got); 0 before the first window closed.
   */
  long recentInstructionsPerSecond() {
    return recentInstructionsPerSecond;
  }

  /** The guest was paused: the time spent paused is no debt and no measure of its speed. */
  void paused() {
    notBeforeNanos = Long.MIN_VALUE;
    quotaPaidUntilNanos = Long.MIN_VALUE;
    windowStartNanos = Long.MIN_VALUE;
  }
}
