package org.crtrmotion.simulations.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.crtrmotion.actors.migration.Strategy;

/**
 * The paper's comparison for one workload, link and quota setting: CR/TR's reductions against
 * pre-copy (medians of committed runs), the recording overhead, and the model against the measure.
 *
 * @param crtr the CR/TR cell
 * @param precopy the pre-copy cell
 */
record Comparison(CellSummary crtr, CellSummary precopy) {

  RunSpec.Cell key() {
    return crtr.cell();
  }

  double downtimeReductionPercent() {
    return reduction(Metric.DOWNTIME_MS);
  }

  double totalTimeReductionPercent() {
    return reduction(Metric.TOTAL_MS);
  }

  double dataReductionPercent() {
    return reduction(Metric.BYTES_TOTAL);
  }

  /** Recording's cost to the guest's instruction rate, the median over both cells' runs. */
  double recordingOverheadPercent() {
    return Stats.median(
        new double[] {
          crtr.median(Metric.RECORDING_OVERHEAD_PCT), precopy.median(Metric.RECORDING_OVERHEAD_PCT)
        });
  }

  private double reduction(Metric m) {
    return Stats.reductionPercent(crtr.median(m), precopy.median(m));
  }

  /** Pairs every CR/TR cell with the pre-copy cell of the same workload, link and quota. */
  static List<Comparison> of(List<CellSummary> cells) {
    Map<RunSpec.Cell, CellSummary> byCell =
        cells.stream().collect(Collectors.toMap(CellSummary::cell, Function.identity()));
    List<Comparison> out = new ArrayList<>();
    for (CellSummary c : cells) {
      if (c.cell().strategy() != Strategy.CRTR) {
        continue;
      }
      CellSummary other = byCell.get(c.cell().with(Strategy.PRECOPY));
      if (other != null) {
        out.add(new Comparison(c, other));
      }
    }
    return out;
  }
}
