package org.crtrmotion.simulations.evaluation;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.vm.VmActor;

/**
 * Every console line of every VM, seen from outside the migration on every node it ran on: the
 * checker of output continuity (DESIGN.md's invariant 4), separate from the report's own count.
 */
final class ConsoleLog {
  /** What the console of one VM showed: line numbers printed, by how many prints. */
  record Sequence(long lines, long gaps, long duplicates, long highest) {}

  private final Object lock = new Object();
  private final Map<String, TreeMap<Long, Integer>> printsByVm = new HashMap<>();

  /** Subscribes to every VM of {@code node}, now and later. */
  void watch(EmbeddedCluster.Node node) {
    ActorRef<VmActor.VmEvent> watcher =
        node.system()
            .systemActorOf(
                Behaviors.<VmActor.VmEvent>receiveMessage(
                    event -> {
                      if (event instanceof VmActor.ConsoleLine line) {
                        add(line.vmId(), line.number());
                      }
                      return Behaviors.same();
                    }),
                "evaluation-console-" + node.name(),
                Props.empty());
    node.hostAgent().tell(new HostAgent.WatchConsoles(watcher));
  }

  void add(String vmId, long number) {
    synchronized (lock) {
      printsByVm.computeIfAbsent(vmId, id -> new TreeMap<>()).merge(number, 1, Integer::sum);
      lock.notifyAll();
    }
  }

  /**
   * Waits until line {@code number} of {@code vmId} was seen; false when {@code patience} ran out.
   */
  boolean awaitLine(String vmId, long number, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (lock) {
      while (!printsByVm.getOrDefault(vmId, new TreeMap<>()).containsKey(number)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** The highest line number of {@code vmId} seen so far, 0 for none. */
  long highest(String vmId) {
    synchronized (lock) {
      TreeMap<Long, Integer> prints = printsByVm.get(vmId);
      return prints == null || prints.isEmpty() ? 0 : prints.lastKey();
    }
  }

  Sequence sequence(String vmId) {
    synchronized (lock) {
      TreeMap<Long, Integer> prints = printsByVm.getOrDefault(vmId, new TreeMap<>());
      long highest = prints.isEmpty() ? 0 : prints.lastKey();
      long duplicates = prints.values().stream().filter(n -> n > 1).count();
      long gaps = highest - prints.size();
      return new Sequence(prints.size(), gaps, duplicates, highest);
    }
  }
}
