package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.TraceStreams.Receipt;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reliable stream between two cluster nodes: the sender's {@link OutboundLog} holds every frame
 * until the receiver's acknowledgement comes back over Artery; resume requests, acknowledgements
 * and the {@code SourceRef} of each connection all cross the remoting as between hosts.
 */
class ReliableStreamAcrossNodesTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final TraceWriter.Limits SMALL_SEGMENTS = new TraceWriter.Limits(8 << 10, 64);

  private static TwoNodes nodes;

  @TempDir Path spill;

  @BeforeAll
  static void startNodes() {
    nodes = new TwoNodes();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    nodes.close();
  }

  /** The sender's endpoint as the receiving node sees it: a remote reference, through Artery. */
  private static ActorRef<ByteString> onReceiver(ActorRef<ByteString> endpoint) {
    String path = ActorRefResolver.get(nodes.sender).toSerializationFormat(endpoint);
    return ActorRefResolver.get(nodes.receiver).resolveActorRef(path);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  private List<Path> spillFiles() throws IOException {
    try (Stream<Path> files = Files.list(spill)) {
      return files.toList();
    }
  }

  /** A sender and receiver of one stream, and what the test watches of them. */
  private final class Link {
    final String stream;
    final OutboundLog log;
    final ReliableSender sender;
    final ReliableReceiver receiver;
    final CompletionStage<Done> produced;

    Link(
        String stream,
        OutboundLog.Options options,
        Source<ByteString, NotUsed> frames,
        Flow<ByteString, ByteString, NotUsed> link,
        Function<ActorRef<ByteString>, ActorRef<ByteString>> controlPath,
        Duration deadline) {
      this(stream, options, frames, link, controlPath, deadline, false);
    }

    Link(
        String stream,
        OutboundLog.Options options,
        Source<ByteString, NotUsed> frames,
        Flow<ByteString, ByteString, NotUsed> link,
        Function<ActorRef<ByteString>, ActorRef<ByteString>> controlPath,
        Duration deadline,
        boolean overBulkLane) {
      this.stream = stream;
      this.log = new OutboundLog(stream, options);
      this.sender =
          overBulkLane
              ? ReliableSender.startOverBulkLane(nodes.sender, log, link, deadline, "127.0.0.1")
              : ReliableSender.start(nodes.sender, log, link, deadline);
      this.produced = frames.runWith(sender.producer(), nodes.sender);
      this.receiver =
          new ReliableReceiver(
              nodes.receiver,
              stream,
              controlPath.apply(onReceiver(sender.endpoint())),
              0,
              deadline);
    }

    CompletionStage<Receipt> receive(Flow<ByteString, ByteString, NotUsed> consumer, long start) {
      return receiver
          .source()
          .via(consumer)
          .runWith(TraceStreams.receive(stream, start), nodes.receiver);
    }
  }

  private static Source<ByteString, NotUsed> trace(String stream, SyntheticTrace trace) {
    return Source.fromIterator(() -> trace).via(TraceStreams.encode(stream, 4));
  }

  private OutboundLog.Options smallLog() {
    return OutboundLog.Options.of(256 << 10, spill, 4 << 20);
  }

  /** Runs {@code action} once, when the frame numbered {@code sequence} reaches the receiver. */
  private static Flow<ByteString, ByteString, NotUsed> atFrame(long sequence, Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return Flow.<ByteString>create()
        .map(
            frame -> {
              if (FrameSequence.peek(frame).sequence() == sequence
                  && done.compareAndSet(false, true)) {
                action.run();
              }
              return frame;
            });
  }

  @Test
  void aTransportKilledMidTransferResumesWithoutLossOrDuplication() throws Exception {
    SyntheticTrace trace = new SyntheticTrace(100_000, SMALL_SEGMENTS);
    String stream = "vm-3/trace-dropped";
    Link link =
        new Link(
            stream, smallLog(), trace(stream, trace), Flow.create(), Function.identity(), DEADLINE);
    CompletionStage<Receipt> received =
        link.receive(
            atFrame(
                150,
                () -> link.sender.dropConnection(new IOException("transport killed by the test"))),
            SyntheticTrace.START_ICOUNT);

    Receipt receipt = await(received);
    await(link.sender.done());

    assertTrue(receipt.finished());
    assertEquals(trace.produced(), receipt.segments());
    assertEquals(trace.events(), receipt.events());
    assertEquals(2, link.receiver.connections());
    assertEquals(2, link.sender.connections());
    assertEquals(link.log.stats().nextSequence(), link.log.stats().framesAcknowledged());
    assertEquals(List.of(), spillFiles());
  }

  @Test
  void overTheBulkLaneAConnectionCutMidTransferResumesWithoutLossOrDuplication() throws Exception {
    // Cut at the receiver: over TCP the sender may already have written every frame into the
    // sockets' buffers by the time frame 150 arrives, so a cut there could miss the transfer.
    SyntheticTrace trace = new SyntheticTrace(100_000, SMALL_SEGMENTS);
    String stream = "vm-3/trace-bulk-dropped";
    Link link =
        new Link(
            stream,
            smallLog(),
            trace(stream, trace),
            Flow.create(),
            Function.identity(),
            DEADLINE,
            true);
    CompletionStage<Receipt> received =
        link.receive(
            atFrame(
                150,
                () -> link.receiver.dropConnection(new IOException("bulk lane cut by the test"))),
            SyntheticTrace.START_ICOUNT);

    Receipt receipt = await(received);
    await(link.sender.done());

    assertTrue(receipt.finished());
    assertEquals(trace.produced(), receipt.segments());
    assertEquals(trace.events(), receipt.events());
    assertEquals(2, link.receiver.connections());
    assertEquals(2, link.sender.connections());
    assertEquals(link.log.stats().nextSequence(), link.log.stats().framesAcknowledged());
    assertEquals(List.of(), spillFiles());
  }

  @Test
  void aRestartedReceivingStreamResumesWithoutLossOrDuplication() throws Exception {
    SyntheticTrace trace = new SyntheticTrace(100_000, SMALL_SEGMENTS);
    String stream = "vm-3/trace-restarted";
    Link link =
        new Link(
            stream, smallLog(), trace(stream, trace), Flow.create(), Function.identity(), DEADLINE);
    CompletionStage<Receipt> received =
        link.receive(
            atFrame(
                    100,
                    () ->
                        link.receiver.dropConnection(
                            new IllegalStateException("receiver restarted")))
                .via(
                    atFrame(
                        300,
                        () ->
                            link.receiver.dropConnection(
                                new IllegalStateException("receiver restarted again")))),
            SyntheticTrace.START_ICOUNT);

    Receipt receipt = await(received);
    await(link.sender.done());

    assertTrue(receipt.finished());
    assertEquals(trace.produced(), receipt.segments());
    assertEquals(trace.events(), receipt.events());
    assertEquals(3, link.receiver.connections());
    assertEquals(List.of(), spillFiles());
  }

  @Test
  void aConnectionNotResumedWithinTheDeadlineFailsBothEndsWithTheReason() throws Exception {
    String stream = "vm-3/trace-partitioned";
    AtomicBoolean linkUp = new AtomicBoolean(true);
    // The receiver's control messages pass through a gate on its own node: a partition drops
    // them, as a network would.
    Function<ActorRef<ByteString>, ActorRef<ByteString>> gate =
        endpoint ->
            nodes.receiver.systemActorOf(
                Behaviors.<ByteString>receiveMessage(
                    frame -> {
                      if (linkUp.get()) {
                        endpoint.tell(frame);
                      }
                      return Behaviors.same();
                    }),
                "gate-" + stream.replace('/', '-'),
                Props.empty());
    Duration deadline = Duration.ofSeconds(1);
    Link link =
        new Link(
            stream,
            smallLog(),
            trace(stream, new SyntheticTrace(100_000, SMALL_SEGMENTS)),
            Flow.create(),
            gate,
            deadline);
    CompletionStage<Receipt> received =
        link.receive(
            atFrame(
                120,
                () -> {
                  linkUp.set(false);
                  link.sender.dropConnection(new IOException("network partition"));
                }),
            SyntheticTrace.START_ICOUNT);

    ExecutionException atReceiver = assertThrows(ExecutionException.class, () -> await(received));
    ReliableStreamException receiverReason =
        assertInstanceOf(ReliableStreamException.class, atReceiver.getCause());
    assertEquals(ReliableStreamException.Reason.NOT_RESUMED, receiverReason.reason());
    // Frames already on their way when the transport died still arrive; the receiver names the
    // last one it has.
    long last = receiverReason.sequence();
    assertTrue(last >= 120, "last frame " + last);
    assertTrue(
        receiverReason
            .getMessage()
            .startsWith(
                "stream 'vm-3/trace-partitioned' not resumed within 1000 ms after frame "
                    + last
                    + ":"),
        receiverReason.getMessage());
    assertTrue(
        receiverReason.getMessage().contains("network partition"), receiverReason.getMessage());

    ExecutionException atSender =
        assertThrows(ExecutionException.class, () -> await(link.sender.done()));
    ReliableStreamException senderReason =
        assertInstanceOf(ReliableStreamException.class, atSender.getCause());
    assertEquals(ReliableStreamException.Reason.NOT_RESUMED, senderReason.reason());
    assertTrue(
        senderReason.getMessage().contains("not resumed within 1000 ms after frame"),
        senderReason.getMessage());
    assertTrue(senderReason.getMessage().contains("network partition"), senderReason.getMessage());
    assertEquals(List.of(), spillFiles());
  }

  /**
   * The receiver takes frame k only once the producer has offered frame k + {@code lead} (or has
   * finished): a consumer that lags by a fixed count, whatever the speed of either end.
   */
  private static Flow<ByteString, ByteString, NotUsed> lagging(
      OutboundLog log, long lead, CompletionStage<Done> produced) {
    CompletableFuture<Done> finished = produced.toCompletableFuture();
    return Flow.<ByteString>create()
        .mapAsync(
            1,
            frame -> {
              long sequence = FrameSequence.peek(frame).sequence();
              return CompletableFuture.anyOf(
                      log.whenOffered(sequence + lead).toCompletableFuture(), finished)
                  .thenApply(ignored -> frame);
            });
  }

  @Test
  void carriesOneGibibyteThroughALaggingReceiverWithinTheMemoryBound() throws Exception {
    long gibibyte = 1L << 30;
    BulkTrace trace = new BulkTrace(gibibyte);
    String stream = "vm-4/trace-gibibyte";
    long memoryBound = 16 << 20;
    OutboundLog.Options options =
        new OutboundLog.Options(memoryBound, spill, 64 << 20, 8 << 20, 0.75, 0.25);
    BandwidthCap cap = new BandwidthCap(512 << 20);
    StreamMetrics sent = new StreamMetrics(cap);
    StreamMetrics received = new StreamMetrics(cap);
    // Two 64 KiB segments to a frame: about 128 KiB, under Artery's 256 KiB frame limit.
    Link link =
        new Link(
            stream,
            options,
            Source.fromIterator(() -> trace).via(TraceStreams.encode(stream, 2)),
            cap.flow().via(sent.countSent()),
            Function.identity(),
            DEADLINE);
    sent.watch(link.log);
    // 384 frames of about 128 KiB: 48 MiB ahead of the receiver, three times the memory bound.
    CompletionStage<Receipt> receipt =
        link.receive(
            lagging(link.log, 384, link.produced).via(received.countReceived()),
            BulkTrace.START_ICOUNT);

    Receipt got = await(receipt);
    await(link.sender.done());

    assertTrue(got.finished());
    assertEquals(trace.segments(), got.segments());
    assertEquals(trace.events(), got.events());
    StreamMetrics.Snapshot snapshot = received.snapshot();
    long traceBytes = snapshot.received(FrameKind.TRACE_SEGMENTS).uncompressedBytes();
    assertTrue(traceBytes >= gibibyte, "trace bytes received: " + traceBytes);
    assertEquals(sent.snapshot().sent(), snapshot.received());

    OutboundLog.Stats stats = link.log.stats();
    assertTrue(stats.framesSpilled() > 0, "frames spilled: " + stats.framesSpilled());
    assertTrue(stats.spillHighWaterBytes() > 0);
    assertTrue(
        stats.memoryHighWaterBytes() <= memoryBound,
        "memory high water " + stats.memoryHighWaterBytes() + " > bound " + memoryBound);
    assertTrue(stats.spillHighWaterBytes() <= options.diskBudgetBytes());
    assertEquals(stats.nextSequence(), stats.framesAcknowledged());
    assertEquals(stats.nextSequence(), sent.reliability().orElseThrow().acknowledgedSequence());
    assertEquals(List.of(), spillFiles());
    System.out.printf(
        "1 GiB: %d frames, %d segments, %d trace bytes; %d frames spilled, spill high water %d,"
            + " memory high water %d%n",
        stats.nextSequence(),
        got.segments(),
        traceBytes,
        stats.framesSpilled(),
        stats.spillHighWaterBytes(),
        stats.memoryHighWaterBytes());
  }

  @Test
  void throttleRisesPastTheHighWaterMarkAndFallsWhenTheReceiverCatchesUp() throws Exception {
    SyntheticTrace trace = new SyntheticTrace(100_000, SMALL_SEGMENTS);
    String stream = "vm-5/trace-throttled";
    OutboundLog.Options options =
        new OutboundLog.Options(256 << 10, spill, 2 << 20, 256 << 10, 0.75, 0.25);
    CompletableFuture<Void> raised = new CompletableFuture<>();
    List<OutboundLog.Throttle> signals = new CopyOnWriteArrayList<>();
    Link link =
        new Link(
            stream, options, trace(stream, trace), Flow.create(), Function.identity(), DEADLINE);
    StreamMetrics metrics = new StreamMetrics(BandwidthCap.unlimited());
    metrics.watch(link.log);
    link.log.onThrottle(
        signal -> {
          signals.add(signal);
          if (signal.raised()) {
            raised.complete(null);
          }
        });
    // The receiver takes nothing until the throttle is up, then everything as fast as it can.
    CompletionStage<Receipt> receipt =
        link.receive(
            Flow.<ByteString>create().mapAsync(1, frame -> raised.thenApply(ignored -> frame)),
            SyntheticTrace.START_ICOUNT);

    Receipt got = await(receipt);
    await(link.sender.done());

    assertEquals(trace.produced(), got.segments());
    assertTrue(signals.size() >= 2, "signals: " + signals);
    assertTrue(signals.get(0).raised());
    assertTrue(signals.get(0).reason().contains("the receiver lags"), signals.get(0).reason());
    assertFalse(signals.get(1).raised());
    assertTrue(signals.get(1).reason().contains("caught up"), signals.get(1).reason());
    OutboundLog.Stats stats = link.log.stats();
    assertTrue(stats.spillHighWaterBytes() >= options.diskBudgetBytes() * 3 / 4);
    assertTrue(stats.throttleEpisodes() >= 1);
    StreamMetrics.Reliability seen = metrics.reliability().orElseThrow();
    assertFalse(seen.throttled());
    assertEquals(stats.throttleEpisodes(), seen.throttleEpisodes());
    assertEquals(0, seen.backlogFrames());
    assertEquals(0, seen.heldWireBytes());
    assertEquals(List.of(), spillFiles());
  }

  @Test
  void aCorruptedFrameIsNamedThroughTheReliablePathAndFailsBothEnds() throws Exception {
    String stream = "vm-6/trace-corrupt";
    Source<ByteString, NotUsed> frames =
        trace(stream, new SyntheticTrace(20_000, SMALL_SEGMENTS))
            .map(
                frame -> {
                  if (FrameSequence.peek(frame).sequence() != 7) {
                    return frame;
                  }
                  byte[] bytes = frame.toArray();
                  bytes[bytes.length - 1] ^= 0x01; // inside the payload, the frame's last field
                  return ByteString.fromArrayUnsafe(bytes);
                });
    Link link = new Link(stream, smallLog(), frames, Flow.create(), Function.identity(), DEADLINE);
    CompletionStage<Receipt> receipt = link.receive(Flow.create(), SyntheticTrace.START_ICOUNT);

    ExecutionException atReceiver = assertThrows(ExecutionException.class, () -> await(receipt));
    FrameException refused = assertInstanceOf(FrameException.class, atReceiver.getCause());
    assertEquals(FrameException.Problem.CORRUPT, refused.problem());
    assertEquals(7, refused.sequence());
    assertTrue(refused.getMessage().startsWith("frame 7 is corrupt"), refused.getMessage());

    ExecutionException atSender =
        assertThrows(ExecutionException.class, () -> await(link.sender.done()));
    ReliableStreamException abandoned =
        assertInstanceOf(ReliableStreamException.class, atSender.getCause());
    assertEquals(ReliableStreamException.Reason.ABANDONED, abandoned.reason());
    assertTrue(
        abandoned
            .getMessage()
            .startsWith("receiver abandoned stream 'vm-6/trace-corrupt' at frame 7:"),
        abandoned.getMessage());
    assertTrue(abandoned.getMessage().contains("frame 7 is corrupt"), abandoned.getMessage());
    assertEquals(List.of(), spillFiles());
  }

  @Test
  void aResumeFromAFrameTheSenderDoesNotHoldIsRefusedWithWhatItHolds() throws Exception {
    String stream = "vm-6/trace-refused";
    OutboundLog log = new OutboundLog(stream, smallLog());
    ReliableSender sender = ReliableSender.start(nodes.sender, log, Flow.create(), DEADLINE);
    trace(stream, new SyntheticTrace(2_000, SMALL_SEGMENTS))
        .runWith(sender.producer(), nodes.sender);
    ReliableReceiver receiver =
        new ReliableReceiver(
            nodes.receiver, stream, onReceiver(sender.endpoint()), 1_000_000, DEADLINE);

    CompletionStage<Receipt> receipt =
        receiver.source().runWith(TraceStreams.receive(stream, 0), nodes.receiver);

    ExecutionException atReceiver = assertThrows(ExecutionException.class, () -> await(receipt));
    ReliableStreamException refused =
        assertInstanceOf(ReliableStreamException.class, atReceiver.getCause());
    assertEquals(ReliableStreamException.Reason.REFUSED, refused.reason());
    assertTrue(
        refused
            .getMessage()
            .startsWith(
                "sender of stream 'vm-6/trace-refused' cannot resume at frame 1000000: the log"
                    + " holds frames 0 to "),
        refused.getMessage());
    ExecutionException atSender =
        assertThrows(ExecutionException.class, () -> await(sender.done()));
    assertInstanceOf(ReliableStreamException.class, atSender.getCause());
  }

  @Test
  void aCorruptSpillFileFailsTheSenderAndTheReceiverIsRefusedWithTheReason() throws Exception {
    String stream = "vm-6/trace-spill-corrupt";
    // 128 KiB spill files of about four frames; the throttle rises at 3 MiB, some 24 files in.
    OutboundLog.Options options =
        new OutboundLog.Options(256 << 10, spill, 4 << 20, 128 << 10, 0.75, 0.25);
    CompletableFuture<Void> damaged = new CompletableFuture<>();
    Link link =
        new Link(
            stream,
            options,
            trace(stream, new SyntheticTrace(200_000, SMALL_SEGMENTS)),
            Flow.create(),
            Function.identity(),
            DEADLINE);
    // Once the throttle is up the receiver has been served a few dozen frames at most: damage a
    // spill file far beyond them, then let the receiver go on.
    link.log.onThrottle(
        signal -> {
          if (signal.raised() && !damaged.isDone()) {
            try {
              Path file = spillFiles().stream().sorted().skip(12).findFirst().orElseThrow();
              flipLastByte(file);
              damaged.complete(null);
            } catch (IOException e) {
              damaged.completeExceptionally(e);
            }
          }
        });
    CompletionStage<Receipt> receipt =
        link.receive(
            Flow.<ByteString>create().mapAsync(1, frame -> damaged.thenApply(ignored -> frame)),
            SyntheticTrace.START_ICOUNT);

    ExecutionException atSender =
        assertThrows(ExecutionException.class, () -> await(link.sender.done()));
    SpillException lost = assertInstanceOf(SpillException.class, atSender.getCause());
    assertTrue(lost.getMessage().contains("is corrupt: frame "), lost.getMessage());
    ExecutionException atReceiver = assertThrows(ExecutionException.class, () -> await(receipt));
    ReliableStreamException refused =
        assertInstanceOf(ReliableStreamException.class, atReceiver.getCause());
    assertEquals(ReliableStreamException.Reason.REFUSED, refused.reason());
    assertTrue(refused.getMessage().contains("is corrupt: frame "), refused.getMessage());
    assertEquals(List.of(), spillFiles());
  }

  private static void flipLastByte(Path file) throws IOException {
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      long last = channel.size() - 1;
      channel.read(one, last);
      one.put(0, (byte) (one.get(0) ^ 0x01));
      one.rewind();
      channel.write(one, last);
    }
  }
}
