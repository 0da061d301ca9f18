package org.crtrmotion.simulations.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation measured, in the order it ran.
 *
 * @param baselinesUnavailable external baselines found but not runnable here, with the reason
 * @param machine what the runs ran on (processors, load average, JVM), for the report's header
 */
public record EvaluationResult(
    EvaluationPlan plan,
    List<RunResult> runs,
    List<BaselineRun> baselineRuns,
    Map<String, String> baselinesUnavailable,
    String machine,
    Instant started,
    Instant finished) {

  public EvaluationResult {
    runs = List.copyOf(runs);
    baselineRuns = List.copyOf(baselineRuns);
    baselinesUnavailable = Map.copyOf(baselinesUnavailable);
  }

  public List<CellSummary> cells() {
    return CellSummary.of(runs);
  }

  List<Comparison> comparisons() {
    return Comparison.of(cells());
  }

  /**
   * Whether every run got a report and its invariants held (an abort is allowed, a lost VM not).
   */
  public boolean allInvariantsHold() {
    return runs.stream().allMatch(RunResult::invariantsHold);
  }
}
