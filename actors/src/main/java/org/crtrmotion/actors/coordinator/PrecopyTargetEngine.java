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
import org.crtrmotion.actors.precopy.PrecopyStream;
import org.crtrmotion.actors.precopy.PrecopyTarget;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;

/**
 * Pre-copy on the target: a replica VM under this node's host agent (it keeps the VM's id), built
 * by {@link PrecopyTarget} from round 0's state and filled by the rounds of pages as they arrive on
 * the one connection; the state at the freeze makes it report CaughtUp with its digest.
 */
final class PrecopyTargetEngine implements TargetEngine {
  private final ActorSystem<?> system;
  private final MigrationProtocol.Prepare prepare;
  private final ActorRef<HostAgent.Command> hostAgent;
  private final ActorRef<VmActor.ReplicaEvent> listener;
  private final CoordinatorSettings settings;
  private final Consumer<String> onFailure;

  private PrecopyTarget copy;
  private UniqueKillSwitch link;
  private volatile int roundsApplied;

  PrecopyTargetEngine(
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

  @Override
  public CompletionStage<ActorRef<VmActor.Command>> start(MigrationProtocol.ToTarget message) {
    if (!(message instanceof MigrationProtocol.StartPrecopy sp)) {
      throw new IllegalArgumentException("pre-copy starts with StartPrecopy, not " + message);
    }
    String id = prepare.migrationId();
    VmSpec spec = CrtrTargetEngine.spec(prepare);
    copy = new PrecopyTarget(spec.plan());
    var running =
        sp.pages()
            .getSource()
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(PrecopyStream.into(id, copy, n -> roundsApplied = n), Keep.both())
            .run(system);
    link = running.first();
    running
        .second()
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                copy.fail(failure);
                onFailure.accept("the page stream failed: " + failure.getMessage());
              }
            });
    return CrtrTargetEngine.spawnReplica(
            hostAgent, id, spec, prepare.image(), copy.replica(listener), settings, system)
        .thenApply(
            vm -> {
              startCopy(vm);
              return vm;
            });
  }

  /** Its reply comes once the copy is finished at the freeze; a failure before is reported. */
  private void startCopy(ActorRef<VmActor.Command> vm) {
    AskPattern.ask(
            vm, VmActor.Start::new, Duration.ofMillis(prepare.deadlineMillis()), system.scheduler())
        .whenComplete(
            (reply, failure) -> {
              if (!(reply instanceof VmActor.Status)) {
                onFailure.accept(
                    "the copy was not built: "
                        + (failure != null
                            ? failure.getMessage()
                            : reply instanceof VmActor.Refused r
                                ? r.reason()
                                : String.valueOf(reply)));
              }
            });
  }

  @Override
  public MigrationProtocol.Progress progress(String migrationId) {
    // The copy counts as restored once round 0's pages are in: from then on rounds are measured.
    return new MigrationProtocol.Progress(migrationId, roundsApplied > 0, 0, 0);
  }

  @Override
  public void abort(String reason) {
    IllegalStateException why = new IllegalStateException("migration aborted: " + reason);
    if (link != null) {
      link.abort(why);
    }
    if (copy != null) {
      copy.fail(why);
    }
  }
}
