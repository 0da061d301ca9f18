package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.List;

/** (6) Once the cluster is closed no guest thread, trace spill directory or node port is left. */
public final class ResourcesReleasedChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.RESOURCES_RELEASED;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    Observations.Leftovers left = o.leftovers();
    for (String thread : left.guestThreads()) {
      found.add(new Violation(invariant(), "thread " + thread + " still alive"));
    }
    for (String dir : left.spillDirectories()) {
      found.add(new Violation(invariant(), "spill directory " + dir + " still on disk"));
    }
    for (int port : left.boundPorts()) {
      found.add(new Violation(invariant(), "port " + port + " still bound"));
    }
    return found;
  }
}
