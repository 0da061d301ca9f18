package org.crtrmotion.actors.coordinator;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.DowntimeModel;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.precopy.PrecopyStream;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.streams.BandwidthCap;
import org.crtrmotion.streams.PageBatches;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.memory.GuestMemory;

/**
 * Pre-copy on the source: one connection ({@link PrecopyStream}) carries round 0's state, then
 * round after round of the pages dirtied meanwhile, each taken from the VM as soon as the one
 * before has gone onto the link, each through the migration's {@link BandwidthCap} at {@code
 * max-bandwidth} (the streams run one after the other: one at a time holds the link). After each
 * round the pages written since its snapshot are counted: a round measures bytes sent, those dirty
 * pages (the remaining bytes), the dirty rate, the link rate, and QEMU's expected downtime ({@link
 * DowntimeModel#precopyMillis}). A freeze asked by the coordinator is carried out at the next round
 * boundary: the VM paused, the last pages and the state sent.
 */
final class PrecopySourceEngine implements SourceEngine {
  private static final int PAGES_PER_BATCH = 16;

  /** What the last finished round measured. */
  private record Figures(
      int round, long bytes, long nanos, long remainingBytes, long linkBytesPerSecond) {}

  private final ActorSystem<?> system;
  private final String migrationId;
  // Round 0's generation: the target has device state from round 0 only (set on a stream thread).
  private volatile int stateGeneration;
  private final ActorRef<VmActor.Command> vm;
  private final CoordinatorSettings settings;
  private final java.util.function.LongSupplier millisClock; // the coordinator's
  private volatile long pausedAtMillis = -1;
  private final Consumer<String> onFailure;
  private final BandwidthCap cap;
  private final AtomicLong pageBytes = new AtomicLong();
  private final AtomicLong controlBytes = new AtomicLong();
  private final CompletableFuture<Void> freezeAsked = new CompletableFuture<>();
  private final CompletableFuture<VmActor.Frozen> frozen = new CompletableFuture<>();

  private volatile Figures last;
  private volatile int measuredRound;
  private boolean freezeOrdered; // under this
  private boolean aborted; // under this
  private volatile int throttlePercent;
  private long lastBytesMeasured; // coordinator's thread
  private UniqueKillSwitch link;

  PrecopySourceEngine(
      ActorSystem<?> system,
      String migrationId,
      ActorRef<VmActor.Command> vm,
      MigrationParameters parameters,
      CoordinatorSettings settings,
      java.util.function.LongSupplier millisClock,
      Consumer<String> onFailure) {
    this.millisClock = millisClock;
    this.system = system;
    this.migrationId = migrationId;
    this.vm = vm;
    this.settings = settings;
    this.onFailure = onFailure;
    this.cap = new BandwidthCap(parameters.maxBandwidthBytesPerSecond());
  }

  @Override
  public CompletionStage<MigrationProtocol.ToTarget> start() {
    return ask(r -> new VmActor.TakePageRound(0, r))
        .thenApply(
            reply -> {
              if (!(reply instanceof VmActor.PageRound round0)) {
                throw new IllegalStateException("the VM gives no pages: " + describe(reply));
              }
              return new MigrationProtocol.StartPrecopy(migrationId, connection(round0.round()));
            });
  }

  /** A round on its way: its snapshot's generation, when it began, its bytes, when it is sent. */
  private record Round(
      int number,
      int generation,
      long startNanos,
      AtomicLong bytes,
      CompletableFuture<Long> sentAtNanos) {}

  /**
   * The unfold's state: the round last handed out (null before round 0) and whether it was the
   * last.
   */
  private record Step(Round previous, Checkpoint round0, boolean finished) {}

  private SourceRef<ByteString> connection(Checkpoint round0) {
    Pair<UniqueKillSwitch, SourceRef<ByteString>> running =
        Source.unfoldAsync(new Step(null, round0, false), this::next)
            .flatMapConcat(frames -> frames)
            .viaMat(KillSwitches.single(), Keep.right())
            .watchTermination(
                (kill, done) -> {
                  done.whenComplete(
                      (d, failure) -> {
                        if (failure != null) {
                          onFailure.accept("the page stream failed: " + failure.getMessage());
                        }
                      });
                  return kill;
                })
            .toMat(StreamRefs.sourceRef(), Keep.both())
            .run(system);
    link = running.first();
    return running.second();
  }

