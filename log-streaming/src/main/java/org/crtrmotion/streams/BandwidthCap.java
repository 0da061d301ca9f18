package org.crtrmotion.streams;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A stream's {@code max-bandwidth} in bytes per second, as QEMU names it, that a coordinator may
 * change while the transfer runs. Pekko's {@code throttle} fixes its rate when the stream is built;
 * {@link #flow} instead reads this cap each time it decides how long an element waits, so a new
 * rate applies from the next element on, and to the one waiting within {@link PacingStage#RECHECK}.
 *
 * <p>Thread-safe. One cap per stream: every materialisation of {@link #flow} keeps its own bucket,
 * so two streams sharing a cap would each get the full rate.
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
  private final long burstBytes;
  private final LongSupplier nanoClock;

  /** A cap of {@code bytesPerSecond} (0 = unlimited) on the JVM's monotonic clock. */
  public BandwidthCap(long bytesPerSecond) {
    this(bytesPerSecond, DEFAULT_BURST_BYTES, System::nanoTime);
  }

  /** With the clock its stages pace by, in nanoseconds, so that tests need not use wall time. */
  public BandwidthCap(long bytesPerSecond, long burstBytes, LongSupplier nanoClock) {
    if (burstBytes <= 0) {
      throw new IllegalArgumentException("burst must be positive: " + burstBytes);
    }
    this.burstBytes = burstBytes;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    setBytesPerSecond(bytesPerSecond);
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

  long burstBytes() {
    return burstBytes;
  }

  long nowNanos() {
    return nanoClock.getAsLong();
  }

  /**
   * Encoded frames in, the same frames out, in order and none dropped, each held until the cap
   * allows its size. Backpressures upstream while it holds one.
   */
  public Flow<ByteString, ByteString, NotUsed> flow() {
    return Flow.fromGraph(new PacingStage(this));
  }
}
