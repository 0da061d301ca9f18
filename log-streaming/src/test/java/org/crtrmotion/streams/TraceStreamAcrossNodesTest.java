package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.StreamMetrics.KindCounts;
import org.crtrmotion.streams.StreamMetrics.Snapshot;
import org.crtrmotion.streams.TraceStreams.Receipt;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trace crosses from one cluster node to another as a {@link SourceRef} of encoded frames, found
 * through the receptionist, the way a migration's source offers it to its target.
 */
class TraceStreamAcrossNodesTest {
  private static final String STREAM = "vm-7/trace";
  // 64 events per segment makes thousands of segments out of 200k events.
  private static final TraceWriter.Limits LIMITS = new TraceWriter.Limits(8 << 10, 64);
  private static final int SEGMENTS_PER_FRAME = 4;

  private static final AtomicLong CHEWED = new AtomicLong();

  private static TwoNodes nodes;

  @BeforeAll
  static void startNodes() {
    nodes = new TwoNodes();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    nodes.close();
  }

  private static void offer(String name, Source<ByteString, NotUsed> frames) throws Exception {
    nodes.offerFromSender(name, frames.runWith(StreamRefs.sourceRef(), nodes.sender));
  }

  /** Work the receiver does per frame, so that it is the slower end. */
  private static ByteString chew(ByteString frame) {
    CRC32C crc = new CRC32C();
    for (int i = 0; i < 20; i++) {
      crc.update(frame.toArrayUnsafe());
    }
    CHEWED.addAndGet(crc.getValue()); // kept, so the JIT cannot drop the work
    return frame;
  }

  /** The counts of a frame as the test reads it: a full parse, not the metrics' header peek. */
  private static void expect(Map<FrameKind, KindCounts> expected, ByteString wire) {
    try {
      StreamFrame frame = StreamFrame.parseFrom(wire.toArray());
      expected.merge(
          frame.getKind(),
          new KindCounts(1, frame.getUncompressedLength(), wire.size()),
          (a, b) ->
              new KindCounts(
                  a.frames() + b.frames(),
                  a.uncompressedBytes() + b.uncompressedBytes(),
                  a.wireBytes() + b.wireBytes()));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("the encoder wrote a frame that does not parse", e);
    }
  }

  @Test
  void everySegmentArrivesOnceInOrderThroughACappedLinkAndASlowerReceiverThatPacesTheProducer()
      throws Exception {
    SyntheticTrace trace = new SyntheticTrace(200_000, LIMITS);
    AtomicLong framesSent = new AtomicLong();
    AtomicLong framesTaken = new AtomicLong();
    AtomicLong maxLead = new AtomicLong();
    AtomicLong maxBacklog = new AtomicLong();
    Map<FrameKind, KindCounts> produced = new ConcurrentHashMap<>();
    BandwidthCap cap = new BandwidthCap(32 << 20);
    // Both ends count into one object, as they can in one JVM; a clock that stands still puts the
    // whole transfer in the rate's window, so the rate is exactly the bytes sent per window.
    StreamMetrics metrics = new StreamMetrics(cap, () -> 0L, java.time.Duration.ofSeconds(1));
    String name = "trace-paced";
    CompletableFuture<Receipt> outcome =
        nodes.receiveOnReceiver(
            name,
            frames ->
                frames
                    .via(metrics.countReceived())
                    .map(
                        frame -> {
                          long taken = framesTaken.incrementAndGet();
                          maxLead.accumulateAndGet(framesSent.get() - taken, Math::max);
                          maxBacklog.accumulateAndGet(
                              metrics.snapshot().backlogFrames(), Math::max);
                          return chew(frame);
                        })
                    .runWith(
                        TraceStreams.receive(STREAM, SyntheticTrace.START_ICOUNT), nodes.receiver));

    offer(
        name,
        Source.fromIterator(() -> trace)
            .via(TraceStreams.encode(STREAM, SEGMENTS_PER_FRAME))
            .map(
                frame -> {
                  if (framesSent.incrementAndGet() == 400) {
                    cap.setBytesPerSecond(64 << 20); // raised while the transfer runs
                  }
                  expect(produced, frame);
                  return frame;
                })
            .via(cap.flow())
            .via(metrics.countSent()));
    Receipt receipt = outcome.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertTrue(receipt.finished(), "the final segment arrived");
    assertEquals(trace.produced(), receipt.segments());
    assertEquals(trace.events(), receipt.events());
    assertTrue(trace.produced() > 2_000, "segments: " + trace.produced());
    // Frames in flight are bounded by the StreamRef's buffer (16) and a stage or two of demand,
    // never by the length of the trace: the slow receiver paced the producer.
    long frames = framesSent.get();
    assertTrue(frames > 500, "frames: " + frames);
    assertTrue(maxLead.get() <= 64, "producer ran " + maxLead.get() + " frames ahead");
    assertTrue(maxBacklog.get() <= 64, "metrics showed a backlog of " + maxBacklog.get());

    Snapshot snapshot = metrics.snapshot();
    assertEquals(produced, snapshot.sent());
    assertEquals(produced, snapshot.received());
    assertEquals(frames - 1, snapshot.sent(FrameKind.TRACE_SEGMENTS).frames());
    assertEquals(receipt.frames(), snapshot.received(FrameKind.TRACE_SEGMENTS).frames());
    assertEquals(1, snapshot.received(FrameKind.END).frames());
    assertEquals(0, snapshot.backlogFrames());
    assertEquals(0, snapshot.backlogWireBytes());
    long wireBytes = produced.values().stream().mapToLong(KindCounts::wireBytes).sum();
    assertEquals(wireBytes, snapshot.sentBytesPerSecond());
    assertEquals(wireBytes, snapshot.receivedBytesPerSecond());
    assertEquals(64 << 20, snapshot.capBytesPerSecond());
  }

  @Test
  void flippedByteFailsTheReceivingStreamNamingTheFrame() throws Exception {
    String name = "trace-corrupt";
    CompletableFuture<Receipt> outcome =
        nodes.receiveOnReceiver(
            name,
            frames ->
                frames.runWith(
                    TraceStreams.receive(STREAM, SyntheticTrace.START_ICOUNT), nodes.receiver));

    offer(
        name,
        Source.fromIterator(() -> new SyntheticTrace(20_000, LIMITS))
            .via(TraceStreams.encode(STREAM, SEGMENTS_PER_FRAME))
            .zipWithIndex()
            .map(
                indexed -> {
                  ByteString frame = indexed.first();
                  if (indexed.second() != 7) {
                    return frame;
                  }
                  byte[] bytes = frame.toArray();
                  bytes[bytes.length - 1] ^= 0x01; // inside the payload, the frame's last field
                  return ByteString.fromArrayUnsafe(bytes);
                }));

    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () -> outcome.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    FrameException refused = assertInstanceOf(FrameException.class, failure.getCause());
    assertEquals(FrameException.Problem.CORRUPT, refused.problem());
    assertEquals(7, refused.sequence());
    assertTrue(refused.getMessage().startsWith("frame 7 is corrupt"), refused.getMessage());
  }
}
