package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.Outcome;

/** (3) Every committed migration compared equal digests at the freeze point. */
public final class EqualDigestsChecker implements Checker {
  @Override
  public Invariant invariant() {
    return Invariant.EQUAL_DIGESTS;
  }

  @Override
  public List<Violation> check(Observations o) {
    List<Violation> found = new ArrayList<>();
    for (Observations.MigrationSeen m : o.migrations()) {
      if (m.outcome() == Outcome.COMMITTED && m.digestCheck() != DigestCheck.MATCH) {
        found.add(
            new Violation(
                invariant(),
                "m" + m.index() + " (" + m.vmId() + ") committed with digests " + m.digestCheck()));
      }
    }
    return found;
  }
}
