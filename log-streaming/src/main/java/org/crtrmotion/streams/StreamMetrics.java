package org.crtrmotion.streams;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;

/**
 * What one stream has sent and received, for a coordinator to read while it runs: frames and bytes
 * by kind (uncompressed and on the wire), backlog, rates, and the cap in force. Thread-safe; the
 * counting stages write, anyone may take a {@link #snapshot}.
 *
 * <p>Backlog is sent minus received, so it means "not yet taken in by the receiver" only when both
 * ends count into the same object, as in one JVM. Across hosts the receiver's counts must come back
 * as acknowledgements, which {@code CONTROL} frames are reserved for.
 */
public final class StreamMetrics {
  /** Frames and bytes of one kind in one direction. */
  public record KindCounts(long frames, long uncompressedBytes, long wireBytes) {
    public static final KindCounts NONE = new KindCounts(0, 0, 0);
  }

  /** The counters at one moment; kinds with nothing counted are absent. */
  public record Snapshot(
      Map<FrameKind, KindCounts> sent,
      Map<FrameKind, KindCounts> received,
      long backlogFrames,
      long backlogWireBytes,
      long sentBytesPerSecond,
      long receivedBytesPerSecond,
      long capBytesPerSecond) {
    public KindCounts sent(FrameKind kind) {
      return sent.getOrDefault(kind, KindCounts.NONE);
    }

    public KindCounts received(FrameKind kind) {
      return received.getOrDefault(kind, KindCounts.NONE);
    }
  }

  /**
   * What a reliable stream's sender knows from acknowledgements, for a coordinator on another host
   * than the receiver: acknowledged sequence, backlog (frames served minus acknowledged, and all
   * frames and wire bytes not yet acknowledged), memory and spill held with their high-water marks,
   * and the throttle signal with the number of times it was raised.
   */
  public record Reliability(
      long acknowledgedSequence,
      long backlogFrames,
      long heldFrames,
      long heldWireBytes,
      long memoryBytes,
      long memoryHighWaterBytes,
      long spillBytes,
      long spillFiles,
      long spillHighWaterBytes,
      long diskBudgetBytes,
      boolean throttled,
      String throttleReason,
      long throttleEpisodes) {}

  private static final int RATE_SLOTS = 10;

  private volatile OutboundLog outbound;

  private final Direction sent;
  private final Direction received;
  private final BandwidthCap cap;
  private final LongSupplier nanoClock;

  /** Rates over the last second of the JVM's monotonic clock. */
  public StreamMetrics(BandwidthCap cap) {
    this(cap, System::nanoTime, Duration.ofSeconds(1));
  }

  /** With the clock and window the rates are computed from, so tests can fix them. */
  public StreamMetrics(BandwidthCap cap, LongSupplier nanoClock, Duration rateWindow) {
    this.cap = Objects.requireNonNull(cap, "cap");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    long now = nanoClock.getAsLong();
    this.sent = new Direction(new RateMeter(rateWindow.toNanos(), RATE_SLOTS, now));
    this.received = new Direction(new RateMeter(rateWindow.toNanos(), RATE_SLOTS, now));
  }

  /** Counts each encoded frame as sent and passes it on unchanged; place it after the encoder. */
  public Flow<ByteString, ByteString, NotUsed> countSent() {
    return Flow.<ByteString>create().map(frame -> countSent(frame));
  }

  /** Counts each frame as received and passes it on unchanged; place it before the decoder. */
  public Flow<ByteString, ByteString, NotUsed> countReceived() {
    return Flow.<ByteString>create().map(frame -> countReceived(frame));
  }

  public ByteString countSent(ByteString frame) {
    sent.count(FrameHeader.peek(frame), nanoClock.getAsLong());
    return frame;
  }

  public ByteString countReceived(ByteString frame) {
    received.count(FrameHeader.peek(frame), nanoClock.getAsLong());
    return frame;
  }

  /**
   * The counters now. Each is exact, but they are read one after another while the stream may run
   * on, so a snapshot taken mid-stream may be a frame apart between two of them.
   */
  public Snapshot snapshot() {
    long now = nanoClock.getAsLong();
    // Received first: read the other way round, a frame counted in between would show a backlog
    // of -1.
    Map<FrameKind, KindCounts> in = received.byKind();
    Map<FrameKind, KindCounts> out = sent.byKind();
    return new Snapshot(
        out,
        in,
        total(out, KindCounts::frames) - total(in, KindCounts::frames),
        total(out, KindCounts::wireBytes) - total(in, KindCounts::wireBytes),
        sent.rate.bytesPerSecond(now),
        received.rate.bytesPerSecond(now),
        cap.bytesPerSecond());
  }

  /** Reports {@link #reliability()} from {@code log}, the outbound log of this stream's sender. */
  public void watch(OutboundLog log) {
    this.outbound = Objects.requireNonNull(log, "log");
  }

  /** The sender's acknowledgement, spill and throttle counters; empty until {@link #watch}. */
  public java.util.Optional<Reliability> reliability() {
    OutboundLog log = outbound;
    if (log == null) {
      return java.util.Optional.empty();
    }
    OutboundLog.Stats stats = log.stats();
    OutboundLog.Throttle throttle = log.throttle();
    return java.util.Optional.of(
        new Reliability(
            stats.acknowledgedSequence(),
            stats.backlogFrames(),
            stats.heldFrames(),
            stats.heldBytes(),
            stats.memoryBytes(),
            stats.memoryHighWaterBytes(),
            stats.spillBytes(),
            stats.spillFiles(),
            stats.spillHighWaterBytes(),
            log.options().diskBudgetBytes(),
            throttle.raised(),
            throttle.reason(),
            stats.throttleEpisodes()));
  }

  private static long total(
      Map<FrameKind, KindCounts> counts, java.util.function.ToLongFunction<KindCounts> field) {
    return counts.values().stream().mapToLong(field).sum();
  }

  /** The counters of one direction. */
  private static final class Direction {
    private final Map<FrameKind, Counters> byKind = new EnumMap<>(FrameKind.class);
    private final RateMeter rate;

    Direction(RateMeter rate) {
      this.rate = rate;
      for (FrameKind kind : FrameKind.values()) {
        if (kind != FrameKind.UNRECOGNIZED) {
          byKind.put(kind, new Counters());
        }
      }
    }

    void count(FrameHeader header, long nowNanos) {
      Counters counters = byKind.get(header.kind());
      // Bytes before frames, so a reader never sees a frame whose bytes are not yet counted.
      counters.uncompressedBytes.add(header.uncompressedBytes());
      counters.wireBytes.add(header.wireBytes());
      counters.frames.increment();
      rate.record(nowNanos, header.wireBytes());
    }

    Map<FrameKind, KindCounts> byKind() {
      Map<FrameKind, KindCounts> counts = new EnumMap<>(FrameKind.class);
      byKind.forEach(
          (kind, counters) -> {
            long frames = counters.frames.sum();
            if (frames > 0) {
              counts.put(
                  kind,
                  new KindCounts(
                      frames, counters.uncompressedBytes.sum(), counters.wireBytes.sum()));
            }
          });
      return Collections.unmodifiableMap(counts);
    }
  }

  private static final class Counters {
    final LongAdder frames = new LongAdder();
    final LongAdder uncompressedBytes = new LongAdder();
    final LongAdder wireBytes = new LongAdder();
  }
}
