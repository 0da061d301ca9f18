package org.crtrmotion.simulations.faults;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.vm.VmState;

/**
 * What a run saw from outside the system under test, all the checkers judge: plain values, so that
 * a checker can be fed fabricated ones.
 *
 * @param vms every VM the run started
 * @param nodesDown the nodes the run stopped or crashed
 * @param lines every console line from every node, in the order they reached the collector
 * @param migrations each migration asked for, with how it ended
 * @param finalVms the VMs each node still up listed at the end, with their states
 * @param owners where the VM directory says each VM lives at the end (absent: it does not know)
 * @param leftovers resources still held once the cluster was closed
 */
public record Observations(
    List<String> vms,
    Set<String> nodesDown,
    List<Line> lines,
    List<MigrationSeen> migrations,
    List<VmSeen> finalVms,
    Map<String, String> owners,
    Leftovers leftovers) {

  public Observations {
    vms = List.copyOf(vms);
    nodesDown = Set.copyOf(nodesDown);
    lines = List.copyOf(lines);
    migrations = List.copyOf(migrations);
    finalVms = List.copyOf(finalVms);
    owners = Map.copyOf(owners);
  }

  /** A console line as node {@code node}'s watcher received it. */
  public record Line(String node, String vmId, long number) {}

  /**
   * One migration.
   *
   * @param outcome null when no report came
   * @param elapsedMillis from the request to the report (or to giving up waiting)
   * @param boundMillis how long it may take: its deadline and the hand-over's grace
   * @param sourceLost the source node went down while it ran (its requester with it)
   */
  public record MigrationSeen(
      int index,
      String migrationId,
      String vmId,
      String source,
      String target,
      Outcome outcome,
      String reason,
      DigestCheck digestCheck,
      long elapsedMillis,
      long boundMillis,
      boolean sourceLost) {}

  /** A VM a node listed at the end, with the state its actor gave. */
  public record VmSeen(String node, String vmId, VmState state) {}

  /**
   * @param guestThreads guest and pre-copy threads still alive
   * @param spillDirectories trace spill directories of this run's migrations still on disk
   * @param boundPorts the nodes' remoting ports still taken
   */
  public record Leftovers(
      List<String> guestThreads, List<String> spillDirectories, List<Integer> boundPorts) {
    public static final Leftovers NONE = new Leftovers(List.of(), List.of(), List.of());

    public Leftovers {
      guestThreads = List.copyOf(guestThreads);
      spillDirectories = List.copyOf(spillDirectories);
      boundPorts = List.copyOf(boundPorts);
    }
  }
}
