package org.crtrmotion.simulations.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.RoundReport;

/**
 * The CSV files of an evaluation: {@code runs.csv} (a row per run), {@code runs/<run>.csv} (a row
 * per round of that run), {@code summary.csv} (a row per cell: median, min and max of every
 * metric), {@code comparison.csv} (CR/TR vs pre-copy per workload, link and quota, beside the
 * paper's figures and the model) and {@code baselines.csv} (external baselines' runs).
 */
final class CsvOutput {
  private CsvOutput() {}

  static final List<String> RUN_COLUMNS =
      List.of(
          "run_id",
          "workload",
          "strategy",
          "link",
          "quota",
          "repetition",
          "outcome",
          "reason",
          "invariants_checked",
          "invariants_hold",
          "digest_check",
          "report_continuous",
          "console_lines",
          "console_gaps",
          "console_duplicates",
          "downtime_ms",
          "total_ms",
          "setup_ms",
          "bytes_total",
          "bytes_checkpoint",
          "bytes_trace",
          "bytes_pages",
          "bytes_control",
          "rounds",
          "max_throttle_pct",
          "expected_downtime_ms",
          "live_ips",
          "recording_ips",
          "migrating_ips",
          "live_ips_cpu",
          "recording_ips_cpu",
          "migrating_ips_cpu",
          "trace_bytes_per_s",
          "recording_overhead_pct",
          "recording_wall_overhead_pct",
          "source_slowdown_pct",
          "source_cpu_cost_pct",
          "client_downtime_ms",
          "model_rho",
          "model_rounds",
          "model_converges",
          "model_downtime_ms",
          "model_total_ms",
          "model_bytes");

  static final List<String> ROUND_COLUMNS =
      List.of(
          "round",
          "ended_at_ms",
          "bytes_sent",
          "backlog_bytes",
          "lag_instructions",
          "link_bytes_per_s",
          "produced_bytes_per_s",
          "replay_ips",
          "expected_downtime_ms",
          "throttle_pct");

  static final List<String> COMPARISON_COLUMNS =
      List.of(
          "workload",
          "link",
          "quota",
          "crtr_committed",
          "precopy_committed",
          "downtime_reduction_pct",
          "paper_downtime_reduction_pct",
          "total_time_reduction_pct",
          "paper_total_time_reduction_pct",
          "data_reduction_pct",
          "paper_data_reduction_pct",
          "recording_overhead_pct",
          "paper_recording_overhead_max_pct",
          "crtr_model_downtime_ms",
          "crtr_downtime_ms",
          "crtr_model_downtime_error_pct",
          "crtr_model_total_ms",
          "crtr_total_ms",
          "crtr_model_total_error_pct",
          "crtr_model_bytes",
          "crtr_bytes",
          "crtr_model_bytes_error_pct",
          "precopy_model_downtime_ms",
          "precopy_downtime_ms",
          "precopy_model_downtime_error_pct");

  static final List<String> BASELINE_COLUMNS =
      List.of(
          "baseline",
          "workload",
          "link",
          "repetition",
          "status",
          "downtime_ms",
          "total_ms",
          "setup_ms",
          "bytes_total",
          "failure");

