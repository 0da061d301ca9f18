package org.crtrmotion.simulations.evaluation;

import java.util.Objects;
import java.util.Optional;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;

/**
 * What one run measured.
 *
 * @param report the migration's report; absent when the run failed before it ended
 * @param failure what went wrong outside the migration (boot, no first line, no report); empty
 * @param prediction the convergence model's prediction from this run's measured rates; absent when
 *     a rate it needs was not measured
 */
public record RunResult(
    RunSpec spec,
    Optional<MigrationReport> report,
    String failure,
    GuestRates rates,
    InvariantCheck invariants,
    Optional<ModelEstimate> prediction) {

  public RunResult {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(report, "report");
    failure = failure == null ? "" : failure;
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(invariants, "invariants");
    Objects.requireNonNull(prediction, "prediction");
    if (report.isEmpty() && failure.isEmpty()) {
      throw new IllegalArgumentException(spec.id() + ": a run without a report must say why");
    }
  }

  static RunResult failed(RunSpec spec, String failure, GuestRates rates) {
    return new RunResult(
        spec, Optional.empty(), failure, rates, InvariantCheck.NOT_CHECKED, Optional.empty());
  }

  /** COMMITTED, ABORTED, or FAILED when the run never got a report. */
  public String outcome() {
    return report.map(r -> r.outcome().name()).orElse("FAILED");
  }

  public boolean committed() {
    return report.map(r -> r.outcome() == Outcome.COMMITTED).orElse(false);
  }

  /** Whether the invariants its outcome calls for were checked and held. */
  public boolean invariantsHold() {
    return report.map(r -> invariants.hold(r.outcome())).orElse(false);
  }

  /** The reason of an abort or the run's failure; empty when committed. */
  public String reason() {
    if (!failure.isEmpty()) {
      return failure;
    }
    return report.map(MigrationReport::reason).orElse("");
  }
}
