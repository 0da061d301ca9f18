package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.TraceStreams.Receipt;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Frames cross from one node to another over a bulk lane's TCP connection of their own. */
class BulkLaneTest {
  private static final String STREAM = "vm-3/trace";
  private static final TraceWriter.Limits LIMITS = new TraceWriter.Limits(8 << 10, 64);
  private static final int MAX_FRAME_BYTES = 1 << 20;
  private static final Duration ACCEPT = Duration.ofSeconds(30);

  private static TwoNodes nodes;

  @BeforeAll
  static void startNodes() {
    nodes = new TwoNodes();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    nodes.close();
  }

  private static Source<ByteString, ?> traceFrames(SyntheticTrace trace) {
    return Source.fromIterator(() -> trace).via(TraceStreams.encode(STREAM, 4, CodecPolicy.none()));
  }

  /** The offer as the receiver gets it: bytes that crossed the cluster, parsed there. */
  private static BulkLane.Offer served(Source<ByteString, ?> frames) throws Exception {
    BulkLane.Offer offer =
        BulkLane.serve(nodes.sender, STREAM, "127.0.0.1", frames, ACCEPT)
            .second()
            .toCompletableFuture()
            .get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    return BulkLane.Offer.parse(STREAM, offer.toBytes());
  }

  @Test
  void everySegmentCrossesTheLaneOnceInOrderWithItsChecksumsVerified() throws Exception {
    SyntheticTrace trace = new SyntheticTrace(50_000, LIMITS);
    BulkLane.Offer offer = served(traceFrames(trace));

    Receipt receipt =
        BulkLane.connect(nodes.receiver, offer, MAX_FRAME_BYTES)
            .runWith(TraceStreams.receive(STREAM, SyntheticTrace.START_ICOUNT), nodes.receiver)
            .toCompletableFuture()
            .get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertTrue(receipt.finished());
    assertEquals(50_000, receipt.events());
    assertEquals(trace.produced(), receipt.segments());
  }

  @Test
  void aConnectionWithoutTheTokenGetsNoFrameAndTheReceiverStillGetsEveryOne() throws Exception {
    List<ByteString> frames =
        List.of(
            ByteString.fromString("one"),
            ByteString.fromString("two"),
            ByteString.emptyByteString());
    BulkLane.Offer offer = served(Source.from(frames));
    BulkLane.Offer forged =
        new BulkLane.Offer(
            STREAM,
            offer.host(),
            offer.port(),
            ByteString.fromArrayUnsafe(new byte[BulkLane.TOKEN_BYTES]));

    CompletableFuture<List<ByteString>> intruder =
        BulkLane.connect(nodes.receiver, forged, MAX_FRAME_BYTES)
            .runWith(Sink.seq(), nodes.receiver)
            .toCompletableFuture();
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () -> intruder.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    List<ByteString> received =
        BulkLane.connect(nodes.receiver, offer, MAX_FRAME_BYTES)
            .runWith(Sink.seq(), nodes.receiver)
            .toCompletableFuture()
            .get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertTrue(refused.getCause() != null, "the forged connection is closed with a failure");
    assertEquals(frames, received);
  }

  @Test
  void aLaneNobodyTakesFailsItsFramesNamingTheStream() throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Source<ByteString, ?> frames =
        Source.repeat(ByteString.fromString("frame"))
            .watchTermination(
                (mat, done) -> done.whenComplete((ok, failure) -> ended.complete(failure)));

    BulkLane.serve(nodes.sender, STREAM, "127.0.0.1", frames, Duration.ofMillis(200))
        .second()
        .toCompletableFuture()
        .get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    Throwable failure = ended.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertInstanceOf(java.util.concurrent.TimeoutException.class, failure);
    assertEquals(
        "no receiver took the bulk lane of stream 'vm-3/trace' within 200 ms",
        failure.getMessage());
  }

  @Test
  void anOfferForAnotherStreamIsRefusedByName() {
    BulkLane.Offer offer =
        new BulkLane.Offer(
            "vm-4/trace", "127.0.0.1", 4000, ByteString.fromArrayUnsafe(new byte[16]));

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> BulkLane.Offer.parse(STREAM, offer.toBytes()));

    assertEquals(
        "bulk lane offer is for stream 'vm-4/trace', not for stream 'vm-3/trace'",
        refused.getMessage());
  }
}
