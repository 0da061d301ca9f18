package org.crtrmotion.ops.demo;

import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;

/**
 * One migration of the demo: the coordinator's report and what the demo itself saw of the guest's
 * console across both nodes.
 */
record DemoResult(Workload workload, MigrationReport report, ConsolePrinter.Seen console) {

  /**
   * The report's continuity (the target's first line follows the source's last) and the console's.
   */
  boolean outputContinuous() {
    return report.outputContinuity().continuous() && console.continuous();
  }

  /** Committed, equal digests, one continuous console: what the demo's exit code 0 means. */
  boolean succeeded() {
    return report.outcome() == Outcome.COMMITTED && report.digestMatch() && outputContinuous();
  }

  /** Why it did not succeed; empty when it did. */
  String failure() {
    if (report.outcome() != Outcome.COMMITTED) {
      return "aborted: " + report.reason();
    }
    if (!report.digestMatch()) {
      return "digests " + report.digestCheck();
    }
    if (!report.outputContinuity().continuous()) {
      return "the target's first line "
          + report.outputContinuity().firstTargetLine()
          + " does not follow the source's last line "
          + report.outputContinuity().lastSourceLine();
    }
    if (!console.continuous()) {
      return "the console seen across the nodes has "
          + console.gaps()
          + " gap(s) and "
          + console.duplicates()
          + " duplicate line(s)";
    }
    return "";
  }
}
