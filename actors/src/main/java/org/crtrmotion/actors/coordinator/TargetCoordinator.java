package org.crtrmotion.actors.coordinator;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.vm.state.StateDigest;

/**
 * The target's coordinator of one migration: reserves capacity, builds the VM's copy through its
 * strategy's {@link TargetEngine}, answers the source's rounds, reports CaughtUp, and makes the
 * copy live only on {@link MigrationProtocol.Commit}, which the source sends after the commit
 * point. Before it, an abort, the source's coordinator terminating, a failure here or the deadline
 * discard the copy and release the reservation.
 */
public final class TargetCoordinator extends AbstractBehavior<TargetCoordinator.Command> {

  public sealed interface Command
      permits MigrationProtocol.ToTarget,
          OfferAnswered,
          CopySpawned,
          CopyEvent,
          LiveAnswered,
          Failed,
          SourceTerminated,
          DeadlinePassed,
          CopyStopped,
          Resolved {}

  private record OfferAnswered(HostAgent.OfferReply reply, Throwable failure) implements Command {}

  private record CopySpawned(ActorRef<VmActor.Command> vm, Throwable failure, int copyNumber)
      implements Command {}

  /** What copy number {@code copyNumber} reported (a copy discarded by a switch is stale). */
  private record CopyEvent(VmActor.ReplicaEvent event, int copyNumber) implements Command {}

  private record LiveAnswered(VmActor.Reply reply, Throwable failure, long nextLine)
      implements Command {}

  private record Failed(String reason, int copyNumber) implements Command {}

  /** The first strategy's copy is stopped: the target is ready for the other strategy. */
  private record CopyStopped(MigrationProtocol.SwitchStrategy to) implements Command {}

  private record SourceTerminated() implements Command {}

  private record DeadlinePassed() implements Command {}

  /**
   * The directory's answer on who owns the VM, asked once the source is lost past a provisional.
   */
  private record Resolved(VmDirectory.Reply reply, Throwable failure, String reason)
      implements Command {}

