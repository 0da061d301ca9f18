package org.crtrmotion.actors.migration;

/**
 * The downtime a migration would cost if the source froze now, from what the last round measured
 * (PAPER.md, "A model to start from"). Pure arithmetic on measured rates, so that a coordinator's
 * decision can be tested with explicit numbers.
 */
public final class DowntimeModel {
  private DowntimeModel() {}

  /**
   * CR/TR-Motion: the trace still at the source crosses the link, and the target replays what it is
   * behind: {@code backlog/B + lag/replayRate + handover}.
   *
   * @return milliseconds, or {@link Long#MAX_VALUE} when a rate is not known yet (0)
   */
  public static long crtrMillis(
      long backlogBytes,
      long linkBytesPerSecond,
      long lagInstructions,
      long replayInstructionsPerSecond,
      long handoverMillis) {
    if ((backlogBytes > 0 && linkBytesPerSecond <= 0)
        || (lagInstructions > 0 && replayInstructionsPerSecond <= 0)) {
      return Long.MAX_VALUE;
    }
    return saturatingAdd(
        saturatingAdd(
            millis(backlogBytes, linkBytesPerSecond),
            millis(lagInstructions, replayInstructionsPerSecond)),
        handoverMillis);
  }

  /**
   * Pre-copy: the dirty pages left and the CPU and device state cross the link while the source is
   * stopped, as QEMU estimates it: {@code remaining/B + handover}.
   */
  public static long precopyMillis(
      long remainingBytes, long linkBytesPerSecond, long handoverMillis) {
    if (remainingBytes > 0 && linkBytesPerSecond <= 0) {
      return Long.MAX_VALUE;
    }
    return saturatingAdd(millis(remainingBytes, linkBytesPerSecond), handoverMillis);
  }

  /** {@code amount / perSecond} in milliseconds, rounded up; 0 when there is nothing to do. */
  static long millis(long amount, long perSecond) {
    if (amount <= 0) {
      return 0;
    }
    double ms = Math.ceil(amount * 1000.0 / perSecond);
    return ms >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ms;
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
