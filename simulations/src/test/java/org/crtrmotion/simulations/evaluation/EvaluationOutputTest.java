package org.crtrmotion.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny matrix (memory.elf, both strategies, one link, no quota, short windows) run on the
 * embedded cluster and written out; the tests check the outputs' structure and that every run's
 * outcome and invariants were checked. Nothing is asserted on durations.
 */
class EvaluationOutputTest {
  @TempDir static Path dir;
  static EvaluationResult result;

  /** A baseline that answers at once, standing in for QEMU's pre-copy to show the seam. */
  static final class FixedBaseline implements ExternalBaseline {
    @Override
    public String name() {
      return "fixed-baseline";
    }

    @Override
    public String unavailableBecause() {
      return "";
    }

    @Override
    public Optional<Result> migrate(EvalWorkload workload, Link link, Duration downtimeLimit) {
      return Optional.of(new Result(900, 90, 9, 9_000_000, "completed"));
    }
  }

  @BeforeAll
  static void runTinyMatrix() throws Exception {
    EvaluationPlan plan =
        EvaluationPlan.quick(1)
            .withWorkloads(List.of(Workloads.memory(16), Workloads.netkv()))
            .withLinks(List.of(Link.GBIT_1))
            .withQuotas(List.of(false))
            .withWindow(Duration.ofMillis(200))
            .withWarmUp(false);
    result = Evaluation.run(plan, List.of(new FixedBaseline()), line -> {});
    Evaluation.write(result, dir, "test");
  }

  @Test
  void everyRunOfTheMatrixEndsWithAReportWhoseInvariantsHeld() {
    assertEquals(2, result.runs().size(), "memory.elf once per strategy");
    for (RunResult run : result.runs()) {
      assertTrue(run.report().isPresent(), run.spec().id() + ": " + run.failure());
      assertTrue(run.invariantsHold(), run.spec().id() + ": " + run.invariants());
    }
    assertTrue(result.allInvariantsHold());
  }

  @Test
  void runsCsvHasTheDocumentedColumnsAndACheckedRowPerRun() throws IOException {
    List<List<String>> rows = csv(dir.resolve("runs.csv"));
    assertEquals(CsvOutput.RUN_COLUMNS, rows.get(0));
    assertEquals(3, rows.size(), "header and two runs");
    int outcome = CsvOutput.RUN_COLUMNS.indexOf("outcome");
    int checked = CsvOutput.RUN_COLUMNS.indexOf("invariants_checked");
    int hold = CsvOutput.RUN_COLUMNS.indexOf("invariants_hold");
    for (List<String> row : rows.subList(1, rows.size())) {
      assertTrue(List.of("COMMITTED", "ABORTED").contains(row.get(outcome)), row.toString());
      assertEquals("true", row.get(checked));
      assertEquals("true", row.get(hold));
    }
  }

  @Test
  void eachRunHasARoundsCsv() throws IOException {
    for (RunResult run : result.runs()) {
      Path file = dir.resolve("runs").resolve(run.spec().id() + ".csv");
      List<List<String>> rows = csv(file);
      assertEquals(CsvOutput.ROUND_COLUMNS, rows.get(0));
      assertEquals(run.report().orElseThrow().rounds().size() + 1, rows.size());
    }
  }

  @Test
  void summaryCsvHasARowPerCellWithTheMetricsMedians() throws IOException {
    List<List<String>> rows = csv(dir.resolve("summary.csv"));
    assertEquals(CsvOutput.summaryColumns(), rows.get(0));
    assertEquals(3, rows.size(), "header and a cell per strategy");
    assertTrue(rows.get(0).contains("downtime_ms_median"));
  }

  @Test
  void comparisonCsvPairsCrtrWithPrecopyBesideThePapersFigures() throws IOException {
    List<List<String>> rows = csv(dir.resolve("comparison.csv"));
    assertEquals(CsvOutput.COMPARISON_COLUMNS, rows.get(0));
    assertEquals(2, rows.size(), "one workload, link and quota setting");
    assertEquals(
        "72.400",
        rows.get(1).get(CsvOutput.COMPARISON_COLUMNS.indexOf("paper_downtime_reduction_pct")));
  }

  @Test
  void summaryMarkdownHasTheTablesAndNamesTheWorkloadsNotYetRunnable() throws IOException {
    String md = Files.readString(dir.resolve("summary.md"));
    assertTrue(md.contains(MarkdownReport.CELL_TABLE_HEADER), md);
    assertTrue(md.contains("## CR/TR vs pre-copy, beside the paper"), md);
    assertTrue(md.contains("## The model against the measure"), md);
    assertTrue(md.contains("| memory-r16 | 1Gbit/s | no | crtr |"), md);
    assertTrue(md.contains("| memory-r16 | 1Gbit/s | no | precopy |"), md);
    assertTrue(md.contains("- netkv (`netkv.elf`"), md);
  }

  @Test
  void anExternalBaselinesResultsAppearBesideOurs() throws IOException {
    List<List<String>> rows = csv(dir.resolve("baselines.csv"));
    assertEquals(CsvOutput.BASELINE_COLUMNS, rows.get(0));
    assertEquals(
        List.of(
            "fixed-baseline",
            "memory-r16",
            "1Gbit/s",
            "1",
            "completed",
            "90",
            "900",
            "9",
            "9000000",
            ""),
        rows.get(1));
    assertTrue(
        Files.readString(dir.resolve("summary.md")).contains("| fixed-baseline | memory-r16 |"));
  }

  @Test
  void everyChartIsAPngThatDecodes() throws IOException {
    for (String name : Charts.FILES) {
      BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
      assertNotNull(image, name + " does not decode");
      assertTrue(image.getWidth() > 0 && image.getHeight() > 0, name);
    }
  }

  /** Reads a CSV as the harness writes it (RFC 4180: quoted cells, doubled quotes). */
  private static List<List<String>> csv(Path file) throws IOException {
    List<List<String>> rows = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      List<String> row = new java.util.ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ',' && !quoted) {
          row.add(cell.toString());
          cell.setLength(0);
        } else {
          cell.append(c);
        }
      }
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
