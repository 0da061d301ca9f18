package org.crtrmotion.streams;

/**
 * The pacing decision of a bandwidth cap, free of clocks and threads so that it can be tested with
 * explicit numbers. Not thread-safe: {@link BandwidthCap} guards the one bucket it shares between
 * all its flows.
 *
 * <p>Several streams draw on one bucket, so an element first takes its place in line ({@link
 * #reserve}) and then asks how long it must still wait ({@link #delayNanos}), as often as it likes,
 * at whatever rate is in force by then. Places are handed out first come, first served: an element
 * goes only after every element that reserved before it, whatever their streams and sizes. Since a
 * stage holds one element at a time, a waiting element has at most one element of each other stream
 * ahead of it, and no stream starves.
 *
 * <p>The line is kept as two running totals of bytes: those reserved, and those the bucket has
 * earned (the first burst, then the rate over time). An element whose place starts at byte {@code
 * s} may go once the bucket has earned {@code s} plus its size, or plus the whole bucket if it is
 * larger than that: it then leaves the bucket in debt, so frames larger than the burst still
 * average out to the rate instead of waiting forever. What is earned is held in whole bytes plus a
 * remainder in byte-nanoseconds (bytes × 10⁹), so that refilling at any rate stays exact in
 * integers.
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

  /** A place in line: the element goes once the bucket has earned past {@code startBytes}. */
  record Reservation(long startBytes, long bytes) {}

  private final long burstBytes;
  private long reservedBytes; // running total of every reservation's size
  private long earnedBytes; // running total of what the bucket earned, the first burst included
  private long earnedRemainder; // byte-nanoseconds below one byte, in [0, 10⁹)
  private boolean fillAtNextRate; // set while unlimited: a cap set later starts from a full bucket
  private long lastNanos;

  /** A full bucket of {@code burstBytes} at {@code nowNanos}. */
  TokenBucket(long burstBytes, long nowNanos) {
    if (burstBytes <= 0) {
      throw new IllegalArgumentException("burst must be positive: " + burstBytes);
    }
    this.burstBytes = burstBytes;
    this.earnedBytes = burstBytes;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes the next place in line for {@code bytes}, behind every earlier reservation. The time
   * until {@code nowNanos} is credited first, at {@code bytesPerSecond} (0 = unlimited).
   */
  Reservation reserve(long bytesPerSecond, long nowNanos, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes " + bytes);
    }
    advance(bytesPerSecond, nowNanos);
    Reservation reservation = new Reservation(reservedBytes, bytes);
    reservedBytes += bytes;
    return reservation;
  }

  /**
   * Nanoseconds {@code reservation} must still wait at {@code bytesPerSecond} (0 = unlimited); zero
   * means it may go now. The caller asks again when the wait is over, at whatever rate is in force
   * by then. The time since the last question is credited at the rate given now: callers ask often
   * enough that a change of rate is misattributed for at most that long.
   */
  long delayNanos(Reservation reservation, long bytesPerSecond, long nowNanos) {
    long capacity = advance(bytesPerSecond, nowNanos);
    if (capacity == 0) {
      return 0;
    }
    long due = reservation.startBytes() + Math.min(reservation.bytes(), capacity);
    long shortBytes = due - earnedBytes;
    if (shortBytes <= 0) {
      return 0;
    }
    if (shortBytes > Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE; // billions of bytes ahead in line: asked again long before anyway
    }
    return ceilDiv(shortBytes * NANOS_PER_SECOND - earnedRemainder, bytesPerSecond);
  }

  /** The most the bucket holds at this rate: the burst, or more at a high rate. */
  long capacityBytes(long bytesPerSecond) {
    return Math.min(MAX_BURST_BYTES, Math.max(burstBytes, bytesPerSecond / MIN_BURST_DIVISOR));
  }

  /** Credits the time until {@code nowNanos}; returns the capacity at this rate, 0 if unlimited. */
  private long advance(long bytesPerSecond, long nowNanos) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("rate " + bytesPerSecond);
    }
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    if (bytesPerSecond == 0) {
      fillAtNextRate = true;
      return 0;
    }
    long capacity = capacityBytes(bytesPerSecond);
    long full = reservedBytes + capacity;
    if (fillAtNextRate) {
      // Unlimited until now: what was reserved meanwhile went free, and the bucket is full.
      fillAtNextRate = false;
      setEarned(full);
    } else if (earnedBytes >= full) {
      setEarned(full); // a lowered cap cuts what the bucket held at the higher rate
    } else {
      refill(elapsed, bytesPerSecond, full);
    }
    return capacity;
  }

  private void refill(long elapsed, long bytesPerSecond, long full) {
    long roomBytes = full - earnedBytes;
    long room =
        roomBytes > Long.MAX_VALUE / NANOS_PER_SECOND
            ? Long.MAX_VALUE
            : roomBytes * NANOS_PER_SECOND - earnedRemainder;
    // Compared before multiplying: elapsed × rate overflows a long after a long idle spell.
    if (elapsed >= ceilDiv(room, bytesPerSecond)) {
      setEarned(full);
      return;
    }
    long credit = elapsed * bytesPerSecond + earnedRemainder;
    earnedBytes += credit / NANOS_PER_SECOND;
    earnedRemainder = credit % NANOS_PER_SECOND;
  }

  private void setEarned(long bytes) {
    earnedBytes = bytes;
    earnedRemainder = 0;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
