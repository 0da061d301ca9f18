package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.actors.migration.Outcome;

/**
 * (5) Every migration ended, committed or aborted with a reason, within its bound. One whose source
 * node went down is excused from reporting: its requester went down with it.
 */
public final class MigrationEndedChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.MIGRATION_ENDED;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    for (Observations.MigrationSeen m : o.migrations()) {
      String name = "m" + m.index() + " (" + m.vmId() + " " + m.source() + "→" + m.target() + ")";
      if (m.outcome() == null) {
        if (!m.sourceLost()) {
          found.add(violation(name + " never reported within " + m.boundMillis() + " ms"));
        }
      } else if (m.elapsedMillis() > m.boundMillis()) {
        found.add(
            violation(
                name
                    + " ended "
                    + m.outcome()
                    + " after "
                    + m.elapsedMillis()
                    + " ms, past its bound of "
                    + m.boundMillis()
                    + " ms"));
      } else if (m.outcome() == Outcome.ABORTED && (m.reason() == null || m.reason().isBlank())) {
        found.add(violation(name + " aborted without a reason"));
      }
    }
    return found;
  }

  private Violation violation(String detail) {
    return new Violation(invariant(), detail);
  }
}
