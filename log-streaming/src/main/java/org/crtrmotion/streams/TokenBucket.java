package org.crtrmotion.streams;

/**
 * The pacing decision of a bandwidth cap, free of clocks and threads so that it can be tested with
 * explicit numbers: given the rate in force, the time now and the size of the next element, how
 * long must it wait? Not thread-safe: one bucket per stage.
 *
 * <p>Tokens are bytes, kept in byte-nanoseconds (bytes × 10⁹) so that refilling at any rate stays
 * exact in integers. An element may leave once the bucket holds its size, or the whole burst if it
 * is larger than that; it then takes its full size, leaving the bucket in debt, so frames larger
 * than the burst still average out to the rate instead of waiting forever.
 *
 * <p>The bucket holds at least {@link #MIN_BURST_DIVISOR 1/50} of a second of the rate: a stage
 * waits on timers that fire on a scheduler tick (10 ms by default), and a bucket that filled up
 * between two ticks would waste what it could not hold and deliver less than the cap.
 */
final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  static final long MIN_BURST_DIVISOR = 50;
  // Keeps a bucket's byte-nanoseconds inside a long whatever the rate.
  private static final long MAX_BURST_BYTES = 1L << 30;

  private final long burstBytes;
  private long tokens; // byte-nanoseconds; negative while in debt
  private long lastNanos;

  /** A full bucket of {@code burstBytes} at {@code nowNanos}. */
  TokenBucket(long burstBytes, long nowNanos) {
    if (burstBytes <= 0) {
      throw new IllegalArgumentException("burst must be positive: " + burstBytes);
    }
    this.burstBytes = burstBytes;
    this.tokens = burstBytes * NANOS_PER_SECOND;
    this.lastNanos = nowNanos;
  }

  /**
   * Nanoseconds the next element of {@code bytes} must still wait at {@code bytesPerSecond} (0 =
   * unlimited). Zero means it may go now, and its bytes are taken; otherwise nothing is taken and
   * the caller asks again when the wait is over, at whatever rate is in force by then. The time
   * since the last question is credited at the rate given now: callers ask often enough that a
   * change of rate is misattributed for at most that long.
   */
  long delayNanos(long bytesPerSecond, long nowNanos, long bytes) {
    if (bytesPerSecond < 0 || bytes < 0) {
      throw new IllegalArgumentException("rate " + bytesPerSecond + ", bytes " + bytes);
    }
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    if (bytesPerSecond == 0) {
      // Unlimited: a cap set later starts from a full bucket, not from debt run up before.
      tokens = Long.MAX_VALUE;
      return 0;
    }
    long capacity = capacityBytes(bytesPerSecond);
    refill(elapsed, bytesPerSecond, capacity * NANOS_PER_SECOND);
    long needed = Math.min(bytes, capacity) * NANOS_PER_SECOND;
    if (tokens >= needed) {
      tokens -= bytes * NANOS_PER_SECOND;
      return 0;
    }
    return ceilDiv(needed - tokens, bytesPerSecond);
  }

  /** The most the bucket holds at this rate: the burst, or more at a high rate. */
  long capacityBytes(long bytesPerSecond) {
    return Math.min(MAX_BURST_BYTES, Math.max(burstBytes, bytesPerSecond / MIN_BURST_DIVISOR));
  }

  private void refill(long elapsed, long bytesPerSecond, long full) {
    // Negative when the bucket holds more than it may at this rate (after a lowered cap or an
    // unlimited spell): then it is cut down to full.
    long room = full - tokens;
    // Compared before multiplying: elapsed × rate overflows a long after a long idle spell.
    if (elapsed >= ceilDiv(room, bytesPerSecond)) {
      tokens = full;
    } else {
      tokens += elapsed * bytesPerSecond;
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
