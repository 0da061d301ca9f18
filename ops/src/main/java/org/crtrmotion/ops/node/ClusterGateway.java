package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.crtrmotion.actors.host.HostAgent;

/**
 * The API's way into the cluster: every host agent found through the receptionist, asked from
 * outside the actors ({@link AskPattern}). A host agent that does not answer within the timeout is
 * left out of a listing rather than failing it, and named where a single answer is needed.
 */
final class ClusterGateway {

  /** A host agent and the cluster address of its node. */
  record Agent(ActorRef<HostAgent.Command> ref, Address address) {}

  /** A VM found on a node. */
  record Located(Agent agent, String node, HostAgent.VmInfo vm) {}

  private final ActorSystem<?> system;
  private final Duration timeout;

  ClusterGateway(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  CompletionStage<List<Agent>> agents() {
    Address self = Cluster.get(system).selfMember().address();
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
            system.receptionist(),
            replyTo -> Receptionist.find(HostAgent.KEY, replyTo),
            timeout,
            system.scheduler())
        .thenApply(
            listing -> {
              Set<ActorRef<HostAgent.Command>> refs = listing.getServiceInstances(HostAgent.KEY);
              List<Agent> agents = new ArrayList<>();
              for (ActorRef<HostAgent.Command> ref : refs) {
                Address a = ref.path().address();
                agents.add(new Agent(ref, a.hasLocalScope() ? self : a));
              }
              return agents;
            });
  }

  /** The capacity of every host agent that answered, with its node's address, by node name. */
  CompletionStage<List<AgentCapacity>> capacities() {
    return agents()
        .thenCompose(agents -> all(agents.stream().map(this::capacityOf).toList()))
        .thenApply(
            list -> {
              List<AgentCapacity> sorted = new ArrayList<>(list);
              sorted.sort(Comparator.comparing(a -> a.capacity().node()));
              return sorted;
            });
  }

  /** Every VM of every host agent that answered, with its node and agent. */
  CompletionStage<List<Located>> vms() {
    return agents()
        .thenCompose(
            agents ->
                all(
                    agents.stream()
                        .map(
                            a ->
                                AskPattern.<HostAgent.Command, HostAgent.VmList>ask(
                                        a.ref(),
                                        HostAgent.ListVms::new,
                                        timeout,
                                        system.scheduler())
                                    .thenApply(
                                        list ->
                                            list.vms().stream()
                                                .map(vm -> new Located(a, list.node(), vm))
                                                .toList()))
                        .toList()))
        .thenApply(
            lists -> {
              List<Located> all = new ArrayList<>();
              lists.forEach(all::addAll);
              all.sort(Comparator.comparing(l -> l.vm().vmId()));
              return all;
            });
  }

  CompletionStage<Optional<Located>> find(String vmId) {
    return vms().thenApply(all -> all.stream().filter(l -> l.vm().vmId().equals(vmId)).findFirst());
  }

  /**
   * Starts a VM on {@code node}, or when empty on the host with the most memory left (ties: the
   * fewest VMs, then the name).
   */
  CompletionStage<HostAgent.StartVmReply> start(
      String image,
      String bootargs,
      long memoryBytes,
      long quotaInstructionsPerSecond,
      Optional<String> node) {
    return agents()
        .thenCompose(
            agents ->
                all(agents.stream().map(this::capacityOf).toList())
                    .thenCompose(
                        answered -> {
                          Optional<AgentCapacity> chosen = choose(answered, node);
                          if (chosen.isEmpty()) {
                            String why =
                                node.map(n -> "no host agent on node '" + n + "' answered")
                                    .orElse("no host agent answered: no node runs VMs");
                            return CompletableFuture.completedFuture(
                                new HostAgent.StartRefused(why));
                          }
                          return AskPattern.<HostAgent.Command, HostAgent.StartVmReply>ask(
                              chosen.get().agent().ref(),
                              replyTo ->
                                  new HostAgent.StartVm(
                                      image,
                                      bootargs,
                                      memoryBytes,
                                      quotaInstructionsPerSecond,
                                      replyTo),
                              HostAgentTimeouts.START,
                              system.scheduler());
                        }));
  }

  CompletionStage<HostAgent.StopVmReply> stop(Located vm) {
    return AskPattern.ask(
        vm.agent().ref(),
        replyTo -> new HostAgent.StopVm(vm.vm().vmId(), replyTo),
        HostAgentTimeouts.STOP,
        system.scheduler());
  }

  record AgentCapacity(Agent agent, HostAgent.Capacity capacity) {}

  private CompletionStage<AgentCapacity> capacityOf(Agent a) {
    return AskPattern.<HostAgent.Command, HostAgent.Capacity>ask(
            a.ref(), HostAgent.GetCapacity::new, timeout, system.scheduler())
        .thenApply(c -> new AgentCapacity(a, c));
  }

  private static Optional<AgentCapacity> choose(List<AgentCapacity> all, Optional<String> node) {
    if (node.isPresent()) {
      return all.stream().filter(a -> a.capacity().node().equals(node.get())).findFirst();
    }
    return all.stream()
        .min(
            Comparator.<AgentCapacity>comparingLong(a -> -memoryLeft(a.capacity()))
                .thenComparingInt(a -> a.capacity().vms() + a.capacity().reservedVms())
                .thenComparing(a -> a.capacity().node()));
  }

  private static long memoryLeft(HostAgent.Capacity c) {
    return c.maxMemoryBytes() - c.memoryBytes() - c.reservedMemoryBytes();
  }

  /** The answers that came, in order; an ask that failed or timed out is left out. */
  private static <T> CompletionStage<List<T>> all(List<CompletionStage<T>> stages) {
    List<CompletableFuture<Optional<T>>> futures =
        stages.stream()
            .map(s -> s.thenApply(Optional::of).exceptionally(e -> Optional.empty()))
            .map(CompletionStage::toCompletableFuture)
            .toList();
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> futures.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
  }
}
