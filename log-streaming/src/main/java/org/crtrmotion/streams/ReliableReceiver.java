package org.crtrmotion.streams;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.ReliableStreamException.Reason;

/**
 * The receiving end of a reliable stream: {@link #source} is one continuous stream of the sender's
 * frames across as many connections as it takes. It opens a connection by asking the sender's
 * endpoint to resume at its next expected frame; when a connection fails or ends before the END
 * frame, it asks again from where it stopped, until {@code resumeDeadline} after the drop, and then
 * fails with the reason. Each frame is acknowledged once the consumer downstream has taken it in
 * (asked for the next one). A consumer that fails tells the sender, which fails too.
 *
 * <p>The frames are not verified here: the {@link FrameDecoder} downstream checks their sequence
 * across connections, which is what proves a resume left no gap and repeated nothing.
 */
public final class ReliableReceiver {
  /** Longest wait for one answer to a resume request; the deadline bounds the whole retrying. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  /** Pause between resume requests that failed, so a node that is down is not hammered. */
  static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private final ActorSystem<?> system;
  private final String streamId;
  private final ActorRef<ByteString> endpoint;
  private final Duration resumeDeadline;
  private final ControlFrames control;
  private final AtomicBoolean materialised = new AtomicBoolean();

  // Guarded by this.
  private long nextSequence; // one past the last frame handed to the consumer
  private long acknowledged; // one past the last frame the consumer has taken in
  private boolean endSeen;
  private boolean gaveUp;
  private CompletableFuture<Throwable> connectionEnded = CompletableFuture.completedFuture(null);
  private UniqueKillSwitch connection;
  private int connections;

  /**
   * A receiver of stream {@code streamId} from the sender whose endpoint is {@code endpoint},
   * starting at frame {@code firstSequence} (0 for a new stream; a receiver restarted with its
   * consumer's state resumes where that state ends).
   */
  public ReliableReceiver(
      ActorSystem<?> system,
      String streamId,
      ActorRef<ByteString> endpoint,
      long firstSequence,
      Duration resumeDeadline) {
    this.system = Objects.requireNonNull(system, "system");
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.resumeDeadline = Objects.requireNonNull(resumeDeadline, "resumeDeadline");
    this.control = new ControlFrames(streamId);
    this.nextSequence = firstSequence;
    this.acknowledged = firstSequence;
  }

  /**
   * The stream's frames in order, END last; to be materialised once. Place the consumer (decoder
   * and what follows) directly after it: its demand is what acknowledges.
   */
  public Source<ByteString, NotUsed> source() {
    if (!materialised.compareAndSet(false, true)) {
      throw new IllegalStateException("the source of stream '" + streamId + "' runs only once");
    }
    return Source.unfoldAsync(NotUsed.getInstance(), ignored -> nextConnection())
        .flatMapConcat(frames -> frames)
        .via(Flow.fromGraph(new AckOnDemand(this::acknowledge, this::consumerStopped)));
  }

  /** The frame the receiver expects next: where a resume starts. */
  public synchronized long nextSequence() {
    return nextSequence;
  }

  /** Connections opened so far. */
  public synchronized int connections() {
    return connections;
  }

  /**
   * Breaks the current connection with {@code cause}, as a restart of the receiving side's stream
   * would; the receiver resumes. For fault injection.
   */
  public void dropConnection(Throwable cause) {
    UniqueKillSwitch current;
    synchronized (this) {
      current = connection;
    }
    if (current != null) {
      current.abort(cause);
    }
  }

  /**
   * The next connection's frames once the previous connection has ended (at once for the first), or
   * none after the END frame.
   */
  private CompletionStage<Optional<Pair<NotUsed, Source<ByteString, NotUsed>>>> nextConnection() {
    CompletableFuture<Throwable> previous;
    synchronized (this) {
      previous = connectionEnded;
    }
    return previous.thenCompose(
        cause -> {
          synchronized (this) {
            if (endSeen) {
              return CompletableFuture.completedFuture(Optional.empty());
            }
          }
          Throwable why =
              cause != null ? cause : new IllegalStateException("no connection was open yet");
          long deadline = System.nanoTime() + resumeDeadline.toNanos();
          return open(deadline, why)
              .thenApply(
                  handed ->
                      Optional.of(Pair.create(NotUsed.getInstance(), frames(carried(handed)))));
        });
  }

