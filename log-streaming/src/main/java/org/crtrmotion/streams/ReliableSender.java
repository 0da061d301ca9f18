package org.crtrmotion.streams;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.ReliableStreamException.Reason;
import org.crtrmotion.streams.proto.StreamsProto.Control;

/**
 * The sending end of a reliable stream. The producer's encoded frames go into an {@link
 * OutboundLog} ({@link #producer}); a receiver opens a connection by sending a {@code Resume} to
 * {@link #endpoint} and is answered with a {@link SourceRef} of the log's frames from the sequence
 * number it asked for, through {@code link} (a bandwidth cap, counters). The receiver's
 * acknowledgements to the same endpoint drop frames from the log. A connection that ends before the
 * END frame is acknowledged starts the resume deadline: without a new {@code Resume} or progress of
 * acknowledgements within it, the sender fails ({@link #done}) with the reason.
 *
 * <p>One connection at a time: a {@code Resume} closes the connection before it, whose late
 * termination is then ignored.
 */
public final class ReliableSender {
  private static final AtomicInteger ENDPOINTS = new AtomicInteger();

  private final ActorSystem<?> system;
  private final String streamId;
  private final OutboundLog log;
  private final Flow<ByteString, ByteString, NotUsed> link;
  private final Duration resumeDeadline;
  private final String bulkHost; // null: connections are StreamRefs over Artery
  private final CompletableFuture<Done> done = new CompletableFuture<>();
  private final ActorRef<ByteString> endpoint;

  // Guarded by this.
  private int epoch;
  private UniqueKillSwitch connection;
  private boolean connected;
  private Throwable dropCause = new IllegalStateException("no receiver has connected yet");
  private long lastProgressNanos = System.nanoTime();
  private Cancellable deadlineCheck;
  private int connections;

  private ReliableSender(
      ActorSystem<?> system,
      OutboundLog log,
      Flow<ByteString, ByteString, NotUsed> link,
      Duration resumeDeadline,
      String bulkHost) {
    this.system = system;
    this.bulkHost = bulkHost;
    this.log = log;
    this.streamId = log.streamId();
    this.link = link;
    this.resumeDeadline = resumeDeadline;
    String name =
        "reliable-sender-"
            + streamId.replaceAll("[^A-Za-z0-9_-]", "_")
            + "-"
            + ENDPOINTS.incrementAndGet();
    this.endpoint =
        system.systemActorOf(
            Behaviors.<ByteString>receiveMessage(
                frame -> {
                  onControl(frame);
                  return Behaviors.same();
                }),
            name,
            Props.empty());
  }

  /**
   * A sender of {@code log}'s stream whose connections pass through {@code link}; the resume
   * deadline also bounds the wait for the first connection.
   */
  public static ReliableSender start(
      ActorSystem<?> system,
      OutboundLog log,
      Flow<ByteString, ByteString, NotUsed> link,
      Duration resumeDeadline) {
    return start(system, log, link, resumeDeadline, null);
  }

  /**
   * The same, but each connection carries its frames over a {@link BulkLane} bound on {@code
   * bulkHost} (an address of this node the receiver can reach) instead of a StreamRef: the resume
   * request is answered with the lane's offer, and acknowledgements, resume and deadlines work as
   * with StreamRefs. A receiver takes whichever it is handed.
   */
  public static ReliableSender startOverBulkLane(
      ActorSystem<?> system,
      OutboundLog log,
      Flow<ByteString, ByteString, NotUsed> link,
      Duration resumeDeadline,
      String bulkHost) {
    return start(system, log, link, resumeDeadline, Objects.requireNonNull(bulkHost, "bulkHost"));
  }

  private static ReliableSender start(
      ActorSystem<?> system,
      OutboundLog log,
      Flow<ByteString, ByteString, NotUsed> link,
      Duration resumeDeadline,
      String bulkHost) {
    ReliableSender sender =
        new ReliableSender(
            Objects.requireNonNull(system, "system"),
            Objects.requireNonNull(log, "log"),
            Objects.requireNonNull(link, "link"),
            Objects.requireNonNull(resumeDeadline, "resumeDeadline"),
            bulkHost);
    synchronized (sender) {
      sender.scheduleCheck(resumeDeadline);
    }
    return sender;
  }

