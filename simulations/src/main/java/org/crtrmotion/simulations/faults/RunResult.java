package org.crtrmotion.simulations.faults;

import java.util.List;
import java.util.Map;

/**
 * One run: its schedule, what it observed, the checkers' verdict.
 *
 * @param injected faults carried out, by kind (a site counts once per node it was armed on)
 * @param skipped faults whose moment never came or whose node was n0 or already down
 * @param error why the run itself could not be carried out (null when it was)
 * @param timings when each step of the run was done, from its start
 */
public record RunResult(
    Schedule schedule,
    Observations observations,
    List<Violation> violations,
    Map<FaultKind, Integer> injected,
    int skipped,
    long wallMillis,
    String error,
    String timings) {

  public RunResult {
    violations = List.copyOf(violations);
    injected = Map.copyOf(injected);
  }

  public boolean passed() {
    return error == null && violations.isEmpty();
  }

  /** 0, the run error's code, or the code of the first invariant broken (lowest code first). */
  public int exitCode() {
    if (error != null) {
      return Invariant.RUN_ERROR_EXIT_CODE;
    }
    return violations.stream().mapToInt(v -> v.invariant().exitCode()).min().orElse(0);
  }

  /**
   * What must be the same when the seed is run again: the schedule and the verdict. Commits and
   * aborts are not in it: on a real runtime they depend on timing (a cancel racing a commit).
   */
  public OutcomeSummary summary() {
    return new OutcomeSummary(
        schedule.seed(),
        schedule.describe(),
        exitCode(),
        violations.stream().map(Violation::invariant).distinct().sorted().toList());
  }

  /** The deterministic part of a run's outcome. */
  public record OutcomeSummary(
      long seed, String schedule, int exitCode, List<Invariant> brokenInvariants) {}
}
