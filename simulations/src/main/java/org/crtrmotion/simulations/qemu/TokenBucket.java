package org.crtrmotion.simulations.qemu;

/**
 * A token bucket: {@code bytesPerSecond} tokens accrue continuously up to {@code capacityBytes};
 * sending a byte spends one. It starts full, so a link may burst {@code capacityBytes} and then
 * carries at most {@code bytesPerSecond}: over any interval of {@code t} seconds at most {@code
 * capacityBytes + t * bytesPerSecond} bytes pass.
 *
 * <p>Tokens are kept in nano-bytes (bytes times 10^9) so that accrual is exact integer arithmetic
 * and no rounding leaks bandwidth over a long transfer.
 */
final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  // Tokens may reach twice the capacity (see take), in nano-bytes, within a long.
  private static final long MAX_CAPACITY_BYTES = Long.MAX_VALUE / NANOS_PER_SECOND / 4;

  private final long bytesPerSecond;
  private final long capacityBytes;
  private final Ticker ticker;
  private long tokensNanoBytes; // bytes times 10^9 available now
  private long lastRefillNanos; // ticker time of the last accrual

  TokenBucket(long bytesPerSecond, long capacityBytes, Ticker ticker) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
    }
    if (capacityBytes <= 0 || capacityBytes > Long.MAX_VALUE / NANOS_PER_SECOND) {
      throw new IllegalArgumentException(
          "capacityBytes must be in 1.."
              + Long.MAX_VALUE / NANOS_PER_SECOND
              + ", got "
              + capacityBytes);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.capacityBytes = capacityBytes;
    this.ticker = ticker;
    this.tokensNanoBytes = capacityBytes * NANOS_PER_SECOND;
    this.lastRefillNanos = ticker.nanoTime();
  }

  long capacityBytes() {
    return capacityBytes;
  }

  /**
   * Spends tokens for up to {@code wantedBytes} (at most the capacity), waiting until they have
   * accrued, and returns how many bytes may be sent now (at least 1).
   *
   * <p>Time that passed since the previous grant may have been idle, so it fills the bucket only up
   * to the capacity. Time spent waiting in here is owed to a sender that has data ready, so a wait
   * that overshoots (a loaded host wakes late) keeps its extra tokens, up to one more capacity,
   * rather than losing them to the cap: the link then still carries its full rate.
   */
  synchronized int take(int wantedBytes) throws InterruptedException {
    if (wantedBytes <= 0) {
      throw new IllegalArgumentException("wantedBytes must be positive, got " + wantedBytes);
    }
    long want = Math.min(wantedBytes, capacityBytes);
    long wantNanoBytes = want * NANOS_PER_SECOND;
    long full = capacityBytes * NANOS_PER_SECOND;
    tokensNanoBytes = Math.max(tokensNanoBytes, Math.min(full, tokensNanoBytes + accrued()));
    while (tokensNanoBytes < wantNanoBytes) {
      long deficit = wantNanoBytes - tokensNanoBytes;
      ticker.sleepNanos((deficit + bytesPerSecond - 1) / bytesPerSecond);
      tokensNanoBytes = Math.min(2 * full, tokensNanoBytes + accrued());
    }
    tokensNanoBytes -= wantNanoBytes;
    return (int) want;
  }

  /** Nano-bytes accrued since the last call, clamped so that the product cannot overflow. */
  private long accrued() {
    long now = ticker.nanoTime();
    long elapsed =
        Math.min(now - lastRefillNanos, 2 * capacityBytes * NANOS_PER_SECOND / bytesPerSecond + 1);
    lastRefillNanos = now;
    return elapsed > 0 ? elapsed * bytesPerSecond : 0;
  }
}
