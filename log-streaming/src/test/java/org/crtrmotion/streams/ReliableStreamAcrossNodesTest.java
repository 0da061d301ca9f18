package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
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
      this.stream = stream;
      this.log = new OutboundLog(stream, options);
      this.sender = ReliableSender.start(nodes.sender, log, link, deadline);
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
}