  static void write(EvaluationResult result, Path dir) {
    try {
      Files.createDirectories(dir.resolve("runs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir.resolve("runs"), e);
    }
    Csv runs = new Csv(RUN_COLUMNS);
    for (RunResult r : result.runs()) {
      runs.add(runRow(r));
      roundsOf(r).write(dir.resolve("runs").resolve(r.spec().id() + ".csv"));
    }
    runs.write(dir.resolve("runs.csv"));
    summary(result.cells()).write(dir.resolve("summary.csv"));
    comparison(result.comparisons()).write(dir.resolve("comparison.csv"));
    baselines(result.baselineRuns()).write(dir.resolve("baselines.csv"));
  }

  static List<String> summaryColumns() {
    List<String> header =
        new ArrayList<>(
            List.of(
                "workload", "strategy", "link", "quota", "runs", "committed", "invariants_hold"));
    for (Metric m : Metric.values()) {
      header.add(m.column() + "_median");
      header.add(m.column() + "_min");
      header.add(m.column() + "_max");
    }
    return header;
  }

  private static List<String> runRow(RunResult r) {
    RunSpec s = r.spec();
    List<String> row = new ArrayList<>();
    row.add(s.id());
    row.add(s.workload().name());
    row.add(s.strategy().cliName());
    row.add(s.link().label());
    row.add(Boolean.toString(s.quota()));
    row.add(Integer.toString(s.repetition()));
    row.add(r.outcome());
    row.add(r.reason());
    row.add(Boolean.toString(r.report().isPresent()));
    row.add(Boolean.toString(r.invariantsHold()));
    InvariantCheck inv = r.invariants();
    row.add(inv.digestCheck().name());
    row.add(Boolean.toString(inv.reportContinuous()));
    row.add(Long.toString(inv.consoleLines()));
    row.add(Long.toString(inv.consoleGaps()));
    row.add(Long.toString(inv.consoleDuplicates()));
    MigrationReport rep = r.report().orElse(null);
    row.add(rep == null ? "" : Long.toString(rep.downtimeMillis()));
    row.add(rep == null ? "" : Long.toString(rep.totalTimeMillis()));
    row.add(rep == null ? "" : Long.toString(rep.setupTimeMillis()));
    row.add(rep == null ? "" : Long.toString(rep.bytesTotal()));
    row.add(rep == null ? "" : Long.toString(rep.bytesByKind().checkpoint()));
    row.add(rep == null ? "" : Long.toString(rep.bytesByKind().trace()));
    row.add(rep == null ? "" : Long.toString(rep.bytesByKind().pages()));
    row.add(rep == null ? "" : Long.toString(rep.bytesByKind().control()));
    row.add(rep == null ? "" : Integer.toString(rep.rounds().size()));
    row.add(rep == null ? "" : Integer.toString(rep.maxThrottlePercent()));
    long expected = rep == null ? 0 : rep.expectedDowntimeMillis();
    row.add(expected <= 0 || expected == Long.MAX_VALUE ? "" : Long.toString(expected));
    for (Metric m :
        List.of(
            Metric.LIVE_IPS,
            Metric.RECORDING_IPS,
            Metric.MIGRATING_IPS,
            Metric.LIVE_IPS_CPU,
            Metric.RECORDING_IPS_CPU,
            Metric.MIGRATING_IPS_CPU,
            Metric.TRACE_BYTES_PER_S,
            Metric.RECORDING_OVERHEAD_PCT,
            Metric.RECORDING_WALL_OVERHEAD_PCT,
            Metric.SOURCE_SLOWDOWN_PCT,
            Metric.SOURCE_CPU_COST_PCT)) {
      row.add(Csv.num(m.of(r)));
    }
    row.add(""); // client-observed downtime: the network workloads' load client (not yet runnable)
    ModelEstimate m = r.prediction().orElse(null);
    row.add(m == null ? "" : Csv.num(m.inputs().shrinkFactor()));
    row.add(m == null ? "" : Integer.toString(m.rounds()));
    row.add(m == null ? "" : Boolean.toString(m.converges()));
    row.add(m == null ? "" : Csv.num(m.downtimeMillis()));
    row.add(m == null ? "" : Csv.num(m.totalTimeMillis()));
    row.add(m == null ? "" : Csv.num(m.bytes()));
    return row;
  }

  private static Csv roundsOf(RunResult r) {
    Csv rounds = new Csv(ROUND_COLUMNS);
    for (RoundReport rr : r.report().map(MigrationReport::rounds).orElse(List.of())) {
      long expected = rr.expectedDowntimeMillis();
      rounds.add(
          List.of(
              Integer.toString(rr.round()),
              Long.toString(rr.endedAtMillis()),
              Long.toString(rr.bytesSent()),
              Long.toString(rr.backlogBytes()),
              Long.toString(rr.lagInstructions()),
              Long.toString(rr.linkBytesPerSecond()),
              Long.toString(rr.producedBytesPerSecond()),
              Long.toString(rr.replayInstructionsPerSecond()),
              expected == Long.MAX_VALUE ? "" : Long.toString(expected),
              Integer.toString(rr.throttlePercent())));
    }
    return rounds;
  }

  private static Csv summary(List<CellSummary> cells) {
    Csv csv = new Csv(summaryColumns());
    for (CellSummary c : cells) {
      List<String> row = new ArrayList<>();
      row.add(c.cell().workload());
      row.add(c.cell().strategy().cliName());
      row.add(c.cell().link().label());
      row.add(Boolean.toString(c.cell().quota()));
      row.add(Integer.toString(c.runs()));
      row.add(Integer.toString(c.committed()));
      row.add(Integer.toString(c.invariantsHold()));
      for (Metric m : Metric.values()) {
        CellSummary.Spread s = c.get(m);
        row.add(Csv.num(s.median()));
        row.add(Csv.num(s.min()));
        row.add(Csv.num(s.max()));
      }
      csv.add(row);
    }
    return csv;
  }

  private static Csv comparison(List<Comparison> comparisons) {
    Csv csv = new Csv(COMPARISON_COLUMNS);
    for (Comparison c : comparisons) {
      CellSummary t = c.crtr();
      CellSummary p = c.precopy();
      csv.add(
          List.of(
              c.key().workload(),
              c.key().link().label(),
              Boolean.toString(c.key().quota()),
              t.committed() + "/" + t.runs(),
              p.committed() + "/" + p.runs(),
              Csv.num(c.downtimeReductionPercent()),
              Csv.num(PaperFigures.DOWNTIME_REDUCTION_PERCENT),
              Csv.num(c.totalTimeReductionPercent()),
              Csv.num(PaperFigures.TOTAL_TIME_REDUCTION_PERCENT),
              Csv.num(c.dataReductionPercent()),
              Csv.num(PaperFigures.DATA_REDUCTION_PERCENT),
              Csv.num(c.recordingOverheadPercent()),
              Csv.num(PaperFigures.RECORDING_OVERHEAD_PERCENT),
              Csv.num(t.median(Metric.MODEL_DOWNTIME_MS)),
              Csv.num(t.median(Metric.DOWNTIME_MS)),
              Csv.num(error(t, Metric.MODEL_DOWNTIME_MS, Metric.DOWNTIME_MS)),
              Csv.num(t.median(Metric.MODEL_TOTAL_MS)),
              Csv.num(t.median(Metric.TOTAL_MS)),
              Csv.num(error(t, Metric.MODEL_TOTAL_MS, Metric.TOTAL_MS)),
              Csv.num(t.median(Metric.MODEL_BYTES)),
              Csv.num(t.median(Metric.BYTES_TOTAL)),
              Csv.num(error(t, Metric.MODEL_BYTES, Metric.BYTES_TOTAL)),
              Csv.num(p.median(Metric.MODEL_DOWNTIME_MS)),
              Csv.num(p.median(Metric.DOWNTIME_MS)),
              Csv.num(error(p, Metric.MODEL_DOWNTIME_MS, Metric.DOWNTIME_MS))));
    }
    return csv;
  }

  /** The model's error on a cell's medians, in percent of the measured median. */
  static double error(CellSummary c, Metric predicted, Metric measured) {
    return ModelEstimate.errorPercent(c.median(predicted), c.median(measured));
  }

  private static Csv baselines(List<BaselineRun> runs) {
    Csv csv = new Csv(BASELINE_COLUMNS);
    for (BaselineRun b : runs) {
      ExternalBaseline.Result r = b.result();
      csv.add(
          List.of(
              b.baseline(),
              b.workload(),
              b.link().label(),
              Integer.toString(b.repetition()),
              r == null ? "failed" : r.status(),
              r == null ? "" : Long.toString(r.downtimeMillis()),
              r == null ? "" : Long.toString(r.totalTimeMillis()),
              r == null ? "" : Long.toString(r.setupTimeMillis()),
              r == null ? "" : Long.toString(r.transferredBytes()),
              b.failure() == null ? "" : b.failure()));
    }
    return csv;
  }
}
