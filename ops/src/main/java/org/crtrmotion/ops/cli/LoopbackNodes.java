package org.crtrmotion.ops.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.BulkLane;

/**
 * Two Pekko nodes in one JVM on 127.0.0.1, each on its own free port, that hand a stream of frames
 * from one to the other as a {@link SourceRef} over Artery TCP, as a migration's source offers its
 * streams to its target. Remoting without the cluster: the receiving actor's address travels as the
 * string {@link ActorRefResolver} makes of it, which is all a benchmark needs.
 */
final class LoopbackNodes implements AutoCloseable {
  /** The settings a transfer's speed depends on. */
  record Tuning(int streamRefBufferElements, int maximumFrameBytes) {
    Tuning {
      if (streamRefBufferElements <= 0 || maximumFrameBytes < 32 << 10) {
        throw new IllegalArgumentException(
            "stream-ref buffer of "
                + streamRefBufferElements
                + " elements, Artery frames of "
                + maximumFrameBytes
                + " bytes");
      }
    }
  }

  private static final Duration PATIENCE = Duration.ofMinutes(10);

  private final AtomicInteger transfers = new AtomicInteger();
  private final int maximumFrameBytes;
  private final ActorSystem<Void> sender;
  private final ActorSystem<Void> receiver;

  LoopbackNodes(Tuning tuning) {
    maximumFrameBytes = tuning.maximumFrameBytes();
    sender = start(tuning);
    receiver = start(tuning);
  }

  private static ActorSystem<Void> start(Tuning tuning) {
    String settings =
        String.format(
            Locale.ROOT,
            """
pekko.loglevel = WARNING
# stdout is the bench's report; Pekko's fallback logger (at shutdown) must not write there.
pekko.stdout-loglevel = OFF
pekko.actor.provider = remote
pekko.remote.warn-about-direct-use = off
pekko.remote.artery.transport = tcp
pekko.remote.artery.canonical.hostname = 127.0.0.1
pekko.remote.artery.canonical.port = 0
pekko.remote.artery.advanced.maximum-frame-size = %d
pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
pekko.stream.materializer.stream-ref.buffer-capacity = %d
""",
            tuning.maximumFrameBytes(),
            tuning.streamRefBufferElements());
    Config config = ConfigFactory.parseString(settings).withFallback(ConfigFactory.load());
    return ActorSystem.create(Behaviors.empty(), "crtr-bench", config);
  }

  /** What carries the frames between the nodes. */
  enum Lane {
    /** A StreamRef over Artery, as the cluster's remoting carries every stream by default. */
    STREAM_REF("StreamRef over Artery TCP"),
    /** log-streaming's bulk lane: a TCP connection of its own, offered over remoting. */
    TCP("bulk lane (Pekko Streams TCP, offered over Artery)");

    final String description;

    Lane(String description) {
      this.description = description;
    }
  }

  private static final String STREAM = "bench/lane";

  /**
   * Runs {@code frames} on the sending node and {@code receive} on the receiving node over what
   * crosses between them by {@code lane}; returns what {@code receive} completes with.
   */
  <R> R transfer(
      Lane lane, Source<ByteString, ?> frames, Sink<ByteString, CompletionStage<R>> receive)
      throws Exception {
    return switch (lane) {
      case STREAM_REF -> transfer(frames, receive);
      case TCP -> overBulkLane(frames, receive);
    };
  }

  /**
   * Runs {@code frames} on the sending node and {@code receive} on the receiving node over a
   * StreamRef; returns what {@code receive} completes with.
   */
  <R> R transfer(Source<ByteString, ?> frames, Sink<ByteString, CompletionStage<R>> receive)
      throws Exception {
    CompletableFuture<R> outcome = new CompletableFuture<>();
    ActorRef<SourceRef<ByteString>> remote =
        receivingActor(ref -> ref.getSource(), receive, outcome);
    remote.tell(frames.runWith(StreamRefs.sourceRef(), sender));
    return outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The same over log-streaming's bulk lane: the sender serves the frames on a port of its own and
   * its offer crosses remoting to the receiving actor, which connects.
   */
  private <R> R overBulkLane(
      Source<ByteString, ?> frames, Sink<ByteString, CompletionStage<R>> receive) throws Exception {
    CompletableFuture<R> outcome = new CompletableFuture<>();
    ActorRef<ByteString> remote =
        receivingActor(
            offer ->
                BulkLane.connect(receiver, BulkLane.Offer.parse(STREAM, offer), maximumFrameBytes),
            receive,
            outcome);
    BulkLane.Offer offer =
        BulkLane.serve(sender, STREAM, "127.0.0.1", frames, PATIENCE)
            .second()
            .toCompletableFuture()
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    remote.tell(offer.toBytes());
    return outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * An actor on the receiving node, as the sending node reaches it through remoting: it turns the
   * one message it gets into frames, runs them into {@code receive} and completes {@code outcome}.
   */
  private <M, R> ActorRef<M> receivingActor(
      java.util.function.Function<M, Source<ByteString, ?>> frames,
      Sink<ByteString, CompletionStage<R>> receive,
      CompletableFuture<R> outcome) {
    Behavior<M> behavior =
        Behaviors.receive(
            (ctx, message) -> {
              frames
                  .apply(message)
                  .runWith(receive, ctx.getSystem())
                  .whenComplete(
                      (result, failure) -> {
                        if (failure != null) {
                          outcome.completeExceptionally(failure);
                        } else {
                          outcome.complete(result);
                        }
                      });
              return Behaviors.stopped();
            });
    ActorRef<M> local =
        receiver.systemActorOf(behavior, "receive-" + transfers.incrementAndGet(), Props.empty());
    // The sender reaches the receiving actor through remoting, as it would on another host.
    String address = ActorRefResolver.get(receiver).toSerializationFormat(local);
    return ActorRefResolver.get(sender).resolveActorRef(address);
  }

  /** The same stream run inside the sending node, with no remoting: what the stages cost alone. */
  <R> R withinOneNode(Source<ByteString, ?> frames, Sink<ByteString, CompletionStage<R>> receive)
      throws Exception {
    return frames
        .runWith(receive, sender)
        .toCompletableFuture()
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    receiver.terminate();
    sender.terminate();
    receiver.getWhenTerminated().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    sender.getWhenTerminated().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }
}
