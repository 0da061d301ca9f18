package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * (4) Each guest's numbered console output, from every node together, is 1, 2, 3, ... with no
 * number missing and none twice. A gap right after a line written by a node that went down is
 * excused: lines still on their way to that node's collector died with it.
 */
public final class OutputContinuityChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.OUTPUT_CONTINUITY;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    Map<String, TreeMap<Long, String>> byVm = new HashMap<>();
    for (Observations.Line line : o.lines()) {
      TreeMap<Long, String> numbers = byVm.computeIfAbsent(line.vmId(), k -> new TreeMap<>());
      String before = numbers.putIfAbsent(line.number(), line.node());
      if (before != null) {
        found.add(
            violation(
                line.vmId()
                    + ": line "
                    + line.number()
                    + " twice (from "
                    + before
                    + " and "
                    + line.node()
                    + ")"));
      }
    }
    for (Map.Entry<String, TreeMap<Long, String>> vm : byVm.entrySet()) {
      long expected = 1;
      String writer = null;
      for (Map.Entry<Long, String> line : vm.getValue().entrySet()) {
        if (line.getKey() != expected && !(writer != null && o.nodesDown().contains(writer))) {
          found.add(
              violation(
                  String.format(
                      "%s: lines %d to %d missing (next from %s)",
                      vm.getKey(), expected, line.getKey() - 1, line.getValue())));
        }
        expected = line.getKey() + 1;
        writer = line.getValue();
      }
    }
    return found;
  }

  private Violation violation(String detail) {
    return new Violation(invariant(), detail);
  }
}
