package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.actors.vm.VmState;

/**
 * (1) Every VM that existed runs exactly once, on the node the directory names. A VM whose owner
 * went down (the run stopped or crashed it) is excused: it died with its host, and must then run
 * nowhere else. Any other state than RUNNING at the end (paused, still replaying, ended) counts as
 * not running.
 */
public final class NoVmLostChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.NO_VM_LOST;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    for (Observations.VmSeen v : o.finalVms()) {
      if (v.state() != VmState.RUNNING) {
        found.add(violation(v.vmId() + " is " + v.state() + " on " + v.node() + " at the end"));
      }
    }
    for (String vmId : o.vms()) {
      List<String> runningOn =
          o.finalVms().stream()
              .filter(v -> v.vmId().equals(vmId) && v.state() == VmState.RUNNING)
              .map(Observations.VmSeen::node)
              .toList();
      String owner = o.owners().get(vmId);
      if (owner == null) {
        found.add(
            violation("the directory does not know " + vmId + " (runs on " + runningOn + ")"));
      } else if (o.nodesDown().contains(owner)) {
        if (!runningOn.isEmpty()) {
          found.add(
              violation(
                  vmId + " belongs to " + owner + ", which went down, yet runs on " + runningOn));
        }
      } else if (!runningOn.equals(List.of(owner))) {
        found.add(
            violation(
                vmId
                    + " belongs to "
                    + owner
                    + " but runs on "
                    + (runningOn.isEmpty() ? "no node" : runningOn)));
      }
    }
    return found;
  }

  private Violation violation(String detail) {
    return new Violation(invariant(), detail);
  }
}
