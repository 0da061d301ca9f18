package org.crtrmotion.simulations.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.md}: the matrix's medians per cell, the paper's comparison, the model against the
 * measure, recording overhead and slowdown, external baselines, and what could not run.
 */
final class MarkdownReport {
  private MarkdownReport() {}

  static final String CELL_TABLE_HEADER =
      "| workload | link | quota | strategy | committed | invariants hold | downtime ms | total ms"
          + " | setup ms | bytes | rounds | recording overhead % (CPU) | source slowdown % (wall)"
          + " |";

  static String render(EvaluationResult result, String command) {
    StringBuilder md = new StringBuilder();
    EvaluationPlan plan = result.plan();
    md.append("# Evaluation: CR/TR-Motion vs pre-copy\n\n");
    md.append("- command: `").append(command).append("`\n");
    md.append("- started ")
        .append(result.started())
        .append(", finished ")
        .append(result.finished());
    md.append("\n- machine: ").append(result.machine()).append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "- %d run(s) per cell%s; downtime-limit %d ms; deadline %d s; quota %s instr/s;"
                + " rate windows %d ms; guests in host time; two nodes in one JVM (Artery on"
                + " 127.0.0.1)\n",
            plan.repeat(),
            plan.warmUp() ? " after a warm-up migration per strategy" : "",
            plan.downtimeLimit().toMillis(),
            plan.deadline().toSeconds(),
            fmt(plan.quotaInstructionsPerSecond()),
            plan.window().toMillis()));
    md.append(
        "- medians over committed runs, [min–max] when more than one; invariants: digest match"
            + " and one console sequence across both nodes (aborted runs: the source printing on"
            + " without gap)\n");
    md.append(
        "- recording overhead: 1 − (instructions per CPU second of the guest thread while"
            + " recording) / (the same live), same run; source slowdown: 1 − (instructions per"
            + " wall second during the migration) / (live); wall-clock figures move with the"
            + " machine's load\n\n");

    md.append("## Runs per cell\n\n").append(CELL_TABLE_HEADER).append('\n');
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (CellSummary c : result.cells()) {
      md.append(
          row(
              c.cell().workload(),
              c.cell().link().label(),
              c.cell().quota() ? "yes" : "no",
              c.cell().strategy().cliName(),
              c.committed() + "/" + c.runs(),
              c.invariantsHold() + "/" + c.runs(),
              spread(c.get(Metric.DOWNTIME_MS)),
              spread(c.get(Metric.TOTAL_MS)),
              spread(c.get(Metric.SETUP_MS)),
              spread(c.get(Metric.BYTES_TOTAL)),
              spread(c.get(Metric.ROUNDS)),
              spread(c.get(Metric.RECORDING_OVERHEAD_PCT)),
              spread(c.get(Metric.SOURCE_SLOWDOWN_PCT))));
    }

    md.append("\n## CR/TR vs pre-copy, beside the paper\n\n");
    md.append(
        "Reduction = 1 − CR/TR / pre-copy on the cells' medians (negative: CR/TR costs more)."
            + " Paper: up to 72.4 % downtime, 31.5 % total time, 95.9 % data; recording"
            + " overhead < 8.54 %.\n\n");
    md.append(
        "| workload | link | quota | downtime reduction % (paper 72.4) | total time reduction %"
            + " (paper 31.5) | data reduction % (paper 95.9) | recording overhead % (paper < 8.54)"
            + " |\n|---|---|---|---|---|---|---|\n");
    for (Comparison c : result.comparisons()) {
      md.append(
          row(
              c.key().workload(),
              c.key().link().label(),
              c.key().quota() ? "yes" : "no",
              pct(c.downtimeReductionPercent()),
              pct(c.totalTimeReductionPercent()),
              pct(c.dataReductionPercent()),
              pct(c.recordingOverheadPercent())));
    }

    md.append("\n## The model against the measure\n\n");
    md.append(
        "PAPER.md's convergence model fed with each run's measured rates (C, B, g, p; see the"
            + " README); medians; error = (model − measured) / measured.\n\n");
    md.append(
        "| workload | link | quota | strategy | ρ | model downtime ms | measured | error % | model"
            + " total ms | measured | error % | model bytes | measured | error % |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (CellSummary c : result.cells()) {
      md.append(
          row(
              c.cell().workload(),
              c.cell().link().label(),
              c.cell().quota() ? "yes" : "no",
              c.cell().strategy().cliName(),
              rho(result, c.cell()),
              num(c.median(Metric.MODEL_DOWNTIME_MS)),
              num(c.median(Metric.DOWNTIME_MS)),
              pct(CsvOutput.error(c, Metric.MODEL_DOWNTIME_MS, Metric.DOWNTIME_MS)),
              num(c.median(Metric.MODEL_TOTAL_MS)),
              num(c.median(Metric.TOTAL_MS)),
              pct(CsvOutput.error(c, Metric.MODEL_TOTAL_MS, Metric.TOTAL_MS)),
              num(c.median(Metric.MODEL_BYTES)),
              num(c.median(Metric.BYTES_TOTAL)),
              pct(CsvOutput.error(c, Metric.MODEL_BYTES, Metric.BYTES_TOTAL))));
    }

    md.append("\n## External baselines (QEMU's own pre-copy)\n\n");
    if (result.baselineRuns().isEmpty() && result.baselinesUnavailable().isEmpty()) {
      md.append(
          "None on the class path (an `ExternalBaseline` service, e.g. QEMU's pre-copy over QMP,"
              + " plugs in here).\n");
    }
    for (Map.Entry<String, String> e : result.baselinesUnavailable().entrySet()) {
      md.append("- ").append(e.getKey()).append(": not run, ").append(e.getValue()).append('\n');
    }
    if (!result.baselineRuns().isEmpty()) {
      md.append(
          "| baseline | workload | link | run | status | downtime ms | total ms | setup ms | bytes"
              + " |\n|---|---|---|---|---|---|---|---|---|\n");
      for (BaselineRun b : result.baselineRuns()) {
        ExternalBaseline.Result r = b.result();
        md.append(
            row(
                b.baseline(),
                b.workload(),
                b.link().label(),
                Integer.toString(b.repetition()),
                r == null ? "failed: " + b.failure() : r.status(),
                r == null ? "" : fmt(r.downtimeMillis()),
                r == null ? "" : fmt(r.totalTimeMillis()),
                r == null ? "" : fmt(r.setupTimeMillis()),
                r == null ? "" : fmt(r.transferredBytes())));
      }
    }

    List<EvalWorkload> missing = plan.notRunnable();
    if (!missing.isEmpty()) {
      md.append("\n## Not yet runnable\n\n");
      for (EvalWorkload w : missing) {
        md.append("- ")
            .append(w.name())
            .append(" (`")
            .append(w.image())
            .append("`, ")
            .append(w.description())
            .append("): ")
            .append(w.notRunnableBecause())
            .append('\n');
      }
    }

    List<RunResult> notCommitted = result.runs().stream().filter(r -> !r.committed()).toList();
    if (!notCommitted.isEmpty()) {
      md.append("\n## Runs that did not commit\n\n");
      for (RunResult r : notCommitted) {
        md.append("- ")
            .append(r.spec().id())
            .append(": ")
            .append(r.outcome())
            .append(", ")
            .append(r.reason().replace('\n', ' '))
            .append(r.invariantsHold() ? " (source ran on, console continuous)" : "")
            .append('\n');
      }
    }

    md.append("\n## Charts\n\n");
    for (String chart : Charts.FILES) {
      md.append("![").append(chart).append("](").append(chart).append(")\n");
    }
    return md.toString();
  }

  private static String rho(EvaluationResult result, RunSpec.Cell cell) {
    double[] rhos =
        result.runs().stream()
            .filter(r -> r.spec().cell().equals(cell) && r.committed())
            .flatMap(r -> r.prediction().stream())
            .mapToDouble(p -> p.inputs().shrinkFactor())
            .toArray();
    double m = Stats.median(rhos);
    return Double.isNaN(m) ? "–" : String.format(Locale.ROOT, "%.3f", m);
  }

  static String row(String... cells) {
    List<String> escaped = new ArrayList<>();
    for (String c : cells) {
      escaped.add(c.replace("|", "\\|"));
    }
    return "| " + String.join(" | ", escaped) + " |\n";
  }

  private static String spread(CellSummary.Spread s) {
    if (s.n() == 0) {
      return "–";
    }
    String median = num(s.median());
    return s.n() > 1 ? median + " [" + num(s.min()) + "–" + num(s.max()) + "]" : median;
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return fmt(Math.round(v));
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String fmt(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
