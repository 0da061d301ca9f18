package org.crtrmotion.streams;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A migration's {@code max-bandwidth} in bytes per second, as QEMU names it, that a coordinator may
 * change while the transfer runs. Pekko's {@code throttle} fixes its rate when the stream is built;
 * {@link #flow} instead reads this cap each time it decides how long an element waits, so a new
 * rate applies from the next element on, and to the one waiting within {@link PacingStage#RECHECK}.
 *
 * <p>Thread-safe. One cap per migration: every materialisation of {@link #flow} draws on the cap's
 * one {@link TokenBucket}, so the trace, checkpoint and page streams of a migration together get
 * the cap, not each of them. Elements of all those streams wait in one first-come, first-served
 * line (see {@link TokenBucket}): a stream of small frames cannot overtake, and so cannot starve, a
 * stream of large ones.
 */
public final class BandwidthCap {
  /** No cap. */
  public static final long UNLIMITED = 0;

  /**
   * Bytes that may leave at once after an idle spell. Small against the rates of a migration, so
   * that the cap holds over fractions of a second, yet above a typical batch of segments.
   */
  public static final long DEFAULT_BURST_BYTES = 64 << 10;

  private final AtomicLong bytesPerSecond = new AtomicLong();
  private final LongSupplier nanoClock;
  private final TokenBucket bucket; // guarded by this

  /** A cap of {@code bytesPerSecond} (0 = unlimited) on the JVM's monotonic clock. */
  public BandwidthCap(long bytesPerSecond) {
    this(bytesPerSecond, DEFAULT_BURST_BYTES, System::nanoTime);
  }

  /** With the clock its stages pace by, in nanoseconds, so that tests need not use wall time. */
  public BandwidthCap(long bytesPerSecond, long burstBytes, LongSupplier nanoClock) {
    if (burstBytes <= 0) {
      throw new IllegalArgumentException("burst must be positive: " + burstBytes);
    }
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    setBytesPerSecond(bytesPerSecond);
    this.bucket = new TokenBucket(burstBytes, nanoClock.getAsLong());
  }

  public static BandwidthCap unlimited() {
    return new BandwidthCap(UNLIMITED);
  }

  /** Takes effect for running streams at their next pacing decision. 0 = unlimited. */
  public void setBytesPerSecond(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("a cap cannot be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond.set(bytesPerSecond);
  }

  /** The cap in force; 0 = unlimited. */
  public long bytesPerSecond() {
    return bytesPerSecond.get();
  }

  /**
   * A place in the shared line for an element of {@code bytes}. The clock is read under the lock so
   * that the bucket sees time move forward whichever stage's thread asks.
   */
  synchronized TokenBucket.Reservation reserve(long bytes) {
    return bucket.reserve(bytesPerSecond(), nanoClock.getAsLong(), bytes);
  }

  /** Nanoseconds {@code reservation} must still wait at the cap in force now; 0 = go. */
  synchronized long delayNanos(TokenBucket.Reservation reservation) {
    return bucket.delayNanos(reservation, bytesPerSecond(), nanoClock.getAsLong());
  }

  /**
   * Encoded frames in, the same frames out, in order and none dropped, each held until the cap
   * allows its size. Backpressures upstream while it holds one. Every flow of this cap shares its
   * rate with the others running at the same time.
   */
  public Flow<ByteString, ByteString, NotUsed> flow() {
    return Flow.fromGraph(new PacingStage(this));
  }
}
