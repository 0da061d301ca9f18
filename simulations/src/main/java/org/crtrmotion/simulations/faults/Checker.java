package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges one invariant over what a run observed. Checkers read {@link Observations} only: they
 * share no code with the system under test and ask it nothing.
 */
public interface Checker {
  Invariant invariant();

  List<Violation> check(Observations observations);

  /** Every checker, in the order of their exit codes. */
  static List<Checker> all() {
    return List.of(
        new NoVmLostChecker(),
        new OneLiveCopyChecker(),
        new EqualDigestsChecker(),
        new OutputContinuityChecker(),
        new MigrationEndedChecker(),
        new ResourcesReleasedChecker());
  }

  /** Every checker's violations, in the order of their exit codes. */
  static List<Violation> checkAll(Observations observations) {
    List<Violation> all = new ArrayList<>();
    for (Checker c : all()) {
      all.addAll(c.check(observations));
    }
    return all;
  }
}
