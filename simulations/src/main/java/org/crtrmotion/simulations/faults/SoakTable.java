package org.crtrmotion.simulations.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crtrmotion.actors.migration.Outcome;

/** The totals over many runs, printed as the final table. */
final class SoakTable {
  private int runs;
  private int migrations;
  private int migrationsSkipped;
  private int noReport;
  private int commits;
  private int faultsSkipped;
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
  private final Map<String, Integer> aborts = new TreeMap<>();
  private final Map<Invariant, Integer> violations = new EnumMap<>(Invariant.class);
  private final List<Long> failedSeeds = new ArrayList<>();
  private final List<Long> errorSeeds = new ArrayList<>();
  private long longestMillis;
  private String longestWhere = "-";
  private long wallMillis;

  void add(RunResult r) {
    runs++;
    wallMillis += r.wallMillis();
    r.injected().forEach((k, v) -> faults.merge(k, v, Integer::sum));
    faultsSkipped += r.skipped();
    if (r.error() != null) {
      errorSeeds.add(r.schedule().seed());
    } else if (!r.passed()) {
      failedSeeds.add(r.schedule().seed());
    }
    r.violations().forEach(v -> violations.merge(v.invariant(), 1, Integer::sum));
    if (r.observations() == null) {
      return;
    }
    for (Observations.MigrationSeen m : r.observations().migrations()) {
      if (m.migrationId() == null && m.target() == null) {
        migrationsSkipped++;
        continue;
      }
      migrations++;
      if (m.outcome() == null) {
        noReport++;
        continue;
      }
      if (m.outcome() == Outcome.COMMITTED) {
        commits++;
      } else {
        aborts.merge(AbortReasons.classify(m.reason()), 1, Integer::sum);
      }
      if (m.elapsedMillis() > longestMillis) {
        longestMillis = m.elapsedMillis();
        longestWhere = "seed " + r.schedule().seed() + " m" + m.index() + " " + m.outcome();
      }
    }
  }

  int failures() {
    return failedSeeds.size() + errorSeeds.size();
  }

  void print(PrintStream out) {
    out.println();
    out.printf("%-34s %s%n", "runs", runs + " (" + wallMillis / 1000 + " s)");
    out.printf(
        "%-34s %d (+%d skipped: the VM's node was down)%n",
        "migrations", migrations, migrationsSkipped);
    for (FaultKind k : FaultKind.values()) {
      out.printf("%-34s %d%n", "faults injected: " + k.label(), faults.getOrDefault(k, 0));
    }
    out.printf("%-34s %d%n", "faults whose moment never came", faultsSkipped);
    out.printf("%-34s %d%n", "commits", commits);
    aborts.forEach((reason, n) -> out.printf("%-34s %d%n", "aborts: " + reason, n));
    out.printf("%-34s %d%n", "no report (source node down)", noReport);
    for (Invariant i : Invariant.values()) {
      out.printf(
          "%-34s %d%n",
          "violations: " + i.title() + " (" + i.exitCode() + ")", violations.getOrDefault(i, 0));
    }
    out.printf("%-34s %d ms (%s)%n", "longest migration", longestMillis, longestWhere);
    out.printf("%-34s %s%n", "failed seeds", failedSeeds.isEmpty() ? "none" : failedSeeds);
    if (!errorSeeds.isEmpty()) {
      out.printf("%-34s %s%n", "seeds that could not run", errorSeeds);
    }
  }
}
