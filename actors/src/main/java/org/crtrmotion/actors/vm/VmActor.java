package org.crtrmotion.actors.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.crtrmotion.actors.devices.AttachedDevices;
import org.crtrmotion.streams.RecorderSource;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.state.StateDigest;

/**
 * One VM. Its guest runs on a thread this actor owns ({@link GuestThread}, named {@code
 * crtr-vm-<id>}), never on a dispatcher: the actor queues orders for that thread and the thread
 * answers with messages, so a pause, a checkpoint or a status read happens between two runs of the
 * machine, exactly. Console output reaches subscribers as numbered lines.
 *
 * <p>The messages are local: a {@link CheckpointTaken} holds live, copy-on-write memory. What
 * crosses nodes goes through the host agent's protocol.
 */
public final class VmActor extends AbstractBehavior<VmActor.Command> {

  /** What a VM actor is asked, and what its guest thread reports. */
  public sealed interface Command
      permits Start,
          Pause,
          Resume,
          GetStatus,
          TakeCheckpoint,
          GetDigest,
          SetThrottle,
          Stop,
          Subscribe,
          GuestBooted,
          GuestBootFailed,
          GuestLine,
          GuestEnded,
          GuestAnswered,
          GuestExited,
          SubscriberTerminated,
          BeginRecording,
          Freeze,
          StopRecording,
          GoLive,
          StopMigrated,
          TakePageRound,
          CountDirtyPages,
          FreezeForCopy,
          GuestReplayed,
          GuestCaughtUp,
          GuestReplayFailed {}

  /** Boots the guest and runs it; the reply comes once it is booted. */
  public record Start(ActorRef<Reply> replyTo) implements Command {}

  /** Stops the guest between two runs; the reply carries the instruction count it stopped at. */
  public record Pause(ActorRef<Reply> replyTo) implements Command {}

  /** Runs a paused guest on. */
  public record Resume(ActorRef<Reply> replyTo) implements Command {}

  /** The state and the exact instruction count, read between two runs. */
  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  /**
   * A checkpoint taken between two runs, with a pause of microseconds: the guest runs on while its
   * memory is shared copy-on-write. The receiver closes the checkpoint when done with it.
   */
  public record TakeCheckpoint(ActorRef<Reply> replyTo) implements Command {}

