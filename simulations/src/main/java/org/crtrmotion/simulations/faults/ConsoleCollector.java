package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.vm.VmActor;

/**
 * Every console line of every VM on every node, in the order they arrive here: one watcher per node
 * (the host agent's {@link HostAgent.WatchConsoles}, which covers a migration's copy from its
 * spawn) hands each line over at once.
 */
final class ConsoleCollector {
  private final List<Observations.Line> lines = new ArrayList<>();
  private final Map<String, Long> highest = new HashMap<>();

  void watch(EmbeddedCluster.Node node) {
    ActorRef<VmActor.VmEvent> watcher =
        node.system()
            .systemActorOf(
                Behaviors.receiveMessage(
                    (VmActor.VmEvent e) -> {
                      if (e instanceof VmActor.ConsoleLine l) {
                        add(new Observations.Line(node.name(), l.vmId(), l.number()));
                      }
                      return Behaviors.same();
                    }),
                "sim-console-watch",
                Props.empty());
    node.hostAgent().tell(new HostAgent.WatchConsoles(watcher));
  }

  synchronized void add(Observations.Line line) {
    lines.add(line);
    highest.merge(line.vmId(), line.number(), Math::max);
    notifyAll();
  }

  synchronized long highest(String vmId) {
    return highest.getOrDefault(vmId, 0L);
  }

  /** Waits until a line of {@code vmId} numbered at least {@code number} came; false if not. */
  synchronized boolean awaitLine(String vmId, long number, long timeoutMillis)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (highest(vmId) < number) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  synchronized List<Observations.Line> lines() {
    return List.copyOf(lines);
  }
}
