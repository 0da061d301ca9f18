package org.crtrmotion.simulations.evaluation;

import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;

/**
 * Feeds the convergence model with the rates one run measured and returns its prediction for that
 * run.
 *
 * <ul>
 *   <li>B, both strategies: what the link carried, every round's bytes over the time from the end
 *       of setup to the last round (at most {@code max-bandwidth}). The rounds' own {@code
 *       linkBytesPerSecond} is not used: CR/TR reports the cap there, and pre-copy the rate of its
 *       latest page round, which for an idle guest is a tiny one.
 *   <li>CR/TR: C the checkpoint's bytes; g the trace rate of the recording window before the
 *       migration (the rounds' {@code producedBytesPerSecond} is the stream's send rate, checkpoint
 *       included); p the target's replay rate (median over the rounds) over the source's wall rate
 *       during the migration.
 *   <li>Pre-copy: C the first round's bytes, g the rounds' dirty rate (median), p infinite (nothing
 *       is replayed), the backlog bounded by the largest dirty backlog a round reported.
 *   <li>Both: rounds last at least the coordinator's round interval, handover its setting.
 * </ul>
 */
final class RunModel {
  private RunModel() {}

  static Optional<ModelEstimate> estimate(
      MigrationReport report,
      GuestRates rates,
      MigrationParameters parameters,
      long linkCapBytesPerSecond,
      CoordinatorSettings settings) {
    List<RoundReport> rounds = report.rounds();
    double link = carried(report, linkCapBytesPerSecond);
    if (!(link > 0)) {
      return Optional.empty();
    }
    double tick = settings.roundInterval().toNanos() / 1e9;
    ConvergenceModel.Inputs inputs;
    if (report.strategy() == Strategy.CRTR) {
      double produced = rates.traceBytesPerSecond();
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
              tick,
              parameters.downtimeLimit().toMillis(),
              settings.handoverMillis(),
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
              tick,
              parameters.downtimeLimit().toMillis(),
              settings.handoverMillis(),
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

  /**
   * Bytes per second the link carried during the rounds, at most the cap; the cap when the rounds
   * say nothing.
   */
  static double carried(MigrationReport report, long capBytesPerSecond) {
    List<RoundReport> rounds = report.rounds();
    long bytes = rounds.stream().mapToLong(RoundReport::bytesSent).sum();
    long millis =
        rounds.isEmpty()
            ? 0
            : rounds.get(rounds.size() - 1).endedAtMillis() - report.setupTimeMillis();
    if (bytes <= 0 || millis <= 0) {
      return capBytesPerSecond;
    }
    double rate = bytes * 1000.0 / millis;
    return capBytesPerSecond > 0 ? Math.min(rate, capBytesPerSecond) : rate;
  }

  /** The median of {@code field} over the rounds with a positive value; NaN when none has one. */
  static double median(List<RoundReport> rounds, ToLongFunction<RoundReport> field) {
    return Stats.median(
        rounds.stream().mapToLong(field).filter(v -> v > 0).mapToDouble(v -> v).toArray());
  }
}
