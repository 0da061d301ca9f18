package org.crtrmotion.actors.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.crtrmotion.actors.coordinator.MigrationProtocol.ToTarget;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.ConvergenceWatch;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.OutputContinuity;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.net.NetworkHold;
import org.crtrmotion.actors.vm.VmActor;

/**
 * The source's coordinator of one migration, for every strategy: {@code Prepare → Transfer (rounds)
 * → Freeze → CaughtUp(digest) → Commit | Abort}. The strategy's own part (how the state moves, what
 * a round measures) is a {@link SourceEngine}; everything else is here.
 *
 * <p>The commit point is the directory's compare-and-set {@code Move(vm, source, epoch, target)}:
 * before it, every failure (target refused or gone, stream failed, digest mismatch, deadline,
 * cancel, not converging) leaves the source running live and discards the target's copy; the target
 * is told to go live only after it, and the source's VM is stopped only after it (invariants 1 and
 * 2).
 */
public final class SourceCoordinator extends AbstractBehavior<SourceCoordinator.Command> {

  public sealed interface Command
      permits MigrationProtocol.ToSource,
          Cancel,
          TargetListing,
          VmFound,
          DirectoryAnswered,
          TransferStarted,
          RoundTick,
          FrozenAnswered,
          Moved,
          AbortDone,
          TransferFailed,
          SwitchReady,
          TargetTerminated,
          Timeout,
          SourceStopped {}

  /** Cancels the migration; answered at once, the report follows when the source runs on. */
  public record Cancel(ActorRef<CancelReply> replyTo) implements Command {}

  private record TargetListing(Receptionist.Listing listing) implements Command {}

  private record VmFound(HostAgent.VmHandle handle, Throwable failure) implements Command {}

  private record DirectoryAnswered(VmDirectory.Reply reply, Throwable failure, boolean registering)
      implements Command {}

  private record TransferStarted(ToTarget start, Throwable failure) implements Command {}

  private record RoundTick() implements Command {}

  private record FrozenAnswered(VmActor.Frozen frozen, Throwable failure) implements Command {}

  private record Moved(VmDirectory.Reply reply, Throwable failure, boolean lookup)
      implements Command {}

  private record AbortDone(Throwable failure) implements Command {}

  /**
   * A stream of engine number {@code engineNumber} failed (an engine undone by a switch: stale).
   */
  private record TransferFailed(String reason, int engineNumber) implements Command {}

  /** The first strategy's engine is undone: the source runs live again. */
  private record SwitchReady(Throwable failure) implements Command {}

  private record TargetTerminated() implements Command {}

  private record Timeout(String what) implements Command {}

  private record SourceStopped(HostAgent.StopVmReply reply) implements Command {}

  /** What a coordinator needs from its node. */
  record Node(
      String name,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmDirectory.Command> directory,
      CoordinatorSettings settings,
      NodeDevices devices) {}

