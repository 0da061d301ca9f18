package org.crtrmotion.actors.precopy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.OutputContinuity;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.streams.BandwidthCap;
import org.crtrmotion.streams.PageBatches;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;

/**
 * One pre-copy migration of a running VM, from the source's side: round 0 (every page), rounds of
 * the pages dirtied meanwhile, each measured (bytes on the link, dirty pages left, dirty rate, link
 * rate) and decided by {@link PrecopyPlanner} — another round, a throttle step through {@link
 * VmActor.SetThrottle}, a freeze, or an abort — then the stop-and-copy, the digests compared at the
 * freeze, the commit point, the target live, the source gone. Before the commit point every failure
 * (a refusal, a failed stream, a digest mismatch, the deadline, a cancel) discards the target's
 * copy and runs the source on unthrottled; the report says why.
 *
 * <p>The protocol is a sequence of waits, so it runs on a thread of its own ({@code
 * crtr-precopy-<vmId>}), never on a dispatcher; each wait is bounded by the deadline, and a cancel
 * interrupts it.
 */
public final class PrecopyEngine {

  /** The target's side, wherever it runs: one system, or another node through the framework. */
  public interface Target {
    /**
     * Builds the target's copy from round 0's CPU and device state; completes when it takes pages.
     */
    CompletionStage<Void> begin(MachineState state, long instructions);

    /** Carries a round's frames (already capped) to the copy; completes once they are applied. */
    CompletionStage<PageBatches.Applied> round(String streamId, Source<ByteString, NotUsed> frames);

    /**
     * Loads the state at the freeze; completes with the copy's digest at that instruction count.
     */
    CompletionStage<VmActor.CaughtUp> finish(MachineState state, long instructions);

    /** After the commit point: the copy runs, its console numbered on from {@code nextLine}. */
    CompletionStage<Void> goLive(long nextLine, byte[] pendingLine);

    /** Before the commit point: the copy is dropped. */
    void discard(String reason);
  }

  /** Where the VM's ownership moves (the directory's compare-and-set); it may refuse. */
  public interface CommitPoint {
    CompletionStage<Void> commit(long freezeInstruction);

    CommitPoint NONE = at -> CompletableFuture.completedFuture(null);
  }

  /**
   * @param handoverMillis what a freeze costs besides the pages, in the planner's estimate
   * @param pagesPerBatch pages per frame (at most 16)
   */
  public record Settings(
      String migrationId,
      String vmId,
      String sourceNode,
      String targetNode,
      MigrationParameters parameters,
      long handoverMillis,
      int pagesPerBatch) {
    public static final long DEFAULT_HANDOVER_MILLIS = 20;
  }

