package org.crtrmotion.streams;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.crtrmotion.streams.proto.StreamsProto.Codec;

/**
 * Whether a stream's frames are compressed. Compression pays only when the link is slower than the
 * compressor: on loopback or a fast LAN, LZ4 at a few hundred MB/s per core is the bottleneck of a
 * link that moves GB/s, which is why QEMU migrates uncompressed by default. Each frame's codec
 * field says what was used, so a receiver needs no policy; the choice may change from frame to
 * frame.
 *
 * <ul>
 *   <li>{@link #none()}: never compress.
 *   <li>{@link #lz4()}: always try LZ4 (a frame that does not shrink still goes raw).
 *   <li>{@link #adaptive}: LZ4 only on a capped link slower than the compressor, and only while
 *       recent frames shrink enough to matter there; raw otherwise.
 * </ul>
 *
 * <p>Immutable and shareable; {@link #decider()} gives the per-stream state.
 */
public final class CodecPolicy {
  /** What the policy does. */
  public enum Mode {
    NONE,
    LZ4,
    ADAPTIVE
  }

  /**
   * LZ4 compression speed assumed per core, in bytes per second of uncompressed payload: the low
   * end of what {@code crtr bench streams} measured on trace and page chunks (250–550 MB/s on the
   * text-like synthetic packets, more on clock reads) on a loaded 2-core host.
   */
  public static final long DEFAULT_COMPRESSOR_BYTES_PER_SECOND = 250_000_000L;

  /**
   * Compression must cut at least this share of the bytes on the link (ratio 1.25) to be worth the
   * CPU of both ends and the latency it adds to each frame.
   */
  public static final double DEFAULT_MIN_RATIO = 1.25;

  /**
   * While frames do not shrink enough, every this many frames one is still compressed, so that a
   * stream whose data turns compressible (random pages, then text) is noticed.
   */
  public static final int DEFAULT_PROBE_INTERVAL = 16;

  private static final CodecPolicy NONE = new CodecPolicy(Mode.NONE, () -> 0, 0, 0, 0);
  private static final CodecPolicy LZ4 = new CodecPolicy(Mode.LZ4, () -> 0, 0, 0, 0);

  private final Mode mode;
  private final LongSupplier capBytesPerSecond;
  private final long compressorBytesPerSecond;
  private final double minRatio;
  private final int probeInterval;

  private CodecPolicy(
      Mode mode,
      LongSupplier capBytesPerSecond,
      long compressorBytesPerSecond,
      double minRatio,
      int probeInterval) {
    this.mode = mode;
    this.capBytesPerSecond = capBytesPerSecond;
    this.compressorBytesPerSecond = compressorBytesPerSecond;
    this.minRatio = minRatio;
    this.probeInterval = probeInterval;
  }

  public static CodecPolicy none() {
    return NONE;
  }

  public static CodecPolicy lz4() {
    return LZ4;
  }

  /** Adaptive on {@code cap}, read at every frame, with the default figures. */
  public static CodecPolicy adaptive(BandwidthCap cap) {
    Objects.requireNonNull(cap, "cap");
    return adaptive(
        cap::bytesPerSecond,
        DEFAULT_COMPRESSOR_BYTES_PER_SECOND,
        DEFAULT_MIN_RATIO,
        DEFAULT_PROBE_INTERVAL);
  }

  /**
   * Adaptive with explicit figures: {@code capBytesPerSecond} is read at every frame (0 =
   * unlimited); LZ4 is used while the cap is below {@code compressorBytesPerSecond} and the recent
   * ratio is at least {@code minRatio}; otherwise one frame in {@code probeInterval} is compressed
   * to keep the ratio current.
   */
  public static CodecPolicy adaptive(
      LongSupplier capBytesPerSecond,
      long compressorBytesPerSecond,
      double minRatio,
      int probeInterval) {
    Objects.requireNonNull(capBytesPerSecond, "capBytesPerSecond");
    if (compressorBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "compressor speed must be positive, not " + compressorBytesPerSecond + " B/s");
    }
    if (!(minRatio >= 1.0)) {
      throw new IllegalArgumentException("minimum ratio must be at least 1, not " + minRatio);
    }
    if (probeInterval <= 0) {
      throw new IllegalArgumentException("probe interval must be positive, not " + probeInterval);
    }
    return new CodecPolicy(
        Mode.ADAPTIVE, capBytesPerSecond, compressorBytesPerSecond, minRatio, probeInterval);
  }

  public Mode mode() {
    return mode;
  }

  /** A fresh decider for one stream; not thread-safe, like the encoder that holds it. */
  public Decider decider() {
    return new Decider();
  }

  @Override
  public String toString() {
    return switch (mode) {
      case NONE -> "none";
      case LZ4 -> "lz4";
      case ADAPTIVE -> "adaptive";
    };
  }

  /**
   * One stream's choices. The ratio it keeps is a moving average over the frames it compressed,
   * weighted by their size, each new frame counting for an eighth: a few frames are enough to
   * follow a change in the data, and one odd frame does not flip the choice.
   */
  public final class Decider {
    private static final double WEIGHT = 1.0 / 8;

    // Optimistic until measured: the first frames on a slow link are compressed, which measures.
    private double ratio = Double.POSITIVE_INFINITY;
    private long framesSinceCompressed;

    private Decider() {}

    /** The codec to try for the next frame: {@link Codec#LZ4_BLOCK} or {@link Codec#NONE}. */
    public Codec choose() {
      return switch (mode) {
        case NONE -> Codec.NONE;
        case LZ4 -> Codec.LZ4_BLOCK;
        case ADAPTIVE -> chooseAdaptive();
      };
    }

    private Codec chooseAdaptive() {
      long cap = capBytesPerSecond.getAsLong();
      if (cap == BandwidthCap.UNLIMITED || cap >= compressorBytesPerSecond) {
        return Codec.NONE; // the compressor, not the link, would set the pace
      }
      if (ratio >= minRatio || framesSinceCompressed + 1 >= probeInterval) {
        return Codec.LZ4_BLOCK;
      }
      return Codec.NONE;
    }

    /**
     * What the encoder did with a frame it was told to try compressing ({@code tried}): {@code
     * rawBytes} in, {@code wireBytes} out (the raw size when compressing did not shrink it).
     */
    public void observe(Codec tried, int rawBytes, int wireBytes) {
      if (tried != Codec.LZ4_BLOCK) {
        framesSinceCompressed++;
        return;
      }
      framesSinceCompressed = 0;
      double frameRatio = wireBytes <= 0 ? 1.0 : (double) rawBytes / wireBytes;
      ratio = Double.isInfinite(ratio) ? frameRatio : ratio + WEIGHT * (frameRatio - ratio);
    }

    /** The ratio recent compressed frames achieved; infinite before the first. */
    public double recentRatio() {
      return ratio;
    }
  }
}
