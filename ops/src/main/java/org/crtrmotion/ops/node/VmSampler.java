package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.vm.VmActor;

/**
 * Samples this node's VMs for the metrics at a fixed interval: how many run, and the exact
 * instruction count of each (a status read between two of its slices), from which {@link
 * InstructionRates} gives instructions per second.
 */
final class VmSampler {
  private final ActorSystem<?> system;
  private final ActorRef<HostAgent.Command> hostAgent;
  private final LocalVms local;
  private final NodeMetrics metrics;
  private final Duration interval;
  private final InstructionRates rates = new InstructionRates();

  VmSampler(
      ActorSystem<?> system,
      ActorRef<HostAgent.Command> hostAgent,
      LocalVms local,
      NodeMetrics metrics,
      Duration interval) {
    this.system = system;
    this.hostAgent = hostAgent;
    this.local = local;
    this.metrics = metrics;
    this.interval = interval;
  }

  void start() {
    system
        .scheduler()
        .scheduleAtFixedRate(interval, interval, this::sample, system.executionContext());
  }

  private void sample() {
    AskPattern.<HostAgent.Command, HostAgent.VmList>ask(
            hostAgent, HostAgent.ListVms::new, interval, system.scheduler())
        .thenCompose(
            list -> {
              Map<String, Long> counts = new ConcurrentHashMap<>();
              List<CompletableFuture<Void>> reads =
                  list.vms().stream()
                      .map(
                          vm ->
                              local
                                  .status(vm.vmId())
                                  .thenAccept(
                                      r -> {
                                        if (r instanceof VmActor.Status s) {
                                          counts.put(vm.vmId(), s.instructions());
                                        }
                                      })
                                  .exceptionally(e -> null)
                                  .toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenRun(
                      () ->
                          metrics.vmsSampled(
                              list.vms().size(), rates.update(counts, System.nanoTime())));
            });
  }
}
