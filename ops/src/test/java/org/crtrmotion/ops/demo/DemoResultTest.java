package org.crtrmotion.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.Strategy;
import org.junit.jupiter.api.Test;

/** What the demo's exit code 0 requires of each migration. */
class DemoResultTest {

  @Test
  void aCommittedMigrationWithEqualDigestsAndOneConsoleSequenceSucceeds() {
    DemoResult r = ReportTableTest.committed(Strategy.CRTR, new BytesByKind(1, 1, 0, 1));
    assertTrue(r.succeeded());
    assertEquals("", r.failure());
  }

  @Test
  void anAbortedMigrationFailsWithItsReason() {
    DemoResult r = ReportTableTest.aborted();
    assertFalse(r.succeeded());
    assertEquals("aborted: " + ReportTableTest.REASON, r.failure());
  }

  @Test
  void aGapSeenOnTheConsoleFailsACommittedMigration() {
    DemoResult ok = ReportTableTest.committed(Strategy.PRECOPY, new BytesByKind(0, 0, 1, 1));
    DemoResult gap =
        new DemoResult(ok.workload(), ok.report(), new ConsolePrinter.Seen(49, 0, 1, 50));
    assertFalse(gap.succeeded());
    assertFalse(gap.outputContinuous());
    assertEquals(
        "the console seen across the nodes has 1 gap(s) and 0 duplicate line(s)", gap.failure());
  }
}
