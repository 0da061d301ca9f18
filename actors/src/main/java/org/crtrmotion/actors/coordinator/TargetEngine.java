package org.crtrmotion.actors.coordinator;

import java.util.concurrent.CompletionStage;
import org.crtrmotion.actors.vm.VmActor;

/**
 * One strategy's half of a target coordinator: receives the state and builds the target's copy of
 * the VM. The {@link TargetCoordinator} owns the rest: reservation, the watch on the source, the
 * deadline, caught-up, commit and abort. Called on the coordinator's thread; the copy reports to
 * the coordinator through the listener it was built with.
 */
public interface TargetEngine {

  /**
   * Starts receiving (the strategy's start message) and building the copy; completes with the
   * copy's VM actor once it exists (it may still be restoring).
   */
  CompletionStage<org.apache.pekko.actor.typed.ActorRef<VmActor.Command>> start(
      MigrationProtocol.ToTarget start);

  /** What the copy reported (progress, caught up, failed), before the coordinator acts on it. */
  default void observe(VmActor.ReplicaEvent event) {}

  /** Where the copy is, for the source's round. */
  MigrationProtocol.Progress progress(String migrationId);

  /** Before the commit point: stops receiving; the coordinator discards the copy. */
  void abort(String reason);
}
