package org.crtrmotion.streams;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto;
import org.reactivestreams.Publisher;

/**
 * The bulk lane: one connection's frames over a Pekko Streams {@link Tcp} connection of their own
 * instead of a StreamRef over Artery. The same frames (sequence numbers, checksums, END) with the
 * same backpressure (TCP's window, Pekko's demand on both ends); only the carrier changes.
 *
 * <p>Why: a StreamRef serialises each element into Artery's envelope and copies it several times on
 * both nodes, on one thread per stream; that capped the raw trace at 0.2–0.3 of a plain socket on
 * this project's hosts (log-streaming README, "Bulk lane"). A TCP stream writes the frame's bytes
 * once into a direct buffer and reads them once out of one.
 *
 * <p>The sender {@link #serve}s a stream: it binds a port, and its {@link Offer} (host, port and a
 * random token) travels to the receiver over the cluster (an actor message, as a StreamRef would).
 * The receiver {@link #connect}s and writes the token; the first connection that presents it gets
 * the frames, each preceded by its length (4 bytes, big-endian); any other connection is closed,
 * and the port is released once the frames' connection is established. A sender whose offer is not
 * taken within the accept timeout fails its frames stream with a {@link TimeoutException}.
 */
public final class BulkLane {
  /**
   * The longest frame a receiver of a reliable stream accepts on a bulk lane; frames are far
   * smaller (a few hundred KiB), so this only stops a corrupt length from allocating without bound.
   */
  public static final int MAX_FRAME_BYTES = 64 << 20;

  /** Bytes of the random token that names an offer. */
  static final int TOKEN_BYTES = 16;

  private static final int LENGTH_BYTES = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private BulkLane() {}

  /**
   * Where the receiver of stream {@code streamId} takes its frames: a TCP endpoint and the token
   * that names this one offer.
   */
  public record Offer(String streamId, String host, int port, ByteString token) {
    public Offer {
      Objects.requireNonNull(streamId, "streamId");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(token, "token");
      if (port <= 0 || port > 0xffff) {
        throw new IllegalArgumentException("bulk lane port " + port + " is not 1 to 65535");
      }
      if (token.size() != TOKEN_BYTES) {
        throw new IllegalArgumentException(
            "bulk lane token of " + token.size() + " bytes, not " + TOKEN_BYTES);
      }
    }

    /**
     * As a {@code BulkOffer} message, which Pekko carries between nodes as a {@code ByteString}.
     */
    public ByteString toBytes() {
      return ByteString.fromArrayUnsafe(
          StreamsProto.BulkOffer.newBuilder()
              .setProtocolVersion(StreamsProtocol.VERSION)
              .setStreamId(streamId)
              .setHost(host)
              .setPort(port)
              .setToken(com.google.protobuf.ByteString.copyFrom(token.toArrayUnsafe()))
              .build()
              .toByteArray());
    }

    /**
     * The offer in {@code bytes}, for stream {@code streamId}; an offer that does not parse, speaks
     * another version or names another stream is refused by name.
     */
    public static Offer parse(String streamId, ByteString bytes) {
      StreamsProto.BulkOffer offer;
      try {
        offer = StreamsProto.BulkOffer.parseFrom(bytes.toArrayUnsafe());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(
            "bulk lane offer for stream '" + streamId + "' does not parse: " + e.getMessage(), e);
      }
      if (offer.getProtocolVersion() != StreamsProtocol.VERSION) {
        throw new IllegalArgumentException(
            "bulk lane offer speaks protocol version "
                + offer.getProtocolVersion()
                + ", this node "
                + StreamsProtocol.VERSION);
      }
      if (!offer.getStreamId().equals(streamId)) {
        throw new IllegalArgumentException(
            "bulk lane offer is for stream '"
                + offer.getStreamId()
                + "', not for stream '"
                + streamId
                + "'");
      }
      return new Offer(
          offer.getStreamId(),
          offer.getHost(),
          offer.getPort(),
          ByteString.fromArrayUnsafe(offer.getToken().toByteArray()));
    }
  }

