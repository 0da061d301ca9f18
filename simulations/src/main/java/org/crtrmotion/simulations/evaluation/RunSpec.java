package org.crtrmotion.simulations.evaluation;

import java.util.Objects;
import org.crtrmotion.actors.migration.Strategy;

/**
 * One cell of the matrix, once: a workload migrated by a strategy over a link, with or without a
 * vCPU quota on the source.
 *
 * @param repetition 1 for the first run of the cell
 */
public record RunSpec(
    EvalWorkload workload, Strategy strategy, Link link, boolean quota, int repetition) {
  public RunSpec {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(link, "link");
    if (repetition < 1) {
      throw new IllegalArgumentException("repetitions count from 1, not " + repetition);
    }
  }

  /** The cell this run belongs to (every repetition shares it). */
  public Cell cell() {
    return new Cell(workload.name(), strategy, link, quota);
  }

  /** A file-name-safe id: {@code memory-r16_crtr_100Mbit_quota_2}. */
  public String id() {
    return cell().id() + "_" + repetition;
  }

  /** A matrix cell: what the repetitions of a run have in common. */
  public record Cell(String workload, Strategy strategy, Link link, boolean quota) {
    public String id() {
      return workload
          + "_"
          + strategy.cliName()
          + "_"
          + link.label().replace("/s", "")
          + "_"
          + (quota ? "quota" : "noquota");
    }

    /** The cell of the other strategy, same workload, link and quota. */
    public Cell with(Strategy other) {
      return new Cell(workload, other, link, quota);
    }
  }
}
