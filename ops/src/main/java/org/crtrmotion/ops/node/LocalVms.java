package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.crtrmotion.actors.vm.VmActor;

/**
 * The VM actors of this node, found by path under the host agent this node spawned ({@link
 * #HOST_AGENT_NAME}; the host agent names each VM actor by its VM id). Their messages are local, so
 * only this node's VMs can be reached this way: console and status of a VM elsewhere go through
 * that node's API.
 */
final class LocalVms {
  /** The name the node gives its host agent, under the user guardian. */
  static final String HOST_AGENT_NAME = "host-agent";

  private final ActorSystem<?> system;
  private final Duration timeout;

  LocalVms(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** The VM's actor; fails (ActorNotFound) when it does not run here. */
  CompletionStage<ActorRef<VmActor.Command>> resolve(String vmId) {
    return system
        .classicSystem()
        .actorSelection("/user/" + HOST_AGENT_NAME + "/" + vmId)
        .resolveOne(timeout)
        .thenApply(Adapter::<VmActor.Command>toTyped);
  }

  CompletionStage<VmActor.Reply> status(String vmId) {
    return resolve(vmId)
        .thenCompose(
            vm ->
                AskPattern.<VmActor.Command, VmActor.Reply>ask(
                    vm, VmActor.GetStatus::new, timeout, system.scheduler()));
  }
}
