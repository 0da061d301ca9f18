package org.crtrmotion.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.OutputContinuity;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;
import org.junit.jupiter.api.Test;

class ReportTableTest {
  static final String REASON =
      "not converging: the expected downtime did not shrink over 3 rounds (1076 ms at round 5,"
          + " downtime-limit 300 ms); this node cannot throttle the source's vCPU";

  static DemoResult committed(Strategy strategy, BytesByKind bytes) {
    MigrationReport report =
        new MigrationReport(
            "a-m1",
            "a-vm-1",
            "a",
            "b",
            strategy,
            Outcome.COMMITTED,
            "",
            1200,
            80,
            210,
            bytes,
            List.of(new RoundReport(1, 1100, bytes.total(), 0, 0, 1 << 27, 7000, 0, 10, 0)),
            0,
            24_576,
            DigestCheck.MATCH,
            new OutputContinuity(46, 47));
    return new DemoResult(Workload.IDLE, report, new ConsolePrinter.Seen(50, 0, 0, 50));
  }

  static DemoResult aborted() {
    MigrationReport report =
        new MigrationReport(
            "a-m2",
            "a-vm-2",
            "a",
            "b",
            Strategy.PRECOPY,
            Outcome.ABORTED,
            REASON,
            900,
            20,
            0,
            BytesByKind.NONE,
            List.of(),
            20,
            0,
            DigestCheck.NOT_REACHED,
            OutputContinuity.UNKNOWN);
    return new DemoResult(Workload.IDLE, report, new ConsolePrinter.Seen(12, 0, 0, 12));
  }

  @Test
  void bothStrategiesStandSideBySideUnderTheirNames() {
    String table =
        ReportTable.of(
            List.of(
                committed(Strategy.CRTR, new BytesByKind(6700, 950, 0, 81)),
                committed(Strategy.PRECOPY, new BytesByKind(0, 0, 7200, 670))));
    List<String> lines = table.lines().toList();
    assertTrue(lines.get(0).matches(" +\\| crtr +\\| precopy"), lines.get(0));
    assertTrue(lines.get(1).matches("-+\\+-+\\+-+"), lines.get(1));
    for (String line : lines.subList(2, lines.size())) {
      assertEquals(3, line.split(" \\| ", -1).length, "a label and two values: " + line);
    }
  }

  @Test
  void everyFigureOfTheReportHasItsRow() {
    String table =
        ReportTable.of(List.of(committed(Strategy.CRTR, new BytesByKind(6700, 950, 0, 81))));
    for (String label :
        List.of(
            "outcome",
            "reason",
            "downtime",
            "expected downtime",
            "total time",
            "setup time",
            "rounds",
            "bytes total",
            "checkpoint",
            "trace",
            "pages",
            "control",
            "max throttle",
            "freeze instruction",
            "digests",
            "output continuous")) {
      assertTrue(table.lines().anyMatch(l -> l.trim().startsWith(label)), label + "\n" + table);
    }
    assertTrue(table.contains("COMMITTED"), table);
    assertTrue(table.contains("MATCH"), table);
    assertTrue(table.contains("210 ms"), table);
    assertTrue(table.contains("yes (a to line 46, b from 47)"), table);
  }

  @Test
  void anAbortedMigrationShowsItsWholeReasonWrappedInItsColumn() {
    String table =
        ReportTable.of(
            List.of(aborted(), committed(Strategy.CRTR, new BytesByKind(6700, 950, 0, 81))));
    assertTrue(table.contains("ABORTED"), table);
    assertTrue(table.contains("NOT_REACHED"), table);
    StringBuilder reason = new StringBuilder();
    boolean inReason = false;
    List<String> lines = table.lines().toList();
    for (String line : lines.subList(2, lines.size())) {
      String[] cells = line.split(" \\| ", -1);
      assertEquals(3, cells.length, line);
      if (cells[0].trim().equals("reason")) {
        inReason = true;
      } else if (!cells[0].isBlank()) {
        inReason = false;
      }
      if (inReason) {
        assertTrue(cells[1].trim().length() <= ReportTable.MAX_CELL_WIDTH, line);
        reason.append(reason.length() == 0 ? "" : " ").append(cells[1].trim());
      }
    }
    assertEquals(REASON, reason.toString());
  }
}
