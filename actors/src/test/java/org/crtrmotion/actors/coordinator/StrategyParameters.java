package org.crtrmotion.actors.coordinator;

import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.Strategy;

/**
 * Each strategy's test parameters, as its own two-node test uses them, for strategy-parameterized
 * tests.
 */
final class StrategyParameters {
  private StrategyParameters() {}

  static MigrationParameters of(Strategy strategy) {
    return switch (strategy) {
      case CRTR -> CrtrMigrationTest.PARAMETERS;
      case PRECOPY -> PrecopyMigrationTest.PARAMETERS;
    };
  }
}
