package org.crtrmotion.ops.demo;

import java.util.function.Consumer;
import org.crtrmotion.actors.coordinator.MigrationEvent;
import org.crtrmotion.actors.migration.Phase;

/**
 * Turns a migration's progress updates into one line per new phase or round: phase, round, the
 * downtime expected if the source froze now, bytes on the link, the target's lag.
 */
final class ProgressPrinter {
  private final String strategy;
  private final Consumer<String> out;
  private Phase lastPhase;
  private int lastRound = -1;

  ProgressPrinter(String strategy, Consumer<String> out) {
    this.strategy = strategy;
    this.out = out;
  }

  /** Called on an actor's thread, one update at a time. */
  synchronized void accept(MigrationEvent.ProgressUpdate p) {
    if (p.phase() == lastPhase && p.round() == lastRound) {
      return;
    }
    lastPhase = p.phase();
    lastRound = p.round();
    out.accept(line(strategy, p));
  }

  static String line(String strategy, MigrationEvent.ProgressUpdate p) {
    String expected =
        p.expectedDowntimeMillis() == Long.MAX_VALUE
            ? "not yet known"
            : p.expectedDowntimeMillis() + " ms";
    // Lag is CR/TR's (instructions the target's replay is behind); pre-copy's backlog is pages.
    String lag =
        strategy.equals("crtr") ? String.format(", lag %,d instructions", p.lagInstructions()) : "";
    return String.format(
        "%s: %-9s round %2d  expected downtime %s, sent %s%s, backlog %s",
        strategy,
        p.phase(),
        p.round(),
        expected,
        Bytes.human(p.bytesSent()),
        lag,
        Bytes.human(p.backlogBytes()));
  }
}
