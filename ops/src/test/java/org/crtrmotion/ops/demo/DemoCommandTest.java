package org.crtrmotion.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code crtr demo} run in this JVM: a real two-node cluster and a real live migration. */
class DemoCommandTest {
  static final List<String> REQUIRED =
      List.of(
          "strategy",
          "outcome",
          "reason",
          "downtimeMillis",
          "totalTimeMillis",
          "setupTimeMillis",
          "bytesTotal",
          "bytesByKind",
          "rounds",
          "roundDetails",
          "digestMatch",
          "freezeInstruction",
          "maxThrottlePercent",
          "networkHold",
          "outputContinuous",
          "workload",
          "source",
          "target");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int crtr(String... args) {
    CommandLine cli = new CommandLine(new CrtrCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Map<?, ?> onlyReport(String strategy) {
    Object parsed = MiniJson.parse(out.toString().trim());
    List<?> reports = (List<?>) ((Map<?, ?>) parsed).get("reports");
    assertEquals(1, reports.size(), out.toString());
    Map<?, ?> report = (Map<?, ?>) reports.get(0);
    for (String field : REQUIRED) {
      assertTrue(report.containsKey(field), "no " + field + " in " + report);
    }
    assertEquals(strategy, report.get("strategy"));
    return report;
  }

  private void assertCommittedIdleMigration(Map<?, ?> report) {
    assertEquals("COMMITTED", report.get("outcome"), String.valueOf(report.get("reason")));
    assertEquals(Boolean.TRUE, report.get("digestMatch"));
    assertEquals(Boolean.TRUE, report.get("outputContinuous"));
    assertEquals("idle", report.get("workload"));
    assertEquals("a", report.get("source"));
    assertEquals("b", report.get("target"));
    assertEquals(
        ((List<?>) report.get("roundDetails")).size(), ((Long) report.get("rounds")).intValue());
    Map<?, ?> bytes = (Map<?, ?>) report.get("bytesByKind");
    long sum = 0;
    for (String kind : List.of("checkpoint", "trace", "pages", "control")) {
      sum += (Long) bytes.get(kind);
    }
    assertEquals(report.get("bytesTotal"), sum);
  }

  @Test
  void crtrDemoOnAnIdleGuestPrintsOneJsonReportThatCommitted() {
    int exit =
        crtr("demo", "--workload", "idle", "--strategy", "crtr", "--json", "--run-before", "0");
    assertEquals(0, exit, err.toString());
    Map<?, ?> report = onlyReport("crtr");
    assertCommittedIdleMigration(report);
    assertTrue(
        (Long) ((Map<?, ?>) report.get("bytesByKind")).get("checkpoint") > 0, report.toString());
    assertTrue(err.toString().contains("a | "), "the console went to stderr: " + err);
    assertTrue(err.toString().contains("b | "), "the target's lines were printed: " + err);
  }

  @Test
  void precopyDemoOnAnIdleGuestPrintsOneJsonReportThatCommitted() {
    int exit =
        crtr("demo", "--workload", "idle", "--strategy", "precopy", "--json", "--run-before", "0");
    assertEquals(0, exit, err.toString());
    Map<?, ?> report = onlyReport("precopy");
    assertCommittedIdleMigration(report);
    assertTrue((Long) ((Map<?, ?>) report.get("bytesByKind")).get("pages") > 0, report.toString());
  }

  @Test
  void anUnknownWorkloadIsRefusedNamingIt() {
    assertEquals(2, crtr("demo", "--workload", "bogus"));
    assertTrue(err.toString().contains("unknown workload 'bogus'"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void anUnknownStrategyIsRefusedNamingIt() {
    assertEquals(2, crtr("demo", "--strategy", "xen"));
    assertTrue(err.toString().contains("unknown migration strategy 'xen'"), err.toString());
  }

  @Test
  void aDowntimeLimitOfZeroIsRefusedNamingTheOption() {
    assertEquals(2, crtr("demo", "--downtime-limit", "0"));
    assertTrue(
        err.toString().contains("--downtime-limit must be a positive number of milliseconds"),
        err.toString());
  }
}
