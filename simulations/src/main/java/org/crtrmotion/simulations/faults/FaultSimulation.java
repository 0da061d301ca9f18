package org.crtrmotion.simulations.faults;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.crtrmotion.actors.migration.Outcome;

/**
 * The fault simulator's entry point: runs seeds one after the other, prints each run's summary (and
 * for a failed one its schedule, its violations and the command that reproduces it), then the table
 * over all runs. The exit code is the first failure class met (see {@link Invariant}), 0 when every
 * run passed.
 */
public final class FaultSimulation {
  /** Where the nodes run. */
  public enum Mode {
    /** Every node an actor system in this JVM. */
    JVM,
    /** Every node a {@code ./crtr node} process (not available yet). */
    PROCESS;

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final SimulationSize size;
  private final Mode mode;
  private final PrintStream out;
  private boolean printSchedules;

  public FaultSimulation(SimulationSize size, Mode mode, PrintStream out) {
    if (mode != Mode.JVM) {
      throw new IllegalArgumentException(
          "--mode " + mode.cliName() + " is not available yet: use --mode jvm");
    }
    this.size = size;
    this.mode = mode;
    this.out = out;
  }

  /** Prints every run's schedule before it runs, not only a failed run's. */
  public FaultSimulation printingSchedules() {
    printSchedules = true;
    return this;
  }

  /** Runs every seed, prints the table, returns the exit code. */
  public int run(List<Long> seeds) {
    SoakTable table = new SoakTable();
    int exit = 0;
    for (long seed : seeds) {
      if (printSchedules) {
        out.print(ScheduleGenerator.generate(seed, size).describe());
      }
      RunResult r = runOne(seed);
      table.add(r);
      printRun(r);
      if (exit == 0 || (r.exitCode() != 0 && r.exitCode() < exit)) {
        exit = r.exitCode();
      }
    }
    table.print(out);
    return exit;
  }

  /** One seed: its schedule drawn and run. */
  public RunResult runOne(long seed) {
    return new JvmRunner().run(ScheduleGenerator.generate(seed, size));
  }

  /** The command that runs {@code seed} again as this simulation ran it. */
  public String reproduce(long seed) {
    return String.format(
        "./crtr sim faults --seed %d --nodes %d --vms %d --migrations %d --mode %s",
        seed, size.nodes(), size.vms(), size.migrations(), mode.cliName());
  }

  private void printRun(RunResult r) {
    long seed = r.schedule().seed();
    if (r.error() != null) {
      out.printf("seed %d: COULD NOT RUN: %s%n", seed, r.error());
      out.printf("  reproduce: %s%n", reproduce(seed));
      return;
    }
    out.printf(
        "seed %d: %s in %.1f s: %s; faults %s%n",
        seed,
        r.passed() ? "ok" : "FAILED (exit " + r.exitCode() + ")",
        r.wallMillis() / 1000.0,
        migrations(r),
        r.injected().isEmpty() ? "none" : r.injected());
    out.printf("  (%s)%n", r.timings());
    if (!r.passed()) {
      if (!printSchedules) {
        out.print(r.schedule().describe());
      }
      for (Violation v : r.violations()) {
        out.println("  VIOLATION " + v);
      }
      out.printf("  reproduce: %s%n", reproduce(seed));
    }
  }

  private static String migrations(RunResult r) {
    StringBuilder b = new StringBuilder();
    for (Observations.MigrationSeen m : r.observations().migrations()) {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append('m').append(m.index()).append(' ');
      if (m.target() == null) {
        b.append("skipped");
      } else if (m.outcome() == null) {
        b.append(m.source()).append("→").append(m.target()).append(" no report");
      } else {
        b.append(m.source()).append("→").append(m.target()).append(' ');
        b.append(
            m.outcome() == Outcome.COMMITTED
                ? "committed"
                : "aborted (" + AbortReasons.classify(m.reason()) + ")");
        b.append(' ').append(m.elapsedMillis()).append(" ms");
      }
    }
    return b.isEmpty() ? "no migrations" : b.toString();
  }
}