  /**
   * The frames of what the sender handed over: a StreamRef, or the offer of a bulk lane (a {@link
   * BulkLane} connection of its own), whichever the sender was started with.
   */
  @SuppressWarnings("unchecked")
  private Source<ByteString, NotUsed> carried(Object handed) {
    if (handed instanceof SourceRef<?> ref) {
      return ((SourceRef<ByteString>) ref).getSource();
    }
    if (handed instanceof ByteString offer) {
      return BulkLane.connect(
          system, BulkLane.Offer.parse(streamId, offer), BulkLane.MAX_FRAME_BYTES);
    }
    throw new IllegalStateException(
        "the sender of stream '" + streamId + "' answered a resume with " + handed);
  }

  private CompletionStage<Object> open(long deadlineNanos, Throwable dropCause) {
    long from = nextSequence();
    long remaining = deadlineNanos - System.nanoTime();
    Duration timeout = Duration.ofNanos(Math.max(1, Math.min(remaining, ASK_TIMEOUT.toNanos())));
    ActorRefResolver resolver = ActorRefResolver.get(system);
    CompletionStage<Object> asked =
        AskPattern.askWithStatus(
            endpoint,
            (ActorRef<StatusReply<Object>> replyTo) ->
                control.resume(from, resolver.toSerializationFormat(replyTo)),
            timeout,
            system.scheduler());
    return asked
        .handle(
            (ref, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(ref);
              }
              Throwable cause = unwrap(failure);
              if (cause instanceof StatusReply.ErrorMessage refused) {
                return CompletableFuture.<Object>failedFuture(
                    giveUp(
                        new ReliableStreamException(
                            Reason.REFUSED, streamId, from - 1, refused.getMessage(), dropCause)));
              }
              if (System.nanoTime() - deadlineNanos >= 0) {
                return CompletableFuture.<Object>failedFuture(
                    giveUp(
                        new ReliableStreamException(
                            Reason.NOT_RESUMED,
                            streamId,
                            from - 1,
                            ReliableSender.notResumed(streamId, resumeDeadline, from - 1, dropCause)
                                + " (last attempt: "
                                + cause
                                + ")",
                            dropCause)));
              }
              return CompletableFuture.supplyAsync(
                      () -> null,
                      CompletableFuture.delayedExecutor(
                          RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS))
                  .thenCompose(ignored -> open(deadlineNanos, dropCause));
            })
        .thenCompose(stage -> stage);
  }

  private static Throwable unwrap(Throwable failure) {
    while (failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  /** One connection's frames; it never fails downstream: its end is what triggers a resume. */
  private Source<ByteString, NotUsed> frames(Source<ByteString, NotUsed> carried) {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    synchronized (this) {
      connectionEnded = ended;
      connections++;
    }
    return carried
        .viaMat(KillSwitches.single(), Keep.right())
        .map(this::noteReceived)
        .watchTermination(
            (killSwitch, finished) -> {
              synchronized (this) {
                connection = killSwitch;
              }
              finished.whenComplete((ok, failure) -> ended.complete(failure));
              return NotUsed.getInstance();
            })
        .recoverWithRetries(1, Throwable.class, Source::empty);
  }

  private ByteString noteReceived(ByteString frame) {
    FrameSequence header = FrameSequence.peek(frame);
    synchronized (this) {
      if (header.sequence() == nextSequence) {
        nextSequence++;
        endSeen = header.isEnd();
      }
    }
    return frame;
  }

  private void acknowledge(long next) {
    synchronized (this) {
      acknowledged = next;
    }
    endpoint.tell(control.acknowledge(next));
  }

  private void consumerStopped(Throwable cause) {
    long at;
    synchronized (this) {
      if (gaveUp) {
        return;
      }
      gaveUp = true;
      at = acknowledged;
    }
    endpoint.tell(control.abandon(at, String.valueOf(cause)));
  }

  private ReliableStreamException giveUp(ReliableStreamException reason) {
    consumerStopped(reason);
    return reason;
  }
}