  /**
   * The digest of the machine's whole state, read between two runs: equal digests at equal
   * instruction counts prove two copies of a VM are the same.
   */
  public record GetDigest(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Slows the vCPU, as auto-converge does: from the next slice on the guest gets {@code 100 −
   * percent} % of wall time (0 lifts it; at most 99). The reply is the status with the throttle in
   * force.
   */
  public record SetThrottle(int percent, ActorRef<Reply> replyTo) implements Command {}

  /** Ends the guest and its thread, then the actor; the reply comes after the thread is gone. */
  public record Stop(ActorRef<Reply> replyTo) implements Command {}

  /** Console lines and the guest's end from now on go to {@code subscriber}. */
  public record Subscribe(ActorRef<VmEvent> subscriber) implements Command {}

  // ---- migration by checkpoint and trace (CR/TR-Motion), all carried out between two slices

  /**
   * Source: a checkpoint and, at the same instruction count, the start of a recording of every
   * input from there on; the reply is {@link RecordingStarted}. After each slice the recording
   * covers the instructions run, so the target may replay that far; while it records, a slice also
   * ends after {@code sliceBound} of wall time (a guest asleep in WFI retires few instructions, and
   * its coverage would otherwise wait for a whole slice's worth).
   *
   * @param bufferSegments segments the trace stream may leave waiting before the guest waits
   * @param sliceBound the longest a slice runs while recording, at least 1 ms
   */
  public record BeginRecording(int bufferSegments, Duration sliceBound, ActorRef<Reply> replyTo)
      implements Command {
    /** A few milliseconds: the coverage moves at least this often, at the cost of a slice end. */
    public static final Duration DEFAULT_SLICE_BOUND = Duration.ofMillis(5);

    public BeginRecording {
      if (sliceBound.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(
            "a recording's slice bound is at least 1 ms, not " + sliceBound);
      }
    }

    /** With {@link #DEFAULT_SLICE_BOUND}. */
    public BeginRecording(int bufferSegments, ActorRef<Reply> replyTo) {
      this(bufferSegments, DEFAULT_SLICE_BOUND, replyTo);
    }
  }

  /**
   * Source: pauses the guest and ends its trace at the instruction count F it stopped at; the reply
   * is {@link Frozen} with the state digest at F.
   */
  public record Freeze(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Source of an aborted migration: stops recording and runs on live, paused or not; replies with
   * the {@link Status}.
   */
  public record StopRecording(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Replica that caught up: replays no more, takes host inputs and emits output from now on; its
   * console lines go on from {@code nextLineNumber}, starting with the source's unfinished line.
   */
  public record GoLive(long nextLineNumber, byte[] pendingLine, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Source of a committed migration: ends as {@link Stop} does, but its unfinished console line is
   * not emitted: it belongs to the target now.
   */
  public record StopMigrated(ActorRef<Reply> replyTo) implements Command {}

  /** Replies to commands. */
  public sealed interface Reply
      permits Status,
          Refused,
          CheckpointTaken,
          Digest,
          RecordingStarted,
          Frozen,
          PageRound,
          DirtyPages,
          FrozenForCopy {}

  // ---- migration by rounds of pages (pre-copy), carried out between two slices

  /**
   * Source: a round of pre-copy, taken between two slices: the pages written since generation
   * {@code sinceGeneration} (that of the round before; 0 for every page) shared copy-on-write, with
   * the CPU and device state of that instant. The reply is {@link PageRound}; the guest runs on.
   */
  public record TakePageRound(int sinceGeneration, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Source: how many pages were written since generation {@code sinceGeneration}: what a freeze now
   * would have to copy. The reply is {@link DirtyPages}.
   */
  public record CountDirtyPages(int sinceGeneration, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Source: pauses the guest for pre-copy's last copy; the reply {@link FrozenForCopy} holds the
   * pages written since {@code sinceGeneration} and the CPU and device state. {@link Resume} runs
   * it on if the migration aborts; {@link StopMigrated} ends it once the target is live.
   *
   * @param sinceGeneration the last page round's: the pages written since it come with the state
   * @param stateSinceGeneration the round whose state the target has (round 0's): the device
   *     state's incremental parts (the disk overlay's blocks) since it
   */
  public record FreezeForCopy(
      int sinceGeneration, int stateSinceGeneration, ActorRef<Reply> replyTo) implements Command {}

  /**
   * A round's pages (and the state at that instant): {@code round.generation()} is what the next
   * round and the freeze are taken since. The receiver closes the checkpoint when done with it.
   */
  public record PageRound(String vmId, Checkpoint round) implements Reply {}

  /** {@code pages} written since the generation asked about, counted at {@code instructions}. */
  public record DirtyPages(String vmId, long instructions, int pages) implements Reply {}

  /**
   * The guest is paused at {@code last.instructions()}; {@code last} holds the pages written since
   * the last round and the CPU and device state.
   *
   * @param outputDigest of the console bytes since the freeze (none): what a copy built from the
   *     state reports, as its output starts there
   * @param lines console lines emitted so far: the target's first live line is {@code lines + 1}
   * @param pendingLine the bytes of the line not yet ended, which the target carries on with
   */
  public record FrozenForCopy(
      String vmId, Checkpoint last, long outputDigest, long lines, byte[] pendingLine)
      implements Reply {
    public long instructions() {
      return last.instructions();
    }
  }

  /**
   * The recording began at the checkpoint's instruction count; the trace's segments come out of
   * {@code trace.source()}. The receiver closes the checkpoint when done with it.
   */
  public record RecordingStarted(
      String vmId, Checkpoint checkpoint, RecorderSource trace, long pauseNanos) implements Reply {
    public long instructions() {
      return checkpoint.instructions();
    }
  }

  /**
   * The guest is paused at {@code instructions} (F) and its trace ends there.
   *
   * @param outputDigest of the console bytes since the recording began
   * @param lines console lines emitted so far: the target's first live line is {@code lines + 1}
   * @param pendingLine the bytes of the line not yet ended, which the target carries on with
   */
  public record Frozen(
      String vmId,
      long instructions,
      StateDigest digest,
      long outputDigest,
      long lines,
      byte[] pendingLine)
      implements Reply {}

  /**
   * What a replica is restored from and replays, and who hears how the replay goes.
   *
   * @param restore called once on the guest thread with the console and the devices opened on this
   *     node: the restored machine
   * @param feed the trace as it arrives
   */
  public record Replica(
      BiFunction<Uart16550.Output, VirtioAttachments, CompletionStage<Machine>> restore,
      GrowingFeed feed,
      ActorRef<ReplicaEvent> listener) {}

  /** What a replica's listener is told. */
  public sealed interface ReplicaEvent permits Replayed, CaughtUp, ReplayFailed {}

  /**
   * Progress of the replay.
   *
   * @param instructionsPerSecond replay speed while it had trace to replay (waits excluded)
   */
  public record Replayed(String vmId, long instructions, long instructionsPerSecond)
      implements ReplicaEvent {}

  /** The replica reached the end of the trace, F, with this state and output digest. */
  public record CaughtUp(String vmId, long instructions, StateDigest digest, long outputDigest)
      implements ReplicaEvent {}

  /** The replay cannot go on: a failed trace stream or restore, a divergence. */
  public record ReplayFailed(String vmId, String reason) implements ReplicaEvent {}

  /**
   * @param instructions retired instructions at the moment the state was read
   * @param detail why the guest ended or failed; empty otherwise
   * @param throttlePercent the vCPU throttle in force (0: none)
   * @param instructionsPerSecond the guest's recent rate over about a second of wall time, waits
   *     for throttle and quota included; 0 before the first second or when not running
   */
  public record Status(
      String vmId,
      VmState state,
      long instructions,
      String detail,
      int throttlePercent,
      long instructionsPerSecond)
      implements Reply {
    public Status(String vmId, VmState state, long instructions, String detail) {
      this(vmId, state, instructions, detail, 0, 0);
    }
  }

  /** The command cannot be carried out in the VM's state; the reason says why. */
  public record Refused(String vmId, String command, String reason) implements Reply {}

  /**
   * @param pauseNanos how long the guest was held for it (CPU and device state copied, memory
   *     shared)
   */
  public record CheckpointTaken(String vmId, Checkpoint checkpoint, long pauseNanos)
      implements Reply {
    public long instructions() {
      return checkpoint.instructions();
    }
  }

  /** The state digest at {@code instructions} retired. */
  public record Digest(String vmId, long instructions, StateDigest digest) implements Reply {}

  /** What subscribers are told. */
  public sealed interface VmEvent permits ConsoleLine, Ended {}

  /**
   * One line of the guest's console.
   *
   * @param number 1 for the first line since boot, then +1 per line: a gap or a repeat shows
   */
  public record ConsoleLine(String vmId, long number, String text) implements VmEvent {}

  /** The guest ended by itself: powered off, halted, got stuck. */
  public record Ended(
      String vmId, StopReason reason, int exitCode, long instructions, String detail)
      implements VmEvent {}

  // ---- reports of the guest thread

  record GuestBooted() implements Command {}

  record GuestBootFailed(String reason) implements Command {}

  record GuestLine(String text) implements Command {}

  record GuestEnded(RunResult result) implements Command {}

  record GuestAnswered(Reply reply, ActorRef<Reply> replyTo) implements Command {}

  record GuestExited(long instructions) implements Command {}

  record GuestReplayed(long instructions, long instructionsPerSecond) implements Command {}

  record GuestCaughtUp(long instructions, StateDigest digest, long outputDigest)
      implements Command {}

  record GuestReplayFailed(String reason) implements Command {}

  private record SubscriberTerminated(ActorRef<VmEvent> subscriber) implements Command {}

  private record Deferred(String command, GuestThread.Order order, ActorRef<Reply> replyTo) {}

  /** The name of the thread that runs VM {@code vmId}. */
  public static String threadName(String vmId) {
    return "crtr-vm-" + vmId;
  }

  public static Behavior<Command> create(VmSpec spec) {
    return create(spec, System::nanoTime);
  }

  /**
   * A migration's target copy: {@link Start} restores it through {@code replica} (the reply comes
   * once restored) and it replays, reporting to the replica's listener, until {@link GoLive}.
   */
  public static Behavior<Command> createReplica(VmSpec spec, Replica replica) {
    return createReplica(spec, replica, AttachedDevices.none(), GuestTime.SYSTEM);
  }

  /** As {@link #createReplica(VmSpec, Replica)}, its quota paced by {@code guestTime} once live. */
  static Behavior<Command> createReplica(VmSpec spec, Replica replica, GuestTime guestTime) {
    return createReplica(spec, replica, AttachedDevices.none(), guestTime);
  }

  /**
   * A replica with its devices opened on this node (closed when its thread ends or, never started,
   * when the actor stops).
   */
  public static Behavior<Command> createReplica(
      VmSpec spec, Replica replica, AttachedDevices devices) {
    return createReplica(spec, replica, devices, GuestTime.SYSTEM);
  }

  private static Behavior<Command> createReplica(
      VmSpec spec, Replica replica, AttachedDevices devices, GuestTime guestTime) {
    return Behaviors.setup(
        ctx -> new VmActor(ctx, spec, System::nanoTime, guestTime, replica, devices));
  }

  /** A VM booted with its devices opened on this node. */
  public static Behavior<Command> create(VmSpec spec, AttachedDevices devices) {
    return Behaviors.setup(
        ctx -> new VmActor(ctx, spec, System::nanoTime, GuestTime.SYSTEM, null, devices));
  }

  /**
   * @param nanoClock what checkpoint pauses are measured with
   */
  public static Behavior<Command> create(VmSpec spec, LongSupplier nanoClock) {
    return create(spec, nanoClock, GuestTime.SYSTEM);
  }

  /**
   * @param guestTime what the vCPU throttle and quota pace the guest by
   */
  public static Behavior<Command> create(VmSpec spec, LongSupplier nanoClock, GuestTime guestTime) {
    return Behaviors.setup(
        ctx -> new VmActor(ctx, spec, nanoClock, guestTime, null, AttachedDevices.none()));
  }

  private final VmSpec spec;
  private final LongSupplier nanoClock;
  private final GuestTime guestTime;
  private final Replica replica; // null unless a migration's target copy
  private final AttachedDevices devices; // the guest thread's to close once started
  private final Set<ActorRef<VmEvent>> subscribers = new HashSet<>();
  private final List<ActorRef<Reply>> startWaiters = new ArrayList<>();
  private final List<ActorRef<Reply>> stopWaiters = new ArrayList<>();
  private final List<Deferred> deferred = new ArrayList<>();
  private VmState state = VmState.CREATED;
  private String detail = "";
  private GuestThread guest;
  private Thread thread;
  private boolean threadGone;
  private long lines;
  private long lastInstructions;

  private VmActor(
      ActorContext<Command> ctx,
      VmSpec spec,
      LongSupplier nanoClock,
      GuestTime guestTime,
      Replica replica,
      AttachedDevices devices) {
    super(ctx);
    this.devices = devices;
    this.spec = spec;
    this.nanoClock = nanoClock;
    this.guestTime = guestTime;
    this.replica = replica;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(
            Pause.class, m -> order("pause", new GuestThread.Pause(m.replyTo()), m.replyTo()))
        .onMessage(
            Resume.class, m -> order("resume", new GuestThread.Resume(m.replyTo()), m.replyTo()))
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(
            TakeCheckpoint.class,
            m -> order("checkpoint", new GuestThread.TakeCheckpoint(m.replyTo()), m.replyTo()))
        .onMessage(
            GetDigest.class,
            m -> order("digest", new GuestThread.ReadDigest(m.replyTo()), m.replyTo()))
        .onMessage(SetThrottle.class, this::onSetThrottle)
        .onMessage(Stop.class, this::onStop)
        .onMessage(
            BeginRecording.class,
            m ->
                order(
                    "begin recording",
                    new GuestThread.BeginRecording(m.bufferSegments(), m.sliceBound(), m.replyTo()),
                    m.replyTo()))
        .onMessage(
            Freeze.class, m -> order("freeze", new GuestThread.Freeze(m.replyTo()), m.replyTo()))
        .onMessage(
            StopRecording.class,
            m -> order("stop recording", new GuestThread.StopRecording(m.replyTo()), m.replyTo()))
        .onMessage(GoLive.class, this::onGoLive)
        .onMessage(
            TakePageRound.class,
            m ->
                order(
                    "page round",
                    new GuestThread.TakePageRound(m.sinceGeneration(), m.replyTo()),
                    m.replyTo()))
        .onMessage(
            CountDirtyPages.class,
            m ->
                order(
                    "count dirty pages",
                    new GuestThread.CountDirtyPages(m.sinceGeneration(), m.replyTo()),
                    m.replyTo()))
        .onMessage(
            FreezeForCopy.class,
            m ->
                order(
                    "freeze for copy",
                    new GuestThread.FreezeForCopy(
                        m.sinceGeneration(), m.stateSinceGeneration(), m.replyTo()),
                    m.replyTo()))
        .onMessage(StopMigrated.class, this::onStopMigrated)
        .onMessage(GuestReplayed.class, this::onReplayed)
        .onMessage(GuestCaughtUp.class, this::onCaughtUp)
        .onMessage(GuestReplayFailed.class, this::onReplayFailed)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(SubscriberTerminated.class, m -> unsubscribe(m.subscriber()))
        .onMessage(GuestBooted.class, m -> onBooted())
        .onMessage(GuestBootFailed.class, this::onBootFailed)
        .onMessage(GuestLine.class, this::onLine)
        .onMessage(GuestEnded.class, this::onEnded)
        .onMessage(GuestAnswered.class, this::onAnswered)
        .onMessage(GuestExited.class, this::onExited)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onStart(Start m) {
    if (guest != null) {
      m.replyTo().tell(new Refused(spec.vmId(), "start", "already started (" + state + ")"));
      return this;
    }
    guest = new GuestThread(spec, replica, devices, getContext().getSelf(), nanoClock, guestTime);
    thread = new Thread(guest, threadName(spec.vmId()));
    thread.setDaemon(true); // a forgotten VM must not keep the JVM alive
    startWaiters.add(m.replyTo());
    thread.start();
    return this;
  }

  private boolean guestThreadLive() {
    return guest != null && !threadGone;
  }

  /** Booted and not gone: its thread carries out orders. */
  private boolean guestLoopLive() {
    return guestThreadLive() && state != VmState.CREATED && state != VmState.FAILED;
  }

  /** Started, not yet booted: orders wait here, so that a failed boot can still answer them. */
  private boolean booting() {
    return guestThreadLive() && state == VmState.CREATED;
  }

  /**
   * A stop was asked: nothing may be queued behind it, where the thread would never answer it, so
   * later commands are refused here.
   */
  private boolean stopping() {
    return !stopWaiters.isEmpty();
  }

  private Behavior<Command> order(String command, GuestThread.Order order, ActorRef<Reply> to) {
    return order(command, order, to, () -> {});
  }

  /** {@code beforeOrder} runs on the actor just before the order goes to a live guest thread. */
  private Behavior<Command> order(
      String command, GuestThread.Order order, ActorRef<Reply> to, Runnable beforeOrder) {
    if (stopping()) {
      to.tell(new Refused(spec.vmId(), command, "the VM is stopping"));
    } else if (guestLoopLive()) {
      beforeOrder.run();
      guest.order(order);
    } else if (booting()) {
      deferred.add(new Deferred(command, order, to));
    } else {
      to.tell(new Refused(spec.vmId(), command, "the VM is " + state + why()));
    }
    return this;
  }

  private String why() {
    return state == VmState.CREATED ? ": start it first" : detail.isEmpty() ? "" : ": " + detail;
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    if (!stopping() && (guestLoopLive() || booting())) {
      order("status", new GuestThread.ReadStatus(m.replyTo()), m.replyTo());
    } else {
      m.replyTo().tell(new Status(spec.vmId(), state, lastInstructions, detail));
    }
    return this;
  }

  private Behavior<Command> onSetThrottle(SetThrottle m) {
    try {
      VcpuPacer.checkThrottle(m.percent());
    } catch (IllegalArgumentException e) {
      m.replyTo().tell(new Refused(spec.vmId(), "throttle", e.getMessage()));
      return this;
    }
    return order("throttle", new GuestThread.SetThrottle(m.percent(), m.replyTo()), m.replyTo());
  }

  private Behavior<Command> onStop(Stop m) {
    if (!guestThreadLive()) {
      m.replyTo().tell(new Status(spec.vmId(), VmState.STOPPED, lastInstructions, detail));
      return Behaviors.stopped();
    }
    stopWaiters.add(m.replyTo());
    guest.stop();
    return this;
  }

  private Behavior<Command> onStopMigrated(StopMigrated m) {
    if (guestThreadLive()) {
      guest.stopMigrated();
      stopWaiters.add(m.replyTo());
      return this;
    }
    return onStop(new Stop(m.replyTo()));
  }

  private Behavior<Command> onGoLive(GoLive m) {
    if (m.nextLineNumber() < 1) {
      m.replyTo()
          .tell(
              new Refused(
                  spec.vmId(), "go live", "line numbers start at 1, not " + m.nextLineNumber()));
      return this;
    }
    return order(
        "go live",
        new GuestThread.GoLive(m.pendingLine(), m.replyTo()),
        m.replyTo(),
        () -> lines = m.nextLineNumber() - 1);
  }

  private Behavior<Command> onReplayed(GuestReplayed m) {
    lastInstructions = m.instructions();
    tellListener(new Replayed(spec.vmId(), m.instructions(), m.instructionsPerSecond()));
    return this;
  }

  private Behavior<Command> onCaughtUp(GuestCaughtUp m) {
    lastInstructions = m.instructions();
    state = VmState.PAUSED;
    tellListener(new CaughtUp(spec.vmId(), m.instructions(), m.digest(), m.outputDigest()));
    return this;
  }

  private Behavior<Command> onReplayFailed(GuestReplayFailed m) {
    state = VmState.ENDED;
    detail = m.reason();
    tellListener(new ReplayFailed(spec.vmId(), m.reason()));
    return this;
  }

  private void tellListener(ReplicaEvent event) {
    if (replica != null) {
      replica.listener().tell(event);
    }
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    if (subscribers.add(m.subscriber())) {
      getContext().watchWith(m.subscriber(), new SubscriberTerminated(m.subscriber()));
    }
    return this;
  }

  private Behavior<Command> unsubscribe(ActorRef<VmEvent> subscriber) {
    subscribers.remove(subscriber);
    return this;
  }

  private Behavior<Command> onBooted() {
    state = replica != null ? VmState.REPLAYING : VmState.RUNNING;
    startWaiters.forEach(w -> w.tell(new Status(spec.vmId(), state, 0, "")));
    startWaiters.clear();
    // Orders given while it booted go first; behind a stop they would wait forever.
    for (Deferred d : deferred) {
      if (stopping()) {
        d.replyTo().tell(new Refused(spec.vmId(), d.command(), "the VM is stopping"));
      } else {
        guest.order(d.order());
      }
    }
    deferred.clear();
    return this;
  }

  private Behavior<Command> onBootFailed(GuestBootFailed m) {
    state = VmState.FAILED;
    detail = m.reason();
    startWaiters.forEach(w -> w.tell(new Refused(spec.vmId(), "start", m.reason())));
    startWaiters.clear();
    for (Deferred d : deferred) {
      d.replyTo()
          .tell(
              d.order() instanceof GuestThread.ReadStatus
                  ? new Status(spec.vmId(), state, 0, detail)
                  : new Refused(spec.vmId(), d.command(), detail));
    }
    deferred.clear();
    return this;
  }

  private Behavior<Command> onLine(GuestLine m) {
    lines++;
    publish(new ConsoleLine(spec.vmId(), lines, m.text()));
    return this;
  }

  private Behavior<Command> onEnded(GuestEnded m) {
    RunResult r = m.result();
    state = VmState.ENDED;
    detail = r.detail();
    lastInstructions = r.instructions();
    publish(new Ended(spec.vmId(), r.reason(), r.exitCode(), r.instructions(), r.detail()));
    return this;
  }

  private Behavior<Command> onAnswered(GuestAnswered m) {
    if (m.reply() instanceof FrozenForCopy f) {
      // As for Frozen: every line sent before this answer has been counted.
      state = VmState.PAUSED;
      m.replyTo()
          .tell(new FrozenForCopy(f.vmId(), f.last(), f.outputDigest(), lines, f.pendingLine()));
      return this;
    }
    if (m.reply() instanceof Frozen f) {
      // Every line the guest thread sent before this answer has been counted here.
      state = VmState.PAUSED;
      m.replyTo()
          .tell(
              new Frozen(
                  f.vmId(),
                  f.instructions(),
                  f.digest(),
                  f.outputDigest(),
                  lines,
                  f.pendingLine()));
      return this;
    }
    if (m.reply() instanceof Status s) {
      // The guest thread's word is the truth about pause and resume.
      if (s.state() == VmState.PAUSED || s.state() == VmState.RUNNING) {
        state = s.state();
      }
      lastInstructions = s.instructions();
    }
    m.replyTo().tell(m.reply());
    return this;
  }

  private Behavior<Command> onExited(GuestExited m) {
    threadGone = true;
    lastInstructions = Math.max(lastInstructions, m.instructions());
    joinGuestThread();
    if (stopWaiters.isEmpty()) {
      return this; // a failed boot: the actor stays to say why
    }
    state = VmState.STOPPED;
    stopWaiters.forEach(w -> w.tell(new Status(spec.vmId(), state, lastInstructions, detail)));
    return Behaviors.stopped();
  }

  /**
   * The thread's last act is the message that brought us here: the join waits for its final return
   * only, so that a Stop reply means the thread is gone.
   */
  private void joinGuestThread() {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Behavior<Command> onPostStop() {
    if (guest == null) {
      devices.close(); // never started: no thread will close them
    }
    if (guestThreadLive()) {
      guest
          .stop(); // stopped from outside (parent, system shutdown): the thread must not outlive us
    }
    return this;
  }

  private void publish(VmEvent event) {
    subscribers.forEach(s -> s.tell(event));
  }
}