  static Behavior<Command> create(
      String migrationId,
      String vmId,
      String targetNode,
      MigrationParameters parameters,
      Node node,
      ActorRef<MigrationEvent> requester,
      LongSupplier millisClock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new SourceCoordinator(
                        ctx,
                        timers,
                        migrationId,
                        vmId,
                        targetNode,
                        parameters,
                        node,
                        requester,
                        millisClock)));
  }

  private static final String ROUNDS = "rounds";

  private final TimerScheduler<Command> timers;
  private final String migrationId;
  private final String vmId;
  private final String targetNode;
  private final MigrationParameters parameters;
  private final Node node;
  private final ActorRef<MigrationEvent> requester;
  private final LongSupplier millisClock;
  private final long startMillis;
  private final ConvergenceWatch convergence;
  private final List<RoundReport> rounds = new ArrayList<>();

  private Phase phase = Phase.PREPARE;
  private ActorRef<Migrations.Command> targetNodeActor;
  private HostAgent.VmHandle vm;
  private long epoch; // the directory's, read at prepare: the commit's compare-and-set
  private boolean prepareSent;
  private ActorRef<ToTarget> target;
  private long setupMillis;
  private SourceEngine engine;
  private long freezeStartMillis;
  private VmActor.Frozen frozen;
  private MigrationProtocol.CaughtUp caughtUp;
  private DigestCheck digestCheck = DigestCheck.NOT_REACHED;
  private boolean committed;
  private boolean holding; // the VM's NIC ports hold its frames (from the freeze on)
  private NetworkHold networkHold = NetworkHold.NONE;
  // The directory's Move is asked and not answered: the commit point may already be passed, so an
  // abort (cancel, deadline, a failure) waits for the answer and happens only if the move did not.
  private boolean moveInFlight;
  private String abortAfterMove;
  private boolean aborting;
  private String abortReason;
  private String lateReason = ""; // committed, but the target did not confirm going live
  private long liveAtMillis; // when the target said it went live; 0 before
  private long firstTargetLine = -1; // the target's first live line number; -1 before it went live
  private boolean sourceStopped; // the source's copy is gone
  private int throttlePercent;
  private int maxThrottlePercent;
  private boolean finished;
  private Strategy strategy; // the one running now: the parameters' until a switch
  private int engineNumber; // the engine's: a switch makes the first one's failures stale
  private boolean switching; // between undoing the first strategy and starting the second
  private BytesByKind bytesBeforeSwitch = BytesByKind.NONE;
  private String switchedAt = ""; // "crtr to precopy at round 7" once switched

  private SourceCoordinator(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String migrationId,
      String vmId,
      String targetNode,
      MigrationParameters parameters,
      Node node,
      ActorRef<MigrationEvent> requester,
      LongSupplier millisClock) {
    super(ctx);
    this.timers = timers;
    this.migrationId = migrationId;
    this.vmId = vmId;
    this.targetNode = targetNode;
    this.parameters = parameters;
    this.node = node;
    this.requester = requester;
    this.millisClock = millisClock;
    this.startMillis = millisClock.getAsLong();
    this.convergence = new ConvergenceWatch(parameters.convergenceWindowRounds());
    this.strategy = parameters.strategy();
    requester.tell(new MigrationEvent.Started(migrationId, vmId, targetNode));
    timers.startSingleTimer(
        "deadline", new Timeout("the deadline of " + parameters.deadline()), parameters.deadline());
    timers.startSingleTimer(
        "prepare",
        new Timeout("no answer from node " + targetNode + " within " + prepareTimeout()),
        prepareTimeout());
    ctx.getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                Migrations.key(targetNode),
                ctx.messageAdapter(Receptionist.Listing.class, TargetListing::new)));
    ctx.ask(
        HostAgent.VmHandle.class,
        node.hostAgent(),
        node.settings().askTimeout(),
        r -> new HostAgent.GetVm(vmId, r),
        VmFound::new);
  }

  private Duration prepareTimeout() {
    return node.settings().prepareTimeout();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(VmFound.class, this::onVmFound)
        .onMessage(DirectoryAnswered.class, this::onDirectory)
        .onMessage(TargetListing.class, this::onListing)
        .onMessage(MigrationProtocol.Accepted.class, this::onAccepted)
        .onMessage(
            MigrationProtocol.Refused.class,
            m -> abort("node " + targetNode + " refused: " + m.reason()))
        .onMessage(TransferStarted.class, this::onTransferStarted)
        .onMessage(RoundTick.class, m -> onRoundTick())
        .onMessage(MigrationProtocol.Progress.class, this::onProgress)
        .onMessage(FrozenAnswered.class, this::onFrozen)
        .onMessage(MigrationProtocol.CaughtUp.class, this::onCaughtUp)
        .onMessage(Moved.class, this::onMoved)
        .onMessage(MigrationProtocol.Live.class, this::onLive)
        .onMessage(SourceStopped.class, this::onSourceStopped)
        .onMessage(
            MigrationProtocol.TargetFailed.class,
            m -> targetGone("the target failed: " + m.reason()))
        .onMessage(
            TransferFailed.class, m -> m.engineNumber() == engineNumber ? abort(m.reason()) : this)
        .onMessage(SwitchReady.class, this::onSwitchReady)
        .onMessage(MigrationProtocol.Switched.class, this::onSwitched)
        .onMessage(
            TargetTerminated.class,
            m -> targetGone("the target's coordinator on node " + targetNode + " terminated"))
        .onMessage(Timeout.class, this::onTimeout)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(AbortDone.class, this::onAbortDone)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  // ---- prepare

  private Behavior<Command> onVmFound(VmFound m) {
    if (aborting) {
      return this;
    }
    if (m.failure() != null || !m.handle().found()) {
      return abort("no VM " + vmId + " on node " + node.name());
    }
    vm = m.handle();
    askDirectory(r -> new VmDirectory.Lookup(vmId, r), false);
    return this;
  }

  private void askDirectory(
      org.apache.pekko.japi.function.Function<ActorRef<VmDirectory.Reply>, VmDirectory.Command> ask,
      boolean registering) {
    getContext()
        .ask(
            VmDirectory.Reply.class,
            node.directory(),
            node.settings().askTimeout(),
            ask,
            (reply, failure) -> new DirectoryAnswered(reply, failure, registering));
  }

  private Behavior<Command> onDirectory(DirectoryAnswered m) {
    if (aborting) {
      return this;
    }
    if (m.failure() != null) {
      return abort("the VM directory did not answer: " + m.failure().getMessage());
    }
    if (m.reply() instanceof VmDirectory.Refusal r) {
      if (m.registering()) {
        return abort("the VM directory refused " + vmId + ": " + r.reason());
      }
      // A VM the directory does not know yet lives here: register it, then migrate it.
      askDirectory(reply -> new VmDirectory.Register(vmId, node.name(), reply), true);
      return this;
    }
    VmDirectory.Location at = (VmDirectory.Location) m.reply();
    if (!at.node().equals(node.name())) {
      return abort(
          "the directory says "
              + vmId
              + " lives on "
              + at.node()
              + " (epoch "
              + at.epoch()
              + "): this node is fenced");
    }
    epoch = at.epoch();
    return maybePrepare();
  }

  private Behavior<Command> onListing(TargetListing m) {
    Set<ActorRef<Migrations.Command>> found =
        m.listing().getServiceInstances(Migrations.key(targetNode));
    if (targetNodeActor == null && !found.isEmpty()) {
      targetNodeActor = found.iterator().next();
      return maybePrepare();
    }
    return this;
  }

  private Behavior<Command> maybePrepare() {
    if (prepareSent || aborting || epoch == 0 || targetNodeActor == null) {
      return this;
    }
    if (targetNode.equals(node.name())) {
      return abort("the VM already lives on node " + targetNode);
    }
    prepareSent = true;
    var config = vm.spec().config();
    targetNodeActor.tell(
        new MigrationProtocol.Prepare(
            migrationId,
            vmId,
            node.name(),
            parameters.strategy(),
            vm.image(),
            config.bootargs(),
            config.ramBytes(),
            config.timeMode(),
            config.instructionsPerTick(),
            vm.spec().sliceInstructions(),
            vm.spec().quotaInstructionsPerSecond(),
            parameters.deadline().toMillis(),
            getContext().getSelf().narrow(),
            vm.spec().devices()));
    return this;
  }

  private Behavior<Command> onAccepted(MigrationProtocol.Accepted m) {
    if (aborting || phase != Phase.PREPARE) {
      m.target().tell(new MigrationProtocol.Abort(migrationId, "the source no longer migrates"));
      return this;
    }
    timers.cancel("prepare");
    target = m.target();
    getContext().watchWith(target, new TargetTerminated());
    setupMillis = elapsed();
    phase = Phase.TRANSFER;
    engine = engineFor(strategy);
    if (engine == null) {
      return abort("strategy " + strategy.cliName() + " is not available here");
    }
    publish();
    pipe(engine.start(), TransferStarted::new);
    return this;
  }

  private SourceEngine engineFor(Strategy strategy) {
    int number = engineNumber;
    if (strategy == Strategy.PRECOPY) {
      ActorRef<Command> self = getContext().getSelf();
      return new PrecopySourceEngine(
          getContext().getSystem(),
          migrationId,
          vm.ref(),
          parameters,
          node.settings(),
          millisClock,
          reason -> self.tell(new TransferFailed(reason, number)));
    }
    if (strategy == Strategy.CRTR) {
      ActorRef<Command> self = getContext().getSelf();
      return new CrtrSourceEngine(
          getContext().getSystem(),
          migrationId,
          vm.ref(),
          parameters,
          node.settings(),
          reason -> self.tell(new TransferFailed(reason, number)));
    }
    return null;
  }

  // ---- transfer and rounds

  private Behavior<Command> onTransferStarted(TransferStarted m) {
    if (aborting) {
      return this;
    }
    if (m.failure() != null) {
      return abort("the transfer did not start: " + cause(m.failure()));
    }
    target.tell(m.start());
    timers.startTimerWithFixedDelay(ROUNDS, new RoundTick(), node.settings().roundInterval());
    return this;
  }

  private Behavior<Command> onRoundTick() {
    if (phase == Phase.TRANSFER && !aborting) {
      target.tell(
          new MigrationProtocol.ProgressQuery(migrationId, getContext().getSelf().narrow()));
    }
    return this;
  }

  private Behavior<Command> onProgress(MigrationProtocol.Progress p) {
    if (phase != Phase.TRANSFER || aborting || switching) {
      return this;
    }
    if (!p.restored() || !engine.roundReady()) {
      publish(); // still setting up the copy, or no new round yet
      return this;
    }
    int round = rounds.size() + 1;
    RoundReport r = engine.measure(round, elapsed(), p);
    r = withThrottle(r);
    rounds.add(r);
    publish();
    if (r.expectedDowntimeMillis() <= parameters.downtimeLimit().toMillis()) {
      return freeze();
    }
    if (round >= parameters.maxRounds()) {
      return freeze();
    }
    if (r.expectedDowntimeMillis() == Long.MAX_VALUE) {
      // A rate not measured yet (no replay step since the restore) is no sign of divergence; a
      // migration that never gets one ends at max-rounds or at its deadline.
      return this;
    }
    convergence.record(r.expectedDowntimeMillis());
    return convergence.stalled() ? notConverging(r) : this;
  }

  private RoundReport withThrottle(RoundReport r) {
    return new RoundReport(
        r.round(),
        r.endedAtMillis(),
        r.bytesSent(),
        r.backlogBytes(),
        r.lagInstructions(),
        r.linkBytesPerSecond(),
        r.producedBytesPerSecond(),
        r.replayInstructionsPerSecond(),
        r.expectedDowntimeMillis(),
        throttlePercent);
  }

  private Behavior<Command> notConverging(RoundReport r) {
    String why =
        String.format(
            "not converging: the expected downtime did not shrink over %d rounds (%s at round %d,"
                + " downtime-limit %d ms)",
            parameters.convergenceWindowRounds(),
            r.expectedDowntimeMillis() == Long.MAX_VALUE
                ? "unknown"
                : r.expectedDowntimeMillis() + " ms",
            r.round(),
            parameters.downtimeLimit().toMillis());
    switch (parameters.onNonConvergence()) {
      case THROTTLE -> {
        if (parameters.autoConverge().exhausted(throttlePercent)) {
          return abort(why + "; auto-converge is spent at " + throttlePercent + " %");
        }
        int next = parameters.autoConverge().nextStep(throttlePercent);
        if (!engine.throttle(next)) {
          return abort(why + "; this node cannot throttle the source's vCPU");
        }
        throttlePercent = next;
        maxThrottlePercent = Math.max(maxThrottlePercent, next);
        convergence.reset(); // the new throttle gets its own window
        return this;
      }
      case SWITCH_STRATEGY -> {
        if (!switchedAt.isEmpty()) {
          return abort(why + "; already switched from " + switchedAt);
        }
        return switchStrategy(r.round());
      }
      default -> {
        return abort(why);
      }
    }
  }

  // ---- switching strategy (policy SWITCH_STRATEGY), once per migration, before the commit point

  /**
   * Undoes the first strategy on the source (its engine's abort: the VM runs on live, unthrottled,
   * as after any abort), has the target discard its copy, then starts the other strategy's engine
   * in the same migration: same id, target, deadline, directory epoch and report.
   */
  private Behavior<Command> switchStrategy(int round) {
    Strategy next = strategy == Strategy.CRTR ? Strategy.PRECOPY : Strategy.CRTR;
    switchedAt = strategy.cliName() + " to " + next.cliName() + " at round " + round;
    switching = true;
    engineNumber++; // its undoing fails its streams: not this migration's failure any more
    timers.cancel(ROUNDS);
    bytesBeforeSwitch = bytesBeforeSwitch.plus(engine.bytes());
    strategy = next;
    throttlePercent = 0; // the engine's abort lifts the throttle
    convergence.reset();
    pipe(
        engine.abort("switching strategy from " + switchedAt),
        (ok, failure) -> new SwitchReady(failure));
    return this;
  }

  private Behavior<Command> onSwitchReady(SwitchReady m) {
    if (aborting) {
      return this;
    }
    if (m.failure() != null) {
      return abort("switching from " + switchedAt + ": " + cause(m.failure()));
    }
    target.tell(new MigrationProtocol.SwitchStrategy(migrationId, strategy));
    return this;
  }

  private Behavior<Command> onSwitched(MigrationProtocol.Switched m) {
    if (aborting || !switching || m.strategy() != strategy) {
      return this;
    }
    switching = false;
    engine = engineFor(strategy);
    publish();
    pipe(engine.start(), TransferStarted::new);
    return this;
  }

  // ---- freeze, caught up, commit

  private Behavior<Command> freeze() {
    timers.cancel(ROUNDS);
    phase = Phase.FREEZE;
    freezeStartMillis = millisClock.getAsLong();
    // From here the VM takes no frame: what comes for it is held for the target (or for it again).
    node.devices().hold(vm.spec().devices());
    holding = true;
    publish();
    pipe(engine.freeze(), FrozenAnswered::new);
    return this;
  }

  private Behavior<Command> onFrozen(FrozenAnswered m) {
    if (aborting) {
      return this;
    }
    if (m.failure() != null) {
      return abort("the source did not freeze: " + cause(m.failure()));
    }
    frozen = m.frozen();
    return maybeCompare();
  }

  private Behavior<Command> onCaughtUp(MigrationProtocol.CaughtUp m) {
    if (aborting || phase != Phase.FREEZE) {
      return this;
    }
    caughtUp = m;
    return maybeCompare();
  }

  private Behavior<Command> maybeCompare() {
    if (frozen == null || caughtUp == null) {
      return this;
    }
    phase = Phase.CAUGHT_UP;
    publish();
    if (caughtUp.instructions() != frozen.instructions()
        || !caughtUp.digest().equals(frozen.digest())
        || caughtUp.outputDigest() != frozen.outputDigest()) {
      digestCheck = DigestCheck.MISMATCH;
      return abort(
          String.format(
              "digest mismatch at the freeze point: source at %d has %s (output %016x), target at"
                  + " %d has %s (output %016x)",
              frozen.instructions(),
              frozen.digest(),
              frozen.outputDigest(),
              caughtUp.instructions(),
              caughtUp.digest(),
              caughtUp.outputDigest()));
    }
    digestCheck = DigestCheck.MATCH;
    // Ahead of the move, so that a target whose source is lost after it can go live on its own.
    target.tell(
        new MigrationProtocol.Commit(
            migrationId, frozen.lines() + 1, frozen.pendingLine(), epoch + 1, true));
    moveInFlight = true;
    getContext()
        .ask(
            VmDirectory.Reply.class,
            node.directory(),
            node.settings().askTimeout(),
            r -> new VmDirectory.Move(vmId, node.name(), epoch, targetNode, r),
            (reply, failure) -> new Moved(reply, failure, false));
    return this;
  }

  private Behavior<Command> onMoved(Moved m) {
    if (aborting || committed) {
      return this;
    }
    if (m.reply() instanceof VmDirectory.Location at
        && at.node().equals(targetNode)
        && at.epoch() == epoch + 1) {
      moveInFlight = false;
      return commit(); // an abort asked meanwhile came too late: the target owns the VM
    }
    if (m.failure() != null && !m.lookup()) {
      // The move may have happened with its answer lost: the directory says which.
      getContext()
          .ask(
              VmDirectory.Reply.class,
              node.directory(),
              node.settings().askTimeout(),
              r -> new VmDirectory.Lookup(vmId, r),
              (reply, failure) -> new Moved(reply, failure, true));
      return this;
    }
    String why =
        m.failure() != null
            ? "the directory did not answer: " + m.failure().getMessage()
            : m.reply() instanceof VmDirectory.Refusal r ? r.reason() : "it holds " + m.reply();
    moveInFlight = false;
    if (abortAfterMove != null) {
      return abort(abortAfterMove + " (the directory did not move " + vmId + ": " + why + ")");
    }
    return abort("the directory did not move " + vmId + " to " + targetNode + ": " + why);
  }

  /** The commit point is passed: the target owns the VM. Nothing from here aborts. */
  private Behavior<Command> commit() {
    committed = true;
    phase = Phase.COMMITTED;
    if (holding) {
      networkHold = node.devices().holdCounts(vm.spec().devices());
      node.devices().handOver(vm.spec().devices(), targetNode);
    }
    target.tell(
        new MigrationProtocol.Commit(
            migrationId, frozen.lines() + 1, frozen.pendingLine(), epoch + 1));
    node.hostAgent()
        .tell(
            new HostAgent.StopMigratedVm(
                vmId,
                getContext().messageAdapter(HostAgent.StopVmReply.class, SourceStopped::new)));
    engine.close();
    timers.cancel("deadline");
    timers.startSingleTimer(
        "live", new Timeout("no word from the target going live"), node.settings().askTimeout());
    return this;
  }

  /**
   * The report waits for both ends of the hand-over, so that whoever reads it finds the target live
   * and the source's copy gone; the downtime ends when the target went live.
   */
  private Behavior<Command> onLive(MigrationProtocol.Live m) {
    if (!committed) {
      return this;
    }
    liveAtMillis = millisClock.getAsLong();
    firstTargetLine = m.firstLineNumber();
    if (sourceStopped) {
      return finish(Outcome.COMMITTED, lateReason, firstTargetLine);
    }
    timers.startSingleTimer(
        "live", new Timeout("no word of the source's copy stopping"), node.settings().askTimeout());
    return this;
  }

  private Behavior<Command> onSourceStopped(SourceStopped m) {
    sourceStopped = true;
    if (m.reply() instanceof HostAgent.StopRefused refused) {
      lateReason = "committed, but the source's copy did not stop: " + refused.reason();
    }
    return firstTargetLine >= 0 ? finish(Outcome.COMMITTED, lateReason, firstTargetLine) : this;
  }

  private Behavior<Command> targetGone(String why) {
    if (committed && firstTargetLine >= 0) {
      return this; // live already: its coordinator's work is done
    }
    if (committed) {
      lateReason = "committed, but " + why;
      return finish(Outcome.COMMITTED, lateReason, 0);
    }
    return abort(why);
  }

  private Behavior<Command> onTimeout(Timeout m) {
    if (committed) {
      return finish(Outcome.COMMITTED, "committed, but " + m.what(), Math.max(0, firstTargetLine));
    }
    return abort(m.what() + " passed in phase " + phase);
  }

  private Behavior<Command> onCancel(Cancel m) {
    if (committed) {
      m.replyTo()
          .tell(
              new CancelReply.Refused(
                  migrationId, "past the commit point: the VM lives on " + targetNode));
    } else if (aborting) {
      m.replyTo().tell(new CancelReply.Refused(migrationId, "already aborting: " + abortReason));
    } else if (moveInFlight) {
      m.replyTo()
          .tell(
              new CancelReply.Refused(
                  migrationId,
                  "the directory is moving "
                      + vmId
                      + " to "
                      + targetNode
                      + ": too late to cancel"));
    } else {
      m.replyTo().tell(new CancelReply.Accepted(migrationId, phase));
      abort("cancelled in phase " + phase);
    }
    return this;
  }

  // ---- abort and the end

  private Behavior<Command> abort(String reason) {
    if (committed || aborting) {
      return this;
    }
    if (moveInFlight) {
      if (abortAfterMove == null) {
        abortAfterMove = reason;
      }
      return this;
    }
    aborting = true;
    abortReason = reason;
    if (holding) {
      node.devices().release(vm.spec().devices()); // the source runs on: the held frames are its
    }
    timers.cancel(ROUNDS);
    if (target != null) {
      target.tell(new MigrationProtocol.Abort(migrationId, reason));
    }
    if (engine == null) {
      return finish(Outcome.ABORTED, reason, 0);
    }
    pipe(engine.abort(reason), (ignored, failure) -> new AbortDone(failure));
    return this;
  }

  private Behavior<Command> onAbortDone(AbortDone m) {
    String reason = m.failure() == null ? abortReason : abortReason + "; and " + cause(m.failure());
    return finish(Outcome.ABORTED, reason, 0);
  }

  /**
   * Stopped without a report (a defect here, the node shutting down): before the commit point the
   * source must not stay paused or recording, nor the target keep its copy.
   */
  private Behavior<Command> onPostStop() {
    if (!finished && engine != null) {
      engine.release(); // spill files must not outlive the node's run (fault simulator, seed 36)
    }
    if (!finished && !committed) {
      if (vm != null && engine != null) {
        vm.ref().tell(new VmActor.StopRecording(getContext().getSystem().ignoreRef()));
      }
      if (target != null) {
        target.tell(new MigrationProtocol.Abort(migrationId, "the source's coordinator stopped"));
      }
    }
    return this;
  }

  private Behavior<Command> finish(Outcome outcome, String reason, long firstTargetLine) {
    finished = true;
    phase = outcome == Outcome.COMMITTED ? Phase.COMMITTED : Phase.ABORTED;
    long now = millisClock.getAsLong();
    long pausedAt =
        engine == null ? freezeStartMillis : engine.pausedAtMillis().orElse(freezeStartMillis);
    long liveAt = liveAtMillis > 0 ? liveAtMillis : now;
    long downtime = outcome == Outcome.COMMITTED && freezeStartMillis > 0 ? liveAt - pausedAt : 0;
    MigrationReport report =
        new MigrationReport(
            migrationId,
            vmId,
            node.name(),
            targetNode,
            strategy,
            outcome,
            reason,
            now - startMillis,
            setupMillis,
            downtime,
            bytesSoFar(),
            rounds,
            maxThrottlePercent,
            frozen == null ? 0 : frozen.instructions(),
            digestCheck,
            frozen == null
                ? OutputContinuity.UNKNOWN
                : new OutputContinuity(frozen.lines(), firstTargetLine),
            networkHold);
    publish();
    requester.tell(new MigrationEvent.Finished(migrationId, report));
    return Behaviors.stopped();
  }

  private void publish() {
    RoundReport last = rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
    requester.tell(
        new MigrationEvent.ProgressUpdate(
            migrationId,
            aborting ? Phase.ABORTED : phase,
            rounds.size(),
            last == null ? Long.MAX_VALUE : last.expectedDowntimeMillis(),
            bytesSoFar().total(),
            last == null ? 0 : last.lagInstructions(),
            last == null ? 0 : last.backlogBytes(),
            engine == null ? null : engine.streamState().orElse(null)));
  }

  /** Every engine's bytes; while switching the first engine's are already in the sum. */
  private BytesByKind bytesSoFar() {
    return engine == null || switching ? bytesBeforeSwitch : bytesBeforeSwitch.plus(engine.bytes());
  }

  private long elapsed() {
    return millisClock.getAsLong() - startMillis;
  }

  private <T> void pipe(
      CompletionStage<T> stage, java.util.function.BiFunction<T, Throwable, Command> wrap) {
    getContext().pipeToSelf(stage, wrap::apply);
  }

  private static String cause(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
