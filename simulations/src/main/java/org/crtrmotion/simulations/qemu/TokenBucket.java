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
   */
  synchronized int take(int wantedBytes) throws InterruptedException {
    if (wantedBytes <= 0) {
      throw new IllegalArgumentException("wantedBytes must be positive, got " + wantedBytes);
    }
    long want = Math.min(wantedBytes, capacityBytes);
    long wantNanoBytes = want * NANOS_PER_SECOND;
    while (true) {
      refill();
      if (tokensNanoBytes >= wantNanoBytes) {
        tokensNanoBytes -= wantNanoBytes;
        return (int) want;
      }
      long deficit = wantNanoBytes - tokensNanoBytes;
      ticker.sleepNanos((deficit + bytesPerSecond - 1) / bytesPerSecond);
    }
  }

  private void refill() {
    long now = ticker.nanoTime();
    long full = capacityBytes * NANOS_PER_SECOND;
    // Clamped first, so that a long idle spell cannot overflow the product below.
    long elapsed = Math.min(now - lastRefillNanos, full / bytesPerSecond + 1);
    lastRefillNanos = now;
    if (elapsed > 0) {
      tokensNanoBytes = Math.min(full, tokensNanoBytes + elapsed * bytesPerSecond);
    }
  }
}
