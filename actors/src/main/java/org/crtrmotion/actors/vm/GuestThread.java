package org.crtrmotion.actors.vm;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.actors.devices.AttachedDevices;
import org.crtrmotion.streams.RecorderSource;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.machine.BootException;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;

/**
 * The body of a VM's own thread: boots the machine, runs it in slices of {@link
 * VmSpec#sliceInstructions()} and, between two slices, carries out the orders its VM actor queued.
 * An order cuts the slice in progress short ({@link Machine#requestPause()}), so it is carried out
 * at once rather than up to a slice later, even for a guest asleep in WFI. The machine is touched
 * only here, so a pause, a checkpoint or a status read happens exactly between two instructions.
 * Everything it has to say goes back to the actor as a message.
 */
final class GuestThread implements Runnable {

  /** What the actor asks of the guest thread. */
  sealed interface Order
      permits Pause,
          Resume,
          ReadStatus,
          TakeCheckpoint,
          ReadDigest,
          SetThrottle,
          Stop,
          BeginRecording,
          Freeze,
          StopRecording,
          GoLive,
          TakePageRound,
          CountDirtyPages,
          FreezeForCopy {}

  record Pause(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record Resume(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record ReadStatus(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record TakeCheckpoint(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record ReadDigest(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record SetThrottle(int percent, ActorRef<VmActor.Reply> replyTo) implements Order {}

  record Stop() implements Order {}

  // ---- migration (CR/TR): the source records and freezes, the replica replays and goes live

  record BeginRecording(
      int bufferSegments, java.time.Duration sliceBound, ActorRef<VmActor.Reply> replyTo)
      implements Order {}

  record Freeze(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record StopRecording(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record GoLive(byte[] pendingLine, ActorRef<VmActor.Reply> replyTo) implements Order {}

  // ---- migration (pre-copy): the source hands out page rounds, then freezes for the last copy

  record TakePageRound(int sinceGeneration, ActorRef<VmActor.Reply> replyTo) implements Order {}

  record CountDirtyPages(int sinceGeneration, ActorRef<VmActor.Reply> replyTo) implements Order {}

  record FreezeForCopy(
      int sinceGeneration, int stateSinceGeneration, ActorRef<VmActor.Reply> replyTo)
      implements Order {}

  /**
   * Ends recording guests' slices by wall clock: one daemon thread for every VM of the JVM, its
   * work a flag set ({@link Machine#requestPause()}) per recording VM every few milliseconds.
   */
  private static final ScheduledExecutorService SLICE_CLOCK =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "crtr-slice-clock");
            t.setDaemon(true);
            return t;
          });

  private final VmSpec spec;
  private final ActorRef<VmActor.Command> actor;
  private final LongSupplier nanoClock;
  private final GuestTime time;
  private final VcpuPacer pacer;
  private final ConsoleLines console;
  // Unbounded, but the actor queues at most one order per command it receives.
  private final BlockingQueue<Order> orders = new LinkedBlockingQueue<>();
  private volatile Machine machine; // set once booted; read by stop() on the actor's thread
  private final VmActor.Replica replica; // null: the VM boots from its image
  private final AttachedDevices
      devices; // its disks and NIC ports here, closed when the thread ends
  // Completed by the replica's restore, or failed by stop() so that a stop never waits for it.
  private final CompletableFuture<Machine> restoring = new CompletableFuture<>();
  // A migrated source's unfinished line now belongs to the target: not flushed at the end.
  private volatile boolean keepPendingLine;

  // Guest thread only.
  private boolean paused;
  private RunResult ended;
  private RecorderSource recording; // the source of a CR/TR migration, while it records
  private GuardedRecorder recorder; // what the machine shows its inputs to while recording
  private ScheduledFuture<?> sliceClock; // ends a slice every slice bound while recording
  private boolean replaying; // a replica that has not reached the end of its trace
  private boolean live; // a replica told to go live
  private long replayedInstructions;
  private long replayBusyNanos;

  GuestThread(
      VmSpec spec, ActorRef<VmActor.Command> actor, LongSupplier nanoClock, GuestTime time) {
    this(spec, null, AttachedDevices.none(), actor, nanoClock, time);
  }

  /** A replica: restored by {@code replica}, replaying its feed until told to go live. */
  GuestThread(
      VmSpec spec,
      VmActor.Replica replica,
      AttachedDevices devices,
      ActorRef<VmActor.Command> actor,
      LongSupplier nanoClock,
      GuestTime time) {
    this.spec = spec;
    this.replica = replica;
    this.devices = devices;
    this.actor = actor;
    this.nanoClock = nanoClock;
    this.time = time;
    this.pacer = new VcpuPacer(spec.sliceInstructions(), spec.quotaInstructionsPerSecond());
    this.console = new ConsoleLines(line -> actor.tell(new VmActor.GuestLine(line)));
  }

  /**
   * Queues an order and cuts the slice in progress short, so that it is carried out at once. Any
   * thread. A pause asked for while no slice runs ends the next one before its first instruction: a
   * slice of nothing, harmless, and no order ever waits a slice for a race with its start.
   */
  void order(Order order) {
    orders.add(order);
    Machine m = machine;
    if (m != null) {
      m.requestPause();
    }
  }

  /**
   * Ends the thread: the order first, then the machine's stop request, so that a run cut short by
   * it always finds the order waiting. Any thread.
   */
  void stop() {
    orders.add(new Stop());
    Machine m = machine;
    if (m != null) {
      m.requestStop();
    }
    if (replica != null) {
      // A replica may wait for its checkpoint or for more trace: wake it.
      restoring.completeExceptionally(new IllegalStateException("the VM is stopping"));
      replica.feed().fail(new IllegalStateException("the VM is stopping"));
    }
  }

  /**
   * Ends the thread as {@link #stop()} does, but keeps the console's unfinished line to itself: the
   * VM migrated and that line goes on at the target. Any thread.
   */
  void stopMigrated() {
    keepPendingLine = true;
    stop();
  }

  @Override
  public void run() {
    long instructions = 0;
    try {
      Machine m;
      try {
        m =
            replica == null
                ? Machine.boot(spec.config(), spec.plan(), console, devices.attachments())
                : restore();
      } catch (BootException | RuntimeException e) {
        actor.tell(
            new VmActor.GuestBootFailed("cannot boot " + spec.vmId() + ": " + e.getMessage()));
        return;
      }
      machine = m;
      if (replica != null) {
        m.replay(replica.feed(), false); // an empty feed only means "not yet": never go live on it
        replaying = true;
      }
      actor.tell(new VmActor.GuestBooted());
      try {
        loop(m);
      } finally {
        instructions = m.instructionsRetired();
      }
    } catch (InterruptedException e) {
      // Only the JVM interrupts this thread (at shutdown): end as for a stop.
    } finally {
      stopSliceClock();
      if (!keepPendingLine) {
        console.flush();
      }
      devices.close();
      actor.tell(new VmActor.GuestExited(instructions));
    }
  }

  private Machine restore() throws InterruptedException {
    replica
        .restore()
        .apply(console, devices.attachments())
        .whenComplete(
            (m, failure) -> {
              if (failure != null) {
                restoring.completeExceptionally(failure);
              } else if (!restoring.complete(m)) {
                m.requestStop(); // stopped meanwhile: nobody will run it
              }
            });
    try {
      return restoring.get();
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof java.util.concurrent.CompletionException c
              ? c.getCause()
              : e.getCause();
      throw new IllegalStateException(
          "cannot restore the checkpoint: " + cause.getMessage(), cause);
    }
  }

  private void loop(Machine m) throws InterruptedException {
    while (true) {
      Order order = paused || ended != null ? orders.take() : orders.poll();
      if (order instanceof Stop) {
        return;
      }
      if (order != null) {
        carryOut(order, m);
        continue;
      }
      if (replaying) {
        replayStep(m);
        continue;
      }
      // Throttle and quota: the wait between two slices, ended early by an order.
      long wait = pacer.waitNanos(time.nanoTime());
      if (wait > 0) {
        order = time.poll(orders, wait);
        if (order instanceof Stop) {
          return;
        }
        if (order != null) {
          carryOut(order, m);
        }
        continue;
      }
      long before = m.instructionsRetired();
      long start = time.nanoTime();
      RunResult r = m.run(before + pacer.sliceInstructions());
      long after = m.instructionsRetired();
      pacer.ran(start, time.nanoTime(), after - before, after);
      switch (r.reason()) {
        case INSTRUCTION_LIMIT, PAUSED -> {
          // A slice done, or cut short for an order: the target may replay this far.
          coverRecording(m);
        }
        case STOPPED -> {
          // Our stop request, whose Stop order is already queued; or an interrupt that the
          // machine turned into a stop while it slept in WFI, which would otherwise spin here.
          if (Thread.interrupted()) {
            throw new InterruptedException("guest thread interrupted");
          }
        }
        default -> {
          ended = r;
          console.flush();
          actor.tell(new VmActor.GuestEnded(r));
        }
      }
    }
  }

  /**
   * Lets the target replay as far as the guest ran. A trace stream that is gone (the migration is
   * failing) ends the recording here, never the guest: the coordinator aborts and the VM runs on.
   */
  private void coverRecording(Machine m) {
    if (recording == null) {
      return;
    }
    RuntimeException failure = recorder.failure();
    if (failure == null) {
      try {
        recording.coverTo(m.instructionsRetired());
        return;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    endRecording(m);
  }

  /** Detaches the recorder, and the wall clock that ended its slices. Guest thread. */
  private void endRecording(Machine m) {
    m.record(null);
    recording = null;
    recorder = null;
    stopSliceClock();
  }

  private void stopSliceClock() {
    if (sliceClock != null) {
      sliceClock.cancel(false);
      sliceClock = null;
    }
  }

  /**
   * One slice of replay: as far as the trace covers, at most a slice, so that orders are looked at
   * between two slices as for a live guest. At the end of the trace the replica has caught up and
   * waits, paused, to go live.
   */
  private void replayStep(Machine m) throws InterruptedException {
    GrowingFeed feed = replica.feed();
    long at = m.instructionsRetired();
    GrowingFeed.Coverage covered;
    try {
      covered = feed.awaitCoverageBeyond(at);
    } catch (IllegalStateException e) {
      replayEnded(new RunResult(StopReason.STOPPED, 0, at, e.getMessage()));
      return;
    }
    if (covered.icount() <= at) {
      replaying = false;
      paused = true;
      actor.tell(new VmActor.GuestCaughtUp(at, m.digest(), m.outputDigest()));
      return;
    }
    long start = nanoClock.getAsLong();
    RunResult r = m.run(Math.min(covered.icount(), at + spec.sliceInstructions()));
    replayBusyNanos += nanoClock.getAsLong() - start;
    replayedInstructions += m.instructionsRetired() - at;
    // A slice cut short for an order is a slice done: the next one goes on from there.
    if (r.reason() != StopReason.INSTRUCTION_LIMIT && r.reason() != StopReason.PAUSED) {
      replayEnded(r);
      return;
    }
    long rate = replayBusyNanos <= 0 ? 0 : (long) (replayedInstructions * 1e9 / replayBusyNanos);
    actor.tell(new VmActor.GuestReplayed(m.instructionsRetired(), rate));
  }

  /** The replay cannot go on (a stop, a failed trace stream, a divergence): say why, then wait. */
  private void replayEnded(RunResult r) {
    replaying = false;
    ended = r;
    if (!(orders.peek() instanceof Stop)) {
      actor.tell(new VmActor.GuestReplayFailed(r.detail()));
    }
  }

  private void carryOut(Order order, Machine m) {
    String id = spec.vmId();
    long at = m.instructionsRetired();
    if (order instanceof Pause p) {
      if (ended != null) {
        answer(new VmActor.Refused(id, "pause", "the guest ended: " + ended.detail()), p.replyTo());
      } else {
        paused = true;
        pacer.paused();
        answer(status(at), p.replyTo());
      }
    } else if (order instanceof Resume r) {
      if (replica != null && !live) {
        answer(
            new VmActor.Refused(id, "resume", "a replica runs on only when told to go live"),
            r.replyTo());
      } else if (ended != null) {
        answer(
            new VmActor.Refused(id, "resume", "the guest ended: " + ended.detail()), r.replyTo());
      } else {
        paused = false;
        answer(status(at), r.replyTo());
      }
    } else if (order instanceof ReadStatus s) {
      answer(status(at), s.replyTo());
    } else if (order instanceof ReadDigest d) {
      answer(new VmActor.Digest(id, at, m.digest()), d.replyTo());
    } else if (order instanceof SetThrottle t) {
      pacer.setThrottle(t.percent());
      answer(status(at), t.replyTo());
    } else if (order instanceof TakeCheckpoint c) {
      long start = nanoClock.getAsLong();
      Checkpoint checkpoint = m.checkpoint();
      long pauseNanos = nanoClock.getAsLong() - start;
      answer(new VmActor.CheckpointTaken(id, checkpoint, pauseNanos), c.replyTo());
    } else if (order instanceof TakePageRound
        || order instanceof CountDirtyPages
        || order instanceof FreezeForCopy) {
      carryOutPrecopy(order, m, at);
    } else {
      carryOutMigration(order, m, at);
    }
  }

  /**
   * Pre-copy on the source: rounds are copy-on-write snapshots of the pages written since the round
   * before, so the guest runs on while they are read; the freeze pauses it and hands out the last
   * pages with the CPU and device state.
   */
  private void carryOutPrecopy(Order order, Machine m, long at) {
    String id = spec.vmId();
    if (order instanceof TakePageRound t) {
      String why = cannotCopy();
      if (why != null) {
        answer(new VmActor.Refused(id, "page round", why), t.replyTo());
        return;
      }
      Checkpoint round = m.checkpointSince(t.sinceGeneration());
      answer(new VmActor.PageRound(id, round), t.replyTo());
    } else if (order instanceof CountDirtyPages c) {
      int pages =
          c.sinceGeneration() <= 0
              ? m.board().ram.pageCount()
              : m.board().ram.writtenSince(c.sinceGeneration()).cardinality();
      answer(new VmActor.DirtyPages(id, at, pages), c.replyTo());
    } else if (order instanceof FreezeForCopy f) {
      String why = cannotCopy();
      if (why != null) {
        answer(new VmActor.Refused(id, "freeze for copy", why), f.replyTo());
        return;
      }
      paused = true;
      pacer.paused();
      Checkpoint last = m.checkpointSince(f.sinceGeneration(), f.stateSinceGeneration());
      m.restartOutputDigest(); // the copy's output starts here too
      answer(
          new VmActor.FrozenForCopy(id, last, m.outputDigest(), 0, console.pending()), f.replyTo());
    }
  }

  private String cannotCopy() {
    if (ended != null) {
      return "the guest ended: " + ended.detail();
    }
    if (replica != null && !live) {
      return "the VM is a replica that has not gone live";
    }
    return recording != null ? "the VM is recording for another migration" : null;
  }

  private void carryOutMigration(Order order, Machine m, long at) {
    String id = spec.vmId();
    if (order instanceof BeginRecording b) {
      String why = cannotRecord();
      if (why != null) {
        answer(new VmActor.Refused(id, "begin recording", why), b.replyTo());
        return;
      }
      long start = nanoClock.getAsLong();
      Checkpoint checkpoint = m.checkpoint();
      RecorderSource trace = RecorderSource.start(at, b.bufferSegments());
      recorder = new GuardedRecorder(trace.recorder());
      m.record(recorder);
      m.restartOutputDigest(); // the target's output digest starts at the checkpoint too
      long pauseNanos = nanoClock.getAsLong() - start;
      recording = trace;
      // A pause request lands between two instructions and only ends the run: the recording's
      // inputs keep their exact counts, and the slice's end lets the target replay that far.
      long bound = b.sliceBound().toNanos();
      sliceClock =
          SLICE_CLOCK.scheduleAtFixedRate(m::requestPause, bound, bound, TimeUnit.NANOSECONDS);
      answer(new VmActor.RecordingStarted(id, checkpoint, trace, pauseNanos), b.replyTo());
    } else if (order instanceof Freeze f) {
      if (recording == null) {
        answer(new VmActor.Refused(id, "freeze", "the VM is not recording"), f.replyTo());
        return;
      }
      paused = true;
      try {
        if (recorder.failure() != null) {
          throw recorder.failure();
        }
        recording.finish(at);
      } catch (RuntimeException e) {
        // The stream is gone: the trace cannot end at F. Still frozen; the coordinator aborts.
      }
      endRecording(m);
      answer(
          new VmActor.Frozen(id, at, m.digest(), m.outputDigest(), 0, console.pending()),
          f.replyTo());
    } else if (order instanceof StopRecording s) {
      // An aborted migration: the source runs on live, as if nothing had happened.
      if (recording != null) {
        endRecording(m);
      }
      // A replica not yet live never records, and only GoLive may set it running: unpaused at F it
      // would run past its trace and diverge, and could no longer go live when the directory has
      // already made it the VM (fault simulator, seed 63: a migration started from the target's
      // node while the copy waited for the directory refused to record and, aborting, resumed it).
      if (ended == null && (replica == null || live)) {
        paused = false;
      }
      answer(status(at), s.replyTo());
    } else if (order instanceof GoLive g) {
      if (replica == null || replaying || ended != null || live) {
        String why =
            replica == null
                ? "the VM is not a replica"
                : replaying
                    ? "the replica has not caught up"
                    : live ? "the VM is already live" : "the replay ended: " + ended.detail();
        answer(new VmActor.Refused(id, "go live", why), g.replyTo());
        return;
      }
      // An empty feed that ends here: at its first look the clock attaches the host again and
      // output is no longer suppressed.
      m.replay(new ListFeed(List.of()), true);
      console.carryOn(g.pendingLine());
      paused = false;
      live = true;
      answer(new VmActor.Status(id, VmState.RUNNING, at, ""), g.replyTo());
    }
  }

  private String cannotRecord() {
    if (ended != null) {
      return "the guest ended: " + ended.detail();
    }
    if (recording != null) {
      return "the VM is already recording";
    }
    if (replica != null && !live) {
      return "the VM is a replica that has not gone live";
    }
    return paused ? "the VM is paused" : null;
  }

  private VmActor.Status status(long at) {
    VmState state = ended != null ? VmState.ENDED : paused ? VmState.PAUSED : VmState.RUNNING;
    return new VmActor.Status(
        spec.vmId(),
        state,
        at,
        ended != null ? ended.detail() : "",
        pacer.throttlePercent(),
        pacer.recentInstructionsPerSecond());
  }

  private void answer(VmActor.Reply reply, ActorRef<VmActor.Reply> replyTo) {
    actor.tell(new VmActor.GuestAnswered(reply, replyTo));
  }
}
