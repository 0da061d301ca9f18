package org.crtrmotion.simulations.evaluation;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repetitions of one matrix cell: for every metric its median and spread (min, max) over the
 * runs that measured it.
 */
record CellSummary(
    RunSpec.Cell cell, int runs, int committed, int invariantsHold, Map<Metric, Spread> metrics) {

  /** Median and range of one metric over the repetitions; NaN when none measured it. */
  record Spread(double median, double min, double max, int n) {}

  Spread get(Metric m) {
    return metrics.get(m);
  }

  double median(Metric m) {
    return metrics.get(m).median();
  }

  static CellSummary of(RunSpec.Cell cell, List<RunResult> runs) {
    Map<Metric, Spread> metrics = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      double[] values = runs.stream().mapToDouble(m::of).toArray();
      int n = (int) java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
      metrics.put(m, new Spread(Stats.median(values), Stats.min(values), Stats.max(values), n));
    }
    int committed = (int) runs.stream().filter(RunResult::committed).count();
    int hold = (int) runs.stream().filter(RunResult::invariantsHold).count();
    return new CellSummary(cell, runs.size(), committed, hold, metrics);
  }

  /** The summaries of every cell of {@code runs}, in the order the cells first ran. */
  static List<CellSummary> of(List<RunResult> runs) {
    Map<RunSpec.Cell, List<RunResult>> byCell = new LinkedHashMap<>();
    for (RunResult r : runs) {
      byCell.computeIfAbsent(r.spec().cell(), c -> new java.util.ArrayList<>()).add(r);
    }
    return byCell.entrySet().stream().map(e -> of(e.getKey(), e.getValue())).toList();
  }
}