  /** Where the receiver sends its {@code CONTROL} frames (resume, acknowledge, abandon). */
  public ActorRef<ByteString> endpoint() {
    return endpoint;
  }

  /**
   * A sink for the encoded frames of the stream (END last): each is offered to the log and the next
   * is taken only once the log holds it, so a full log backpressures the producer and nothing is
   * dropped. A producer that fails fails the stream for the receiver too.
   */
  public Sink<ByteString, CompletionStage<Done>> producer() {
    return Flow.<ByteString>create()
        .mapAsync(1, frame -> log.offer(frame).thenApply(ignored -> Done.getInstance()))
        .watchTermination(
            (ignored, finished) -> {
              finished.whenComplete(
                  (ok, failure) -> {
                    if (failure != null) {
                      fail(
                          failure instanceof RuntimeException e
                              ? e
                              : new IllegalStateException(failure));
                    }
                  });
              return NotUsed.getInstance();
            })
        .toMat(Sink.ignore(), Keep.right());
  }

  /** Completes when the receiver has acknowledged the END frame; fails with the reason if not. */
  public CompletionStage<Done> done() {
    return done;
  }

  public OutboundLog log() {
    return log;
  }

  /** Connections opened so far. */
  public synchronized int connections() {
    return connections;
  }

  /**
   * Breaks the current connection with {@code cause}, as a failed transport would: the receiver
   * sees its stream fail and must resume. For fault injection.
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

  private void onControl(ByteString frame) {
    try {
      Control control = ControlFrames.decode(streamId, frame);
      switch (control.getMessageCase()) {
        case RESUME ->
            resume(control.getResume().getNextSequence(), control.getResume().getReplyTo());
        case ACKNOWLEDGE -> acknowledge(control.getAcknowledge().getNextSequence());
        case ABANDON ->
            abandoned(control.getAbandon().getNextSequence(), control.getAbandon().getReason());
        default -> throw new IllegalStateException("decode refuses " + control.getMessageCase());
      }
    } catch (RuntimeException e) {
      // A peer that speaks another version or breaks the protocol: the stream cannot go on, and
      // the endpoint must not die silently with the reason in a log line.
      fail(e);
    }
  }

  private void resume(long from, String replyTo) {
    // The answer is a SourceRef or a bulk lane's offer (as bytes); both cross Artery as they are.
    ActorRef<StatusReply<Object>> reply = ActorRefResolver.get(system).resolveActorRef(replyTo);
    UniqueKillSwitch previous;
    CompletionStage<Object> answer;
    synchronized (this) {
      if (done.isDone()) {
        reply.tell(StatusReply.error(refusal(from, "it is no longer served: " + outcome())));
        return;
      }
      OutboundLog.Stats stats = log.stats();
      if (from < stats.acknowledgedSequence() || from > stats.nextSequence()) {
        reply.tell(
            StatusReply.error(
                refusal(
                    from,
                    "the log holds frames "
                        + stats.acknowledgedSequence()
                        + " to "
                        + (stats.nextSequence() - 1))));
        return;
      }
      log.acknowledge(from);
      previous = connection;
      int mine = ++epoch;
      connections++;
      connected = true;
      Source<ByteString, UniqueKillSwitch> frames =
          Source.fromGraph(new LogSource(log, from))
              .via(link)
              .viaMat(KillSwitches.single(), Keep.right())
              .watchTermination(
                  (killSwitch, finished) -> {
                    finished.whenComplete((ok, failure) -> connectionEnded(mine, failure));
                    return killSwitch;
                  });
      if (bulkHost == null) {
        Pair<UniqueKillSwitch, SourceRef<ByteString>> opened =
            frames.toMat(StreamRefs.sourceRef(), Keep.both()).run(system);
        connection = opened.first();
        answer = CompletableFuture.<Object>completedFuture(opened.second());
      } else {
        Pair<UniqueKillSwitch, CompletionStage<BulkLane.Offer>> opened =
            BulkLane.serve(system, streamId, bulkHost, frames, resumeDeadline);
        connection = opened.first();
        answer = opened.second().thenApply(offer -> offer.toBytes());
      }
    }
    if (previous != null) {
      previous.abort(new IllegalStateException("superseded by a resume from frame " + from));
    }
    answer.whenComplete(
        (handed, failure) ->
            reply.tell(
                failure == null
                    ? StatusReply.success(handed)
                    : StatusReply.error(
                        refusal(from, "its bulk lane could not be opened: " + failure))));
    finishIfDelivered();
  }

  private String refusal(long from, String why) {
    return "sender of stream '" + streamId + "' cannot resume at frame " + from + ": " + why;
  }

  private String outcome() {
    return done.isCompletedExceptionally()
        ? done.handle((ok, failure) -> String.valueOf(failure.getMessage())).join()
        : "the stream was delivered";
  }

  private void acknowledge(long next) {
    try {
      log.acknowledge(next);
    } catch (IllegalArgumentException e) {
      fail(e);
      return;
    }
    synchronized (this) {
      lastProgressNanos = System.nanoTime();
    }
    finishIfDelivered();
  }

  private void abandoned(long next, String reason) {
    fail(
        new ReliableStreamException(
            Reason.ABANDONED,
            streamId,
            next - 1,
            "receiver abandoned stream '" + streamId + "' at frame " + next + ": " + reason,
            null));
  }

  private void connectionEnded(int which, Throwable failure) {
    if (failure instanceof SpillException lost) {
      // The log cannot give back a frame it holds: serving it again would fail again, forever.
      fail(lost);
      return;
    }
    synchronized (this) {
      if (which != epoch || done.isDone()) {
        return;
      }
      connected = false;
      connection = null;
      dropCause =
          failure != null
              ? failure
              : new IllegalStateException("the connection ended before END was acknowledged");
      lastProgressNanos = System.nanoTime();
      scheduleCheck(resumeDeadline);
    }
    finishIfDelivered();
  }

  private void scheduleCheck(Duration after) {
    if (deadlineCheck != null) {
      deadlineCheck.cancel();
    }
    deadlineCheck =
        system.scheduler().scheduleOnce(after, this::checkDeadline, system.executionContext());
  }

  private void checkDeadline() {
    ReliableStreamException expired;
    synchronized (this) {
      if (done.isDone() || connected) {
        return;
      }
      long waited = System.nanoTime() - lastProgressNanos;
      if (waited < resumeDeadline.toNanos()) {
        scheduleCheck(Duration.ofNanos(resumeDeadline.toNanos() - waited));
        return;
      }
      long last = log.stats().acknowledgedSequence() - 1;
      expired =
          new ReliableStreamException(
              Reason.NOT_RESUMED,
              streamId,
              last,
              notResumed(streamId, resumeDeadline, last, dropCause),
              dropCause);
    }
    fail(expired);
  }

  static String notResumed(String streamId, Duration deadline, long lastFrame, Throwable cause) {
    String where = lastFrame < 0 ? "before its first frame" : "after frame " + lastFrame;
    return "stream '"
        + streamId
        + "' not resumed within "
        + deadline.toMillis()
        + " ms "
        + where
        + ": "
        + cause;
  }

  private void finishIfDelivered() {
    if (!log.isDelivered()) {
      return;
    }
    synchronized (this) {
      if (deadlineCheck != null) {
        deadlineCheck.cancel();
      }
    }
    log.close();
    done.complete(Done.getInstance());
  }

  private void fail(RuntimeException cause) {
    UniqueKillSwitch current;
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      current = connection;
      if (deadlineCheck != null) {
        deadlineCheck.cancel();
      }
    }
    log.fail(cause);
    if (current != null) {
      current.abort(cause);
    }
    done.completeExceptionally(cause);
  }
}