  /**
   * The next stream of the connection. The round after one handed out is taken only once that one
   * has gone onto the link and its dirty pages were counted, whenever the stream asks for it.
   */
  private CompletionStage<Optional<Pair<Step, Source<ByteString, NotUsed>>>> next(Step step) {
    if (step.finished()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (step.previous() == null) {
      Checkpoint round0 = step.round0();
      stateGeneration = round0.generation();
      Round first = begin(1, round0);
      Source<ByteString, NotUsed> frames =
          counted(
                  PrecopyStream.stateFrames(
                      PrecopyStream.stateStream(migrationId, false), round0.state()),
                  controlBytes,
                  null)
              .concat(pages(first, round0));
      return CompletableFuture.completedFuture(
          Optional.of(Pair.create(new Step(first, null, false), frames)));
    }
    Round previous = step.previous();
    // Once a freeze is asked, the round just sent needs no measure: the freeze copies what is left.
    return previous
        .sentAtNanos()
        .thenCompose(
            sentAt ->
                freezeAsked.isDone()
                    ? freezeRound(previous)
                    : measured(previous, sentAt)
                        .thenCompose(
                            v ->
                                freezeAsked.isDone() ? freezeRound(previous) : nextRound(previous)))
        .thenApply(Optional::of);
  }

  private Round begin(int number, Checkpoint snapshot) {
    return new Round(
        number,
        snapshot.generation(),
        System.nanoTime(),
        new AtomicLong(),
        new CompletableFuture<>());
  }

  private CompletionStage<Pair<Step, Source<ByteString, NotUsed>>> nextRound(Round previous) {
    return ask(r -> new VmActor.TakePageRound(previous.generation(), r))
        .thenApply(
            reply -> {
              if (!(reply instanceof VmActor.PageRound pr)) {
                throw new IllegalStateException("the VM gives no pages: " + describe(reply));
              }
              if (aborted()) {
                pr.round().close(); // no stream will read it: end its copy-on-write sharing
                throw new IllegalStateException("migration aborted");
              }
              Round round = begin(previous.number() + 1, pr.round());
              return Pair.create(new Step(round, null, false), pages(round, pr.round()));
            });
  }

  /** The stop-and-copy: the VM paused, its last pages and state; the digest read meanwhile. */
  private CompletionStage<Pair<Step, Source<ByteString, NotUsed>>> freezeRound(Round previous) {
    CompletionStage<VmActor.Reply> ordered;
    synchronized (this) {
      if (aborted) {
        return CompletableFuture.failedFuture(new IllegalStateException("migration aborted"));
      }
      // Ordered under the lock, so that an abort's Resume always reaches the VM after it.
      freezeOrdered = true;
      pausedAtMillis = millisClock.getAsLong(); // the guest pauses at its next slice boundary
      ordered = ask(r -> new VmActor.FreezeForCopy(previous.generation(), stateGeneration, r));
    }
    return ordered.thenApply(
        reply -> {
          if (!(reply instanceof VmActor.FrozenForCopy f)) {
            IllegalStateException e =
                new IllegalStateException("the VM cannot freeze: " + describe(reply));
            frozen.completeExceptionally(e);
            throw e;
          }
          ask(VmActor.GetDigest::new)
              .whenComplete(
                  (d, failure) -> {
                    if (d instanceof VmActor.Digest digest) {
                      frozen.complete(
                          new VmActor.Frozen(
                              f.vmId(),
                              f.instructions(),
                              digest.digest(),
                              f.outputDigest(),
                              f.lines(),
                              f.pendingLine()));
                    } else {
                      frozen.completeExceptionally(
                          new IllegalStateException(
                              "no digest from the frozen VM: "
                                  + (failure != null ? failure.getMessage() : describe(d))));
                    }
                  });
          Round last = begin(previous.number() + 1, f.last());
          Source<ByteString, NotUsed> frames =
              pages(last, f.last())
                  .concat(
                      counted(
                          PrecopyStream.stateFrames(
                              PrecopyStream.stateStream(migrationId, true), f.last().state()),
                          controlBytes,
                          null));
          return Pair.create(new Step(last, null, true), frames);
        });
  }

  private Source<ByteString, NotUsed> pages(Round round, Checkpoint snapshot) {
    return counted(
        PageBatches.frames(
            PrecopyStream.pagesStream(migrationId, round.number()),
            snapshot.memory(),
            PAGES_PER_BATCH),
        pageBytes,
        round);
  }

  /**
   * Paces {@code frames} through the cap, then counts them: a round's bytes and the time its last
   * frame left the cap are what the link carried, not what was read ahead of it.
   */
  private Source<ByteString, NotUsed> counted(
      Source<ByteString, NotUsed> frames, AtomicLong total, Round round) {
    return frames
        .via(cap.flow())
        .map(
            f -> {
              total.addAndGet(f.size());
              if (round != null) {
                round.bytes().addAndGet(f.size());
              }
              return f;
            })
        .watchTermination(
            (notUsed, done) -> {
              if (round != null) {
                done.whenComplete(
                    (d, failure) -> {
                      if (failure != null) {
                        round.sentAtNanos().completeExceptionally(failure);
                      } else {
                        round.sentAtNanos().complete(System.nanoTime());
                      }
                    });
              }
              return notUsed;
            });
  }

  /** Counts the pages dirtied since the round's snapshot: what a freeze now would copy. */
  private CompletionStage<Void> measured(Round round, long sentAtNanos) {
    return ask(r -> new VmActor.CountDirtyPages(round.generation(), r))
        .thenAccept(
            reply -> {
              if (!(reply instanceof VmActor.DirtyPages dirty)) {
                throw new IllegalStateException("the VM counts no pages: " + describe(reply));
              }
              long nanos = Math.max(1, sentAtNanos - round.startNanos());
              long bytes = round.bytes().get();
              long link = perSecond(bytes, nanos);
              if (cap.bytesPerSecond() > 0) {
                link = Math.min(link, cap.bytesPerSecond()); // a short round measures its burst
              }
              last =
                  new Figures(
                      round.number(),
                      bytes,
                      nanos,
                      (long) dirty.pages() * GuestMemory.PAGE_SIZE,
                      link);
            });
  }

  /** Only a round that finished since the last measure is a new measure. */
  @Override
  public boolean roundReady() {
    Figures f = last;
    return f != null && f.round() != measuredRound;
  }

  @Override
  public RoundReport measure(int round, long elapsedMillis, MigrationProtocol.Progress progress) {
    Figures f = last;
    long sent = bytes().total();
    long sentNow = sent - lastBytesMeasured;
    lastBytesMeasured = sent;
    if (f == null) {
      return new RoundReport(round, elapsedMillis, sentNow, 0, 0, 0, 0, 0, Long.MAX_VALUE, 0);
    }
    measuredRound = f.round();
    return new RoundReport(
        round,
        elapsedMillis,
        sentNow,
        f.remainingBytes(),
        0,
        f.linkBytesPerSecond(),
        perSecond(f.remainingBytes(), f.nanos()),
        0,
        DowntimeModel.precopyMillis(
            f.remainingBytes(), f.linkBytesPerSecond(), settings.handoverMillis()),
        throttlePercent);
  }

  @Override
  public CompletionStage<VmActor.Frozen> freeze() {
    freezeAsked.complete(null);
    return frozen;
  }

  @Override
  public java.util.OptionalLong pausedAtMillis() {
    long at = pausedAtMillis;
    return at < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
  }

  @Override
  public BytesByKind bytes() {
    return new BytesByKind(0, 0, pageBytes.get(), controlBytes.get());
  }

  @Override
  public boolean throttle(int percent) {
    ask(r -> new VmActor.SetThrottle(percent, r));
    throttlePercent = percent;
    return true;
  }

  @Override
  public int throttlePercent() {
    return throttlePercent;
  }

  @Override
  public CompletionStage<Void> abort(String reason) {
    if (link != null) {
      link.abort(new IllegalStateException("migration aborted: " + reason));
    }
    frozen.completeExceptionally(new IllegalStateException("migration aborted: " + reason));
    // The source runs on as before: unthrottled, and resumed if a freeze was ordered (a Resume of
    // a running guest only answers its status).
    boolean resume;
    synchronized (this) {
      aborted = true;
      resume = freezeOrdered;
    }
    CompletionStage<VmActor.Reply> unthrottled = ask(r -> new VmActor.SetThrottle(0, r));
    CompletionStage<VmActor.Reply> running =
        resume ? unthrottled.thenCompose(x -> ask(VmActor.Resume::new)) : unthrottled;
    return running.thenApply(
        reply -> {
          if (!(reply instanceof VmActor.Status)) {
            throw new IllegalStateException(
                "the source did not confirm it runs on: " + describe(reply));
          }
          return null;
        });
  }

  private synchronized boolean aborted() {
    return aborted;
  }

  @Override
  public void close() {
    // The stream ends by itself after the state at the freeze.
  }

  private CompletionStage<VmActor.Reply> ask(
      org.apache.pekko.japi.function.Function<ActorRef<VmActor.Reply>, VmActor.Command> command) {
    return AskPattern.ask(vm, command, settings.askTimeout(), system.scheduler());
  }

  private static long perSecond(long amount, long nanos) {
    return (long) (amount * 1e9 / nanos);
  }

  private static String describe(VmActor.Reply reply) {
    return reply instanceof VmActor.Refused r ? r.reason() : String.valueOf(reply);
  }
}
