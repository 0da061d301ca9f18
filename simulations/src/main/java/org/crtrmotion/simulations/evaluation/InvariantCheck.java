package org.crtrmotion.simulations.evaluation;

import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;

/**
 * The invariants one run checked, from the report and from the console seen on every node.
 *
 * @param digestCheck the report's comparison of the target's state digest with the source's at the
 *     freeze
 * @param reportContinuous the report's {@code firstTargetLine == lastSourceLine + 1} (committed)
 * @param consoleLines console lines of the VM seen across both nodes
 * @param consoleGaps line numbers below the highest seen that no node printed
 * @param consoleDuplicates line numbers printed more than once (by either node)
 */
public record InvariantCheck(
    DigestCheck digestCheck,
    boolean reportContinuous,
    long consoleLines,
    long consoleGaps,
    long consoleDuplicates) {

  public static final InvariantCheck NOT_CHECKED =
      new InvariantCheck(DigestCheck.NOT_REACHED, false, 0, 0, 0);

  /** Whether the console, seen from outside, is one sequence without gap or duplicate. */
  public boolean consoleContinuous() {
    return consoleLines > 0 && consoleGaps == 0 && consoleDuplicates == 0;
  }

  /**
   * Whether every invariant the run's outcome calls for held: a committed migration with equal
   * digests and one continuous console; an aborted one still with one continuous console (the
   * source ran on).
   */
  public boolean hold(Outcome outcome) {
    if (outcome == Outcome.COMMITTED) {
      return digestCheck == DigestCheck.MATCH && reportContinuous && consoleContinuous();
    }
    return consoleContinuous();
  }

  static InvariantCheck of(MigrationReport report, ConsoleLog.Sequence seen) {
    return new InvariantCheck(
        report.digestCheck(),
        report.outputContinuity().continuous(),
        seen.lines(),
        seen.gaps(),
        seen.duplicates());
  }
}