  /** Why the protocol stops before the commit point. */
  private static final class Aborted extends Exception {
    Aborted(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final Duration ASK_BOUND = Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final ActorRef<VmActor.Command> source;
  // Round 0's generation: the target has device state from round 0 only.
  private int stateGeneration;
  private final Target target;
  private final CommitPoint commitPoint;
  private final Settings settings;
  private final BandwidthCap cap;
  private final LongSupplier nanoClock;
  private final Consumer<RoundReport> progress;
  private final CompletableFuture<MigrationReport> report = new CompletableFuture<>();
  private final Object commitLock = new Object();

  // Engine thread only, but for what the lock guards.
  private final List<RoundReport> rounds = new ArrayList<>();
  private long startNanos;
  private long deadlineNanos;
  private long setupMillis;
  private long pageBytes;
  private long controlBytes;
  private int throttlePercent;
  private int maxThrottlePercent;
  private boolean frozen;
  private Thread thread;
  private String cancelReason; // under commitLock
  private boolean pastCommitPoint; // under commitLock

  public PrecopyEngine(
      ActorSystem<?> system,
      ActorRef<VmActor.Command> source,
      Target target,
      CommitPoint commitPoint,
      Settings settings,
      BandwidthCap cap,
      LongSupplier nanoClock,
      Consumer<RoundReport> progress) {
    if (settings.parameters().strategy() != Strategy.PRECOPY) {
      throw new IllegalArgumentException(
          "the pre-copy engine runs pre-copy migrations, not " + settings.parameters().strategy());
    }
    this.system = system;
    this.source = source;
    this.target = target;
    this.commitPoint = commitPoint;
    this.settings = settings;
    this.cap = cap;
    this.nanoClock = nanoClock;
    this.progress = progress;
  }

  /** Starts the migration on its own thread; the stage completes with the report, either way. */
  public CompletionStage<MigrationReport> start() {
    synchronized (commitLock) {
      if (thread != null) {
        throw new IllegalStateException("migration " + settings.migrationId() + " already started");
      }
      thread = new Thread(this::run, "crtr-precopy-" + settings.vmId());
      thread.setDaemon(true);
      thread.start();
    }
    return report;
  }

  /**
   * Cancels the migration: true when it will abort with {@code reason}; false when the commit point
   * was already passed (the target owns the VM) or it had ended.
   */
  public boolean cancel(String reason) {
    synchronized (commitLock) {
      if (pastCommitPoint || report.isDone()) {
        return false;
      }
      cancelReason = "cancelled: " + reason;
      if (thread != null) {
        thread.interrupt();
      }
      return true;
    }
  }

  private void run() {
    startNanos = nanoClock.getAsLong();
    deadlineNanos = startNanos + settings.parameters().deadline().toNanos();
    try {
      report.complete(migrate());
    } catch (Aborted a) {
      report.complete(abort(a.getMessage()));
    } catch (RuntimeException e) {
      report.complete(abort("pre-copy failed: " + e));
    }
  }

  private MigrationReport migrate() throws Aborted {
    VmActor.PageRound round0 = ask(r -> new VmActor.TakePageRound(0, r), VmActor.PageRound.class);
    Checkpoint pages = round0.round();
    controlBytes += pages.state().getSerializedSize();
    await(target.begin(pages.state(), pages.instructions()), "the target's copy to be built");
    setupMillis = millisSince(startNanos);
    PrecopyPlanner planner = new PrecopyPlanner(settings.parameters(), settings.handoverMillis());
    int generation = pages.generation();
    stateGeneration = generation;
    for (int n = 1; ; n++) {
      long roundStart = nanoClock.getAsLong();
      long sent = send("round-" + n, pages.memory());
      long roundNanos = Math.max(1, nanoClock.getAsLong() - roundStart);
      int gen = generation;
      int dirty = ask(r -> new VmActor.CountDirtyPages(gen, r), VmActor.DirtyPages.class).pages();
      long remaining = (long) dirty * GuestMemory.PAGE_SIZE;
      long link = perSecond(sent, roundNanos);
      if (cap.bytesPerSecond() > 0) {
        link = Math.min(link, cap.bytesPerSecond()); // a short round measures the bucket's burst
      }
      long elapsed = millisSince(startNanos);
      PrecopyPlanner.Decision d =
          planner.decide(new PrecopyPlanner.Measure(n, remaining, link, elapsed, throttlePercent));
      RoundReport r =
          new RoundReport(
              n,
              elapsed,
              sent,
              remaining,
              0,
              link,
              perSecond(remaining, roundNanos),
              0,
              d.expectedDowntimeMillis(),
              throttlePercent);
      rounds.add(r);
      progress.accept(r);
      checkCancelled();
      if (d instanceof PrecopyPlanner.Freeze) {
        return freezeAndCommit(generation);
      } else if (d instanceof PrecopyPlanner.Abort a) {
        throw new Aborted(a.reason());
      } else if (d instanceof PrecopyPlanner.SwitchStrategy s) {
        throw new Aborted("switch strategy: " + s.reason());
      } else if (d instanceof PrecopyPlanner.Throttle t) {
        ask(x -> new VmActor.SetThrottle(t.percent(), x), VmActor.Status.class);
        throttlePercent = t.percent();
        maxThrottlePercent = Math.max(maxThrottlePercent, throttlePercent);
      }
      VmActor.PageRound next = ask(x -> new VmActor.TakePageRound(gen, x), VmActor.PageRound.class);
      pages = next.round();
      generation = pages.generation();
    }
  }

  private MigrationReport freezeAndCommit(int generation) throws Aborted {
    long pauseStart = nanoClock.getAsLong();
    frozen = true;
    VmActor.FrozenForCopy last =
        ask(
            r -> new VmActor.FreezeForCopy(generation, stateGeneration, r),
            VmActor.FrozenForCopy.class);
    // The source stays paused: its digest is read while the last pages travel.
    CompletionStage<VmActor.Reply> sourceDigest =
        AskPattern.ask(source, VmActor.GetDigest::new, ASK_BOUND, system.scheduler());
    send("final", last.last().memory());
    controlBytes += last.last().state().getSerializedSize();
    VmActor.CaughtUp copy =
        await(
            target.finish(last.last().state(), last.instructions()),
            "the target's copy to load the freeze state");
    VmActor.Digest digest =
        expect(await(sourceDigest, "the source's digest"), VmActor.Digest.class);
    if (digest.instructions() != copy.instructions() || !digest.digest().equals(copy.digest())) {
      throw new Aborted(
          "digest mismatch at the freeze: source "
              + digest.digest()
              + " at "
              + digest.instructions()
              + ", target "
              + copy.digest()
              + " at "
              + copy.instructions());
    }
    synchronized (commitLock) {
      checkCancelled();
      await(commitPoint.commit(last.instructions()), "the commit point");
      pastCommitPoint = true;
    }
    Thread.interrupted(); // a cancel can no longer apply
    try {
      target.goLive(last.lines() + 1, last.pendingLine()).toCompletableFuture().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("the committed target did not go live: " + e, e);
    }
    long downtimeMillis = millisSince(pauseStart);
    // The target owns the VM: the source's copy goes, its unfinished line belongs to the target.
    AskPattern.ask(source, VmActor.StopMigrated::new, ASK_BOUND, system.scheduler());
    return report(
        Outcome.COMMITTED,
        "",
        downtimeMillis,
        last.instructions(),
        DigestCheck.MATCH,
        new OutputContinuity(last.lines(), 0));
  }

  /** Puts a snapshot's pages on the link through the cap; returns the bytes sent. */
  private long send(String round, MemorySnapshot snapshot) throws Aborted {
    String stream = settings.migrationId() + "/pages/" + round;
    AtomicLong bytes = new AtomicLong();
    Source<ByteString, NotUsed> frames =
        PageBatches.frames(stream, snapshot, settings.pagesPerBatch())
            .via(cap.flow())
            .map(
                f -> {
                  bytes.addAndGet(f.size());
                  return f;
                });
    await(target.round(stream, frames), "the pages of " + round + " to be applied");
    pageBytes += bytes.get();
    return bytes.get();
  }

  private MigrationReport abort(String reason) {
    target.discard(reason);
    // The source runs on as before the migration: unthrottled, and resumed if it was frozen.
    tellQuietly(r -> new VmActor.SetThrottle(0, r));
    if (frozen) {
      tellQuietly(VmActor.Resume::new);
    }
    return report(Outcome.ABORTED, reason, 0, 0, DigestCheck.NOT_REACHED, OutputContinuity.UNKNOWN);
  }

  private void tellQuietly(Function<ActorRef<VmActor.Reply>, VmActor.Command> command) {
    AskPattern.ask(source, command::apply, ASK_BOUND, system.scheduler());
  }

  private MigrationReport report(
      Outcome outcome,
      String reason,
      long downtimeMillis,
      long freezeInstruction,
      DigestCheck digest,
      OutputContinuity continuity) {
    return new MigrationReport(
        settings.migrationId(),
        settings.vmId(),
        settings.sourceNode(),
        settings.targetNode(),
        Strategy.PRECOPY,
        outcome,
        reason,
        millisSince(startNanos),
        setupMillis,
        downtimeMillis,
        new BytesByKind(0, 0, pageBytes, controlBytes),
        rounds,
        maxThrottlePercent,
        freezeInstruction,
        digest,
        continuity);
  }

  private <R extends VmActor.Reply> R ask(
      Function<ActorRef<VmActor.Reply>, VmActor.Command> command, Class<R> type) throws Aborted {
    CompletionStage<VmActor.Reply> reply =
        AskPattern.ask(source, command::apply, ASK_BOUND, system.scheduler());
    return expect(await(reply, "the source VM to answer"), type);
  }

  private static <R extends VmActor.Reply> R expect(VmActor.Reply reply, Class<R> type)
      throws Aborted {
    if (reply instanceof VmActor.Refused r) {
      throw new Aborted("the source VM refused " + r.command() + ": " + r.reason());
    }
    if (!type.isInstance(reply)) {
      throw new Aborted(
          "the source VM answered " + reply + " where " + type.getSimpleName() + " was due");
    }
    return type.cast(reply);
  }

  /** Waits for {@code stage} until the deadline; a cancel, a failure or the deadline aborts. */
  private <T> T await(CompletionStage<T> stage, String what) throws Aborted {
    checkCancelled();
    long left = deadlineNanos - nanoClock.getAsLong();
    try {
      if (left <= 0) {
        throw new TimeoutException();
      }
      return stage.toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      checkCancelled();
      throw new Aborted("interrupted while waiting for " + what);
    } catch (TimeoutException e) {
      throw new Aborted(
          "deadline of "
              + settings.parameters().deadline().toMillis()
              + " ms passed while waiting for "
              + what);
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof java.util.concurrent.CompletionException c
              ? c.getCause()
              : e.getCause();
      throw new Aborted("failed while waiting for " + what + ": " + cause.getMessage());
    }
  }

  private void checkCancelled() throws Aborted {
    synchronized (commitLock) {
      if (cancelReason != null) {
        throw new Aborted(cancelReason);
      }
    }
  }

  private long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - nanos);
  }

  private static long perSecond(long amount, long nanos) {
    return (long) (amount * 1e9 / nanos);
  }
}
