package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.StreamMetrics.KindCounts;
import org.crtrmotion.streams.StreamMetrics.Snapshot;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamMetricsTest {
  private static final String STREAM = "vm-9/mixed";
  private static final long SECOND = 1_000_000_000L;
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "stream-metrics");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Compressible trace and checkpoint payloads, an incompressible page batch, a control note. */
  private static List<FramePayload> mixedPayloads() {
    byte[] random = new byte[3000];
    new java.util.Random(5).nextBytes(random);
    return List.of(
        FramePayload.of(FrameKind.TRACE_SEGMENTS, new byte[4000]),
        FramePayload.of(FrameKind.CHECKPOINT_CHUNK, new byte[8000]),
        FramePayload.of(FrameKind.TRACE_SEGMENTS, new byte[1000]),
        FramePayload.of(FrameKind.PAGE_BATCH, random),
        FramePayload.of(FrameKind.CONTROL, new byte[] {1, 2, 3}));
  }

  /** A metrics object whose rates are over a window of one second that never moves. */
  private static StreamMetrics frozen(BandwidthCap cap) {
    return new StreamMetrics(cap, () -> 42L, Duration.ofSeconds(1));
  }

  @Test
  void sentAndReceivedCountEveryFrameByKindUncompressedAndOnTheWire() throws Exception {
    List<FramePayload> payloads = mixedPayloads();
    StreamMetrics metrics = frozen(new BandwidthCap(5_000_000));
    List<ByteString> wire =
        Source.from(payloads)
            .via(FrameEncoder.flow(STREAM))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    List<FramePayload> delivered =
        Source.from(wire)
            .via(metrics.countSent())
            .via(metrics.countReceived())
            .via(FrameDecoder.flow(STREAM))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    Snapshot snapshot = metrics.snapshot();

    assertEquals(payloads.size(), delivered.size());
    long wireBytes = wire.stream().mapToLong(ByteString::size).sum();
    assertEquals(
        new KindCounts(2, 5000, wire.get(0).size() + wire.get(2).size()),
        snapshot.sent(FrameKind.TRACE_SEGMENTS));
    assertEquals(
        new KindCounts(1, 8000, wire.get(1).size()), snapshot.sent(FrameKind.CHECKPOINT_CHUNK));
    // Random bytes do not shrink and travel raw: the wire carries them plus a header.
    KindCounts pages = snapshot.sent(FrameKind.PAGE_BATCH);
    assertEquals(new KindCounts(1, 3000, wire.get(3).size()), pages);
    assertEquals(new KindCounts(1, 3, wire.get(4).size()), snapshot.sent(FrameKind.CONTROL));
    assertEquals(1, snapshot.sent(FrameKind.END).frames());
    assertEquals(snapshot.sent(), snapshot.received());
    assertEquals(0, snapshot.backlogFrames());
    assertEquals(0, snapshot.backlogWireBytes());
    assertEquals(wireBytes, snapshot.sentBytesPerSecond());
    assertEquals(wireBytes, snapshot.receivedBytesPerSecond());
    assertEquals(5_000_000, snapshot.capBytesPerSecond());
  }

  @Test
  void backlogIsWhatWasSentAndNotYetReceived() {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    List<ByteString> wire = mixedPayloads().stream().limit(3).map(encoder::encode).toList();
    StreamMetrics metrics = frozen(BandwidthCap.unlimited());

    wire.forEach(metrics::countSent);
    metrics.countReceived(wire.get(0));
    Snapshot snapshot = metrics.snapshot();

    assertEquals(2, snapshot.backlogFrames());
    assertEquals(wire.get(1).size() + wire.get(2).size(), snapshot.backlogWireBytes());
    assertEquals(BandwidthCap.UNLIMITED, snapshot.capBytesPerSecond());
  }

  @Test
  void ratesFollowTheInjectedClockAndTheCapInForceIsReadAtEachSnapshot() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    BandwidthCap cap = new BandwidthCap(1000);
    StreamMetrics metrics = new StreamMetrics(cap, now::get, Duration.ofSeconds(2));
    ByteString frame = new FrameEncoder(STREAM).encode(mixedPayloads().get(0));

    metrics.countSent(frame);
    metrics.countSent(frame);
    assertEquals(frame.size(), metrics.snapshot().sentBytesPerSecond());

    now.set(3 * SECOND);
    cap.setBytesPerSecond(2000);
    Snapshot later = metrics.snapshot();
    assertEquals(0, later.sentBytesPerSecond());
    assertEquals(2000, later.capBytesPerSecond());
  }

  @Test
  void aFrameTooDamagedToReadStillCountsItsWireBytesUnderNoKind() {
    StreamMetrics metrics = frozen(BandwidthCap.unlimited());
    ByteString garbage = ByteString.fromArrayUnsafe(new byte[] {(byte) 0xff, (byte) 0xff, 3});

    metrics.countReceived(garbage);

    assertEquals(
        new KindCounts(1, 0, 3), metrics.snapshot().received(FrameKind.FRAME_KIND_UNSPECIFIED));
  }

  @Test
  void theHeaderPeekAgreesWithAFullParse() throws Exception {
    FrameEncoder encoder = new FrameEncoder(STREAM);
    for (FramePayload payload : mixedPayloads()) {
      ByteString wire = encoder.encode(payload);
      StreamFrame parsed = StreamFrame.parseFrom(wire.toArray());

      FrameHeader header = FrameHeader.peek(wire);

      assertEquals(parsed.getKind(), header.kind());
      assertEquals(parsed.getUncompressedLength(), header.uncompressedBytes());
      assertEquals(wire.size(), header.wireBytes());
    }
  }
}
