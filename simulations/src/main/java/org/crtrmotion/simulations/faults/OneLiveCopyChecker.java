package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * (2) Never two live copies: taken in the order they reached the collector, each VM's lines, from
 * every node together, are numbered strictly upwards. Two copies writing at once repeat or
 * interleave numbers; a stale owner waking up writes a number lower than the last one seen.
 */
public final class OneLiveCopyChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.ONE_LIVE_COPY;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    Map<String, Observations.Line> last = new HashMap<>();
    for (Observations.Line line : o.lines()) {
      Observations.Line before = last.get(line.vmId());
      if (before != null && line.number() <= before.number()) {
        found.add(
            new Violation(
                invariant(),
                String.format(
                    "%s: line %d from %s came after line %d from %s",
                    line.vmId(), line.number(), line.node(), before.number(), before.node())));
      }
      if (before == null || line.number() > before.number()) {
        last.put(line.vmId(), line);
      }
    }
    return found;
  }
}