  static Behavior<Command> create(MigrationProtocol.Prepare prepare, SourceCoordinator.Node node) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new TargetCoordinator(ctx, timers, prepare, node)));
  }

  private final MigrationProtocol.Prepare prepare;
  private final SourceCoordinator.Node node;
  private TargetEngine engine; // replaced once, by a switch of strategy
  private int copyNumber; // counts the engines: a switch builds a second copy
  private ActorRef<VmActor.Command> copy;
  private boolean committed;
  private boolean copyRequested;
  private MigrationProtocol.Commit provisional; // the source's Commit sent ahead of its move
  private boolean resolving;

  private TargetCoordinator(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      MigrationProtocol.Prepare prepare,
      SourceCoordinator.Node node) {
    super(ctx);
    this.prepare = prepare;
    this.node = node;
    // Migrations refuses any other strategy before we get here.
    this.engine = engineFor(prepare.strategy());
    ctx.watchWith(prepare.source(), new SourceTerminated());
    // The source's deadline decides and says so in the report; the target's, a little later, is the
    // backstop for a source that went silent without its node being seen to leave.
    timers.startSingleTimer(
        new DeadlinePassed(),
        Duration.ofMillis(Math.max(1, prepare.deadlineMillis()))
            .plus(node.settings().askTimeout()));
    ctx.ask(
        HostAgent.OfferReply.class,
        node.hostAgent(),
        node.settings().askTimeout(),
        r ->
            new HostAgent.OfferMigration(
                prepare.migrationId(),
                prepare.vmId(),
                prepare.memoryBytes(),
                Math.max(1, prepare.deadlineMillis()),
                r),
        OfferAnswered::new);
  }

  /**
   * The strategy's engine, its copy's events and failures tagged with its number: after a switch,
   * what the discarded copy still says is stale and ignored.
   */
  private TargetEngine engineFor(Strategy strategy) {
    int number = ++copyNumber;
    ActorRef<Command> self = getContext().getSelf();
    // One forwarder per copy: a message adapter per class would be replaced by the next one.
    ActorRef<VmActor.ReplicaEvent> events =
        getContext()
            .spawnAnonymous(
                Behaviors.<VmActor.ReplicaEvent>receiveMessage(
                    e -> {
                      self.tell(new CopyEvent(e, number));
                      return Behaviors.same();
                    }));
    java.util.function.Consumer<String> failed = reason -> self.tell(new Failed(reason, number));
    return strategy == Strategy.PRECOPY
        ? new PrecopyTargetEngine(
            getContext().getSystem(), prepare, node.hostAgent(), events, node.settings(), failed)
        : new CrtrTargetEngine(
            getContext().getSystem(), prepare, node.hostAgent(), events, node.settings(), failed);
  }

  /** Whether a target can take {@code strategy}; null when it can, else why not. */
  static String refusal(MigrationProtocol.Prepare p, NodeDevices devices) {
    if (p.strategy() != Strategy.CRTR && p.strategy() != Strategy.PRECOPY) {
      return "strategy " + p.strategy().cliName() + " is not available on this node";
    }
    try {
      CrtrTargetEngine.spec(p);
      return devices.refusal(p.devices());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(OfferAnswered.class, this::onOffer)
        .onMessage(MigrationProtocol.StartTransfer.class, this::onStart)
        .onMessage(MigrationProtocol.StartPrecopy.class, this::onStart)
        .onMessage(CopySpawned.class, this::onSpawned)
        .onMessage(CopyEvent.class, this::onCopyEvent)
        .onMessage(MigrationProtocol.ProgressQuery.class, this::onProgressQuery)
        .onMessage(MigrationProtocol.Commit.class, this::onCommit)
        .onMessage(LiveAnswered.class, this::onLive)
        .onMessage(
            MigrationProtocol.Abort.class, m -> discard("aborted by the source: " + m.reason()))
        .onMessage(Failed.class, m -> m.copyNumber() == copyNumber ? fail(m.reason()) : this)
        .onMessage(MigrationProtocol.SwitchStrategy.class, this::onSwitch)
        .onMessage(CopyStopped.class, this::onCopyStopped)
        .onMessage(SourceTerminated.class, m -> discard("the source's coordinator terminated"))
        .onMessage(DeadlinePassed.class, m -> fail("the deadline passed"))
        .onMessage(Resolved.class, this::onResolved)
        .build();
  }

  private Behavior<Command> onOffer(OfferAnswered m) {
    if (m.reply() instanceof HostAgent.OfferAccepted) {
      prepare
          .source()
          .tell(
              new MigrationProtocol.Accepted(
                  prepare.migrationId(), node.name(), getContext().getSelf().narrow()));
      return this;
    }
    String why =
        m.reply() instanceof HostAgent.OfferRefused r
            ? r.reason()
            : "the host agent did not answer: " + m.failure();
    prepare.source().tell(new MigrationProtocol.Refused(prepare.migrationId(), why));
    return Behaviors.stopped();
  }

  private Behavior<Command> onStart(MigrationProtocol.ToTarget m) {
    copyRequested = true;
    int number = copyNumber;
    getContext().pipeToSelf(engine.start(m), (vm, failure) -> new CopySpawned(vm, failure, number));
    return this;
  }

  private Behavior<Command> onSpawned(CopySpawned m) {
    if (m.copyNumber() != copyNumber) {
      return this; // the copy a switch discarded
    }
    if (m.failure() != null) {
      return fail("the copy was not built: " + m.failure().getMessage());
    }
    copy = m.vm();
    return this;
  }

  private Behavior<Command> onCopyEvent(CopyEvent m) {
    if (m.copyNumber() != copyNumber) {
      return this; // the copy a switch discarded
    }
    engine.observe(m.event());
    if (m.event() instanceof VmActor.CaughtUp c && !node.settings().faults().withholdCaughtUp()) {
      StateDigest digest =
          node.settings().faults().misreportTargetDigest()
              ? new StateDigest(c.digest().high(), c.digest().low() + 1)
              : c.digest();
      prepare
          .source()
          .tell(
              new MigrationProtocol.CaughtUp(
                  prepare.migrationId(), c.instructions(), digest, c.outputDigest()));
    } else if (m.event() instanceof VmActor.ReplayFailed f && !committed) {
      return fail("the replay failed: " + f.reason());
    }
    return this;
  }

  private Behavior<Command> onProgressQuery(MigrationProtocol.ProgressQuery m) {
    m.replyTo().tell(engine.progress(prepare.migrationId()));
    return this;
  }

  private Behavior<Command> onCommit(MigrationProtocol.Commit m) {
    if (m.provisional()) {
      provisional = m;
      return this;
    }
    return goLive(m);
  }

  private Behavior<Command> goLive(MigrationProtocol.Commit m) {
    if (committed) {
      return this; // live already through the directory's answer; the source's Commit came late
    }
    if (copy == null) {
      prepare
          .source()
          .tell(new MigrationProtocol.TargetFailed(prepare.migrationId(), "no copy to go live"));
      return Behaviors.stopped();
    }
    committed = true;
    // Past the commit point the VM is this node's, at the epoch of the directory's move.
    node.hostAgent().tell(new HostAgent.VmOwned(prepare.vmId(), m.epoch()));
    getContext()
        .ask(
            VmActor.Reply.class,
            copy,
            node.settings().askTimeout(),
            r -> new VmActor.GoLive(m.nextLineNumber(), m.pendingLine(), r),
            (reply, failure) -> new LiveAnswered(reply, failure, m.nextLineNumber()));
    return this;
  }

  private Behavior<Command> onLive(LiveAnswered m) {
    if (m.reply() instanceof VmActor.Status s) {
      node.devices().activate(prepare.devices()); // its NICs take its traffic, and announce it
      prepare
          .source()
          .tell(new MigrationProtocol.Live(prepare.migrationId(), s.instructions(), m.nextLine()));
    } else {
      String why =
          m.failure() != null
              ? m.failure().getMessage()
              : m.reply() instanceof VmActor.Refused r ? r.reason() : String.valueOf(m.reply());
      prepare
          .source()
          .tell(
              new MigrationProtocol.TargetFailed(
                  prepare.migrationId(), "the copy did not go live: " + why));
    }
    return Behaviors.stopped(); // the VM is the host agent's now
  }

  /**
   * The source switches strategy: this copy is discarded (its engine stopped, the copy stopped and
   * gone from the host agent, so that the next copy can take the VM's id), then the source hears
   * {@link MigrationProtocol.Switched} and sends the other strategy's start. The reservation was
   * taken by the first copy and is not made again: the next copy takes the place the first left.
   */
  private Behavior<Command> onSwitch(MigrationProtocol.SwitchStrategy m) {
    if (committed) {
      return this;
    }
    engine.abort("switching strategy to " + m.strategy().cliName());
    engine = engineFor(m.strategy()); // from now on the first copy's words are stale
    if (!copyRequested) {
      return onCopyStopped(new CopyStopped(m));
    }
    copyRequested = false;
    copy = null;
    getContext()
        .ask(
            HostAgent.StopVmReply.class,
            node.hostAgent(),
            node.settings().askTimeout(),
            r -> new HostAgent.StopVm(prepare.vmId(), r),
            (reply, failure) -> new CopyStopped(m));
    return this;
  }

  private Behavior<Command> onCopyStopped(CopyStopped m) {
    prepare.source().tell(new MigrationProtocol.Switched(prepare.migrationId(), m.to().strategy()));
    return this;
  }

  /** Before the commit point: tell the source, then discard the copy. */
  private Behavior<Command> fail(String reason) {
    if (committed) {
      return this;
    }
    prepare.source().tell(new MigrationProtocol.TargetFailed(prepare.migrationId(), reason));
    return discard(reason);
  }

  private Behavior<Command> discard(String reason) {
    if (committed || resolving) {
      return this; // the source committed: the copy is the VM now
    }
    if (provisional != null) {
      // The source may have moved the VM here in the directory (the commit point) and been lost
      // before its Commit: the directory decides (found by the fault simulator, seed 18).
      resolving = true;
      getContext()
          .ask(
              VmDirectory.Reply.class,
              node.directory(),
              node.settings().askTimeout(),
              r -> new VmDirectory.Lookup(prepare.vmId(), r),
              (reply, failure) -> new Resolved(reply, failure, reason));
      return this;
    }
    return discardNow(reason);
  }

  private Behavior<Command> onResolved(Resolved m) {
    resolving = false;
    if (m.reply() instanceof VmDirectory.Location at && at.node().equals(node.name())) {
      return goLive(provisional);
    }
    provisional = null;
    return discardNow(m.reason());
  }

  private Behavior<Command> discardNow(String reason) {
    engine.abort(reason);
    if (copyRequested) {
      // Also when its spawn has not been confirmed: the host agent takes the stop after it.
      node.hostAgent()
          .tell(new HostAgent.StopVm(prepare.vmId(), getContext().getSystem().ignoreRef()));
    }
    node.hostAgent().tell(new HostAgent.ReleaseOffer(prepare.migrationId()));
    return Behaviors.stopped();
  }
}
