package org.crtrmotion.actors.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.vm.GuestImages;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;
import org.crtrmotion.streams.CheckpointTransfer;
import org.crtrmotion.streams.ReliableReceiver;
import org.crtrmotion.streams.ReplayFeedSink;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;

/**
 * CR/TR-Motion on the target: a replica VM under this node's host agent (it keeps the VM's id),
 * restored from the checkpoint stream on its own thread, replaying the reliable trace stream as it
 * arrives through a {@link GrowingFeed}.
 */
final class CrtrTargetEngine implements TargetEngine {
  /** Events the trace may have buffered ahead of the replica before the stream is held back. */
  private static final int FEED_EVENTS = 1 << 16;

  private final ActorSystem<?> system;
  private final MigrationProtocol.Prepare prepare;
  private final ActorRef<HostAgent.Command> hostAgent;
  private final ActorRef<VmActor.ReplicaEvent> listener;
  private final CoordinatorSettings settings;
  private final Consumer<String> onFailure;

  private GrowingFeed feed;
  private UniqueKillSwitch trace;
  private volatile boolean restored;
  private long replayed;
  private long replayRate;

  CrtrTargetEngine(
      ActorSystem<?> system,
      MigrationProtocol.Prepare prepare,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmActor.ReplicaEvent> listener,
      CoordinatorSettings settings,
      Consumer<String> onFailure) {
    this.system = system;
    this.prepare = prepare;
    this.hostAgent = hostAgent;
    this.listener = listener;
    this.settings = settings;
    this.onFailure = onFailure;
  }

  /** The spec the replica runs with: the source's, checked to load here at Prepare. */
  static VmSpec spec(MigrationProtocol.Prepare p) {
    MachineConfig config =
        new MachineConfig(
            p.memoryBytes(),
            p.timeMode(),
            p.bootargs().isEmpty() ? null : p.bootargs(),
            p.instructionsPerTick());
    return new VmSpec(
        p.vmId(),
        config,
        new BootPlan.BareMetal(GuestImages.load(p.image())),
        p.sliceInstructions(),
        p.quotaInstructionsPerSecond(),
        p.devices());
  }

  @Override
  public CompletionStage<ActorRef<VmActor.Command>> start(MigrationProtocol.ToTarget message) {
    if (!(message instanceof MigrationProtocol.StartTransfer st)) {
      throw new IllegalArgumentException("CR/TR starts with StartTransfer, not " + message);
    }
    String id = prepare.migrationId();
    feed = new GrowingFeed(st.startInstruction(), FEED_EVENTS);
    ReliableReceiver receiver =
        new ReliableReceiver(
            system, id + "/trace", st.traceEndpoint(), 0, settings.resumeDeadline());
    var running =
        receiver
            .source()
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(ReplayFeedSink.into(id + "/trace", st.startInstruction(), feed), Keep.both())
            .run(system);
    trace = running.first();
    running
        .second()
        .whenComplete(
            (receipt, failure) -> {
              if (failure != null) {
                onFailure.accept("the trace stream failed: " + failure.getMessage());
              }
            });
    VmSpec spec = spec(prepare);
    Duration stall = Duration.ofMillis(prepare.deadlineMillis());
    VmActor.Replica replica =
        new VmActor.Replica(
            (console, devices) ->
                st.checkpoint()
                    .getSource()
                    .runWith(
                        CheckpointTransfer.restore(
                            id + "/checkpoint", spec.plan(), console, devices, stall),
                        system),
            feed,
            listener);
    return spawnReplica(hostAgent, id, spec, prepare.image(), replica, settings, system)
        .thenApply(
            vm -> {
              startReplica(vm);
              return vm;
            });
  }

  /**
   * Asks the host agent for the target's copy of the VM (either strategy's); fails when the VM
   * already runs on this node.
   */
  static CompletionStage<ActorRef<VmActor.Command>> spawnReplica(
      ActorRef<HostAgent.Command> hostAgent,
      String migrationId,
      VmSpec spec,
      String image,
      VmActor.Replica replica,
      CoordinatorSettings settings,
      ActorSystem<?> system) {
    CompletionStage<HostAgent.VmHandle> spawned =
        AskPattern.ask(
            hostAgent,
            r -> new HostAgent.StartReplica(migrationId, spec, image, replica, r),
            settings.askTimeout(),
            system.scheduler());
    return spawned.thenApply(
        handle -> {
          if (!handle.found()) {
            throw new IllegalStateException(
                handle.problem().isEmpty()
                    ? "VM " + spec.vmId() + " already runs on " + handle.node()
                    : handle.problem());
          }
          return handle.ref();
        });
  }

  private void startReplica(ActorRef<VmActor.Command> vm) {
    CompletionStage<VmActor.Reply> started =
        AskPattern.ask(
            vm,
            VmActor.Start::new,
            Duration.ofMillis(prepare.deadlineMillis()),
            system.scheduler());
    started.whenComplete(
        (reply, failure) -> {
          if (reply instanceof VmActor.Status) {
            restored = true;
          } else {
            onFailure.accept(
                "the replica was not restored: "
                    + (failure != null
                        ? failure.getMessage()
                        : reply instanceof VmActor.Refused r ? r.reason() : String.valueOf(reply)));
          }
        });
  }

  @Override
  public void observe(VmActor.ReplicaEvent event) {
    if (event instanceof VmActor.Replayed r) {
      replayed = r.instructions();
      replayRate = r.instructionsPerSecond();
    } else if (event instanceof VmActor.CaughtUp c) {
      replayed = c.instructions();
    }
  }

  @Override
  public MigrationProtocol.Progress progress(String migrationId) {
    return new MigrationProtocol.Progress(migrationId, restored, replayed, replayRate);
  }

  @Override
  public void abort(String reason) {
    if (trace != null) {
      trace.abort(new IllegalStateException("migration aborted: " + reason));
    }
    if (feed != null) {
      feed.fail(new IllegalStateException("migration aborted: " + reason));
    }
  }
}
