package org.crtrmotion.simulations.evaluation;

import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;

/**
 * Feeds the convergence model with the rates one run measured (the medians over its rounds) and
 * returns its prediction for that run.
 *
 * <ul>
 *   <li>CR/TR: C the checkpoint's bytes, g the trace rate, p the target's replay rate over the
 *       source's instruction rate during the migration.
 *   <li>Pre-copy: C the first round's bytes, g the dirty rate, p infinite (nothing is replayed),
 *       the backlog bounded by the largest dirty backlog a round reported (the working set).
 * </ul>
 */
final class RunModel {
  private RunModel() {}

  static Optional<ModelEstimate> estimate(
      MigrationReport report,
      GuestRates rates,
      MigrationParameters parameters,
      long linkCapBytesPerSecond,
      long handoverMillis) {
    List<RoundReport> rounds = report.rounds();
    double link = median(rounds, RoundReport::linkBytesPerSecond);
    if (!(link > 0)) {
      link = linkCapBytesPerSecond;
    }
    if (!(link > 0)) {
      return Optional.empty();
    }
    ConvergenceModel.Inputs inputs;
    if (report.strategy() == Strategy.CRTR) {
      double produced =
          rounds.isEmpty()
              ? rates.traceBytesPerSecond()
              : median(rounds, RoundReport::producedBytesPerSecond);
      double replay = median(rounds, RoundReport::replayInstructionsPerSecond);
      double source =
          rates.migrating().perWallSecond() > 0
              ? rates.migrating().perWallSecond()
              : rates.live().perWallSecond();
      if (!(produced >= 0) || !(replay > 0) || !(source > 0)) {
        return Optional.empty();
      }
      inputs =
          new ConvergenceModel.Inputs(
              report.bytesByKind().checkpoint(),
              link,
              produced,
              replay / source,
              0,
              parameters.downtimeLimit().toMillis(),
              handoverMillis,
              parameters.maxRounds());
    } else {
      long first = rounds.isEmpty() ? report.bytesByKind().pages() : rounds.get(0).bytesSent();
      double produced = median(rounds, RoundReport::producedBytesPerSecond);
      long workingSet = rounds.stream().mapToLong(RoundReport::backlogBytes).max().orElse(0);
      inputs =
          new ConvergenceModel.Inputs(
              first,
              link,
              produced >= 0 ? produced : 0,
              Double.POSITIVE_INFINITY,
              workingSet,
              parameters.downtimeLimit().toMillis(),
              handoverMillis,
              parameters.maxRounds());
    }
    ConvergenceModel.Prediction p = ConvergenceModel.predict(inputs);
    return Optional.of(
        new ModelEstimate(
            inputs,
            p.downtimeMillis(),
            p.totalTimeMillis() + report.setupTimeMillis(),
            p.bytes(),
            p.rounds(),
            p.converges()));
  }

  /** The median of {@code field} over the rounds with a positive value; NaN when none has one. */
  static double median(List<RoundReport> rounds, ToLongFunction<RoundReport> field) {
    return Stats.median(
        rounds.stream().mapToLong(field).filter(v -> v > 0).mapToDouble(v -> v).toArray());
  }
}