  /**
   * Serves {@code frames} of stream {@code streamId} to the first connection on {@code host} that
   * presents the offer's token. The frames stream is materialised at once (so that its termination
   * watchers run even if nobody connects) and pulled only by the connection. Returns the frames'
   * materialised value and the offer, which completes once the port is bound.
   */
  public static <M> Pair<M, CompletionStage<Offer>> serve(
      ActorSystem<?> system,
      String streamId,
      String host,
      Source<ByteString, M> frames,
      Duration acceptTimeout) {
    ByteString token = randomToken();
    Pair<Pair<M, UniqueKillSwitch>, Publisher<ByteString>> served =
        frames
            .map(BulkLane::withLength)
            .viaMat(KillSwitches.single(), Keep.both())
            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
            .run(system);
    UniqueKillSwitch abort = served.first().second();
    Publisher<ByteString> publisher = served.second();
    AtomicBoolean taken = new AtomicBoolean();
    CompletableFuture<Tcp.ServerBinding> bound = new CompletableFuture<>();
    CompletionStage<Tcp.ServerBinding> binding =
        Tcp.get(system)
            .bind(host, 0)
            .to(
                Sink.foreach(
                    connection ->
                        connection.handleWith(
                            handler(token, taken, publisher, bound, streamId), system)))
            .run(system);
    // A port that cannot be bound ends the frames too, so that their watchers learn why.
    binding.whenComplete(
        (b, failure) -> {
          if (failure != null) {
            abort.abort(failure);
          }
        });
    CompletionStage<Offer> offer =
        binding.thenApply(
            b -> {
              bound.complete(b);
              // Once the lane is taken, the timeout finds it taken and does nothing.
              system
                  .scheduler()
                  .scheduleOnce(
                      acceptTimeout,
                      () -> {
                        if (taken.compareAndSet(false, true)) {
                          b.unbind();
                          abort.abort(
                              new TimeoutException(
                                  "no receiver took the bulk lane of stream '"
                                      + streamId
                                      + "' within "
                                      + acceptTimeout.toMillis()
                                      + " ms"));
                        }
                      },
                      system.executionContext());
              return new Offer(
                  streamId, b.localAddress().getHostString(), b.localAddress().getPort(), token);
            });
    return Pair.create(served.first().first(), offer);
  }

  /**
   * One accepted connection: reads the token; the first connection that presents it gets the frames
   * and releases the port, any other is closed.
   */
  private static Flow<ByteString, ByteString, NotUsed> handler(
      ByteString token,
      AtomicBoolean taken,
      Publisher<ByteString> publisher,
      CompletableFuture<Tcp.ServerBinding> bound,
      String streamId) {
    CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    // The handler is made per connection and its stages run one element at a time, so a plain
    // holder is enough. The read side is never cancelled: with TCP, that could close the
    // connection the frames leave by.
    ByteString[] presented = {ByteString.emptyByteString()};
    Sink<ByteString, CompletionStage<org.apache.pekko.Done>> tokenReader =
        Sink.foreach(
            chunk -> {
              if (admitted.isDone()) {
                return; // a receiver writes nothing after the token
              }
              presented[0] = presented[0].concat(chunk);
              if (presented[0].size() >= TOKEN_BYTES) {
                admitted.complete(
                    presented[0].take(TOKEN_BYTES).equals(token)
                        && taken.compareAndSet(false, true));
              }
            });
    Source<ByteString, NotUsed> out =
        Source.completionStageSource(
                admitted.thenApply(
                    ok -> {
                      if (!ok) {
                        throw new IllegalStateException(
                            "a connection to the bulk lane of stream '"
                                + streamId
                                + "' did not present its token, or came second");
                      }
                      bound.thenAccept(Tcp.ServerBinding::unbind);
                      return Source.fromPublisher(publisher);
                    }))
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    return Flow.fromSinkAndSourceMat(
        tokenReader,
        out,
        (reading, ignored) -> {
          // A connection closed before its token was read is not the receiver.
          reading.whenComplete((ok, failure) -> admitted.complete(false));
          return NotUsed.getInstance();
        });
  }

  /**
   * Takes the frames of {@code offer}: connects, presents the token, and emits each frame (at most
   * {@code maxFrameBytes}) as it arrives. Completes when the sender has sent its last frame; fails
   * when the connection fails or a frame is longer than allowed.
   */
  public static Source<ByteString, NotUsed> connect(
      ActorSystem<?> system, Offer offer, int maxFrameBytes) {
    return Source.single(offer.token())
        .concat(Source.maybe())
        .via(Tcp.get(system).outgoingConnection(offer.host(), offer.port()))
        .via(
            Framing.lengthField(
                LENGTH_BYTES, 0, maxFrameBytes + LENGTH_BYTES, ByteOrder.BIG_ENDIAN))
        .map(frame -> frame.drop(LENGTH_BYTES))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** The frame preceded by its length; the frame's bytes are not copied here. */
  static ByteString withLength(ByteString frame) {
    int n = frame.size();
    byte[] length = {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    return ByteString.fromArrayUnsafe(length).concat(frame);
  }

  private static ByteString randomToken() {
    byte[] token = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(token);
    return ByteString.fromArrayUnsafe(token);
  }
}
