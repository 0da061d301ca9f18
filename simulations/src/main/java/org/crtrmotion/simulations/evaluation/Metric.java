package org.crtrmotion.simulations.evaluation;

import java.util.function.ToDoubleFunction;
import org.crtrmotion.actors.migration.MigrationReport;

/**
 * A figure of one run, as a number (NaN when the run did not measure it). Migration figures come
 * from committed runs only: an aborted migration's downtime or bytes say nothing about the cost of
 * moving the VM.
 */
enum Metric {
  DOWNTIME_MS("downtime_ms", true, r -> r.downtimeMillis()),
  TOTAL_MS("total_ms", true, r -> r.totalTimeMillis()),
  SETUP_MS("setup_ms", true, r -> r.setupTimeMillis()),
  BYTES_TOTAL("bytes_total", true, r -> r.bytesTotal()),
  BYTES_CHECKPOINT("bytes_checkpoint", true, r -> r.bytesByKind().checkpoint()),
  BYTES_TRACE("bytes_trace", true, r -> r.bytesByKind().trace()),
  BYTES_PAGES("bytes_pages", true, r -> r.bytesByKind().pages()),
  BYTES_CONTROL("bytes_control", true, r -> r.bytesByKind().control()),
  ROUNDS("rounds", true, r -> r.rounds().size()),
  MAX_THROTTLE_PCT("max_throttle_pct", true, r -> r.maxThrottlePercent()),
  EXPECTED_DOWNTIME_MS("expected_downtime_ms", true, Metric::expectedDowntime),
  LIVE_IPS("live_ips", run -> positive(run.rates().live().perWallSecond())),
  RECORDING_IPS("recording_ips", run -> positive(run.rates().recording().perWallSecond())),
  MIGRATING_IPS("migrating_ips", run -> positive(run.rates().migrating().perWallSecond())),
  LIVE_IPS_CPU("live_ips_cpu", run -> positive(run.rates().live().perCpuSecond())),
  RECORDING_IPS_CPU("recording_ips_cpu", run -> positive(run.rates().recording().perCpuSecond())),
  MIGRATING_IPS_CPU("migrating_ips_cpu", run -> positive(run.rates().migrating().perCpuSecond())),
  TRACE_BYTES_PER_S("trace_bytes_per_s", run -> nonNegative(run.rates().traceBytesPerSecond())),
  RECORDING_OVERHEAD_PCT("recording_overhead_pct", run -> run.rates().recordingOverheadPercent()),
  RECORDING_WALL_OVERHEAD_PCT(
      "recording_wall_overhead_pct", run -> run.rates().recordingWallOverheadPercent()),
  SOURCE_SLOWDOWN_PCT("source_slowdown_pct", run -> run.rates().migrationSlowdownPercent()),
  SOURCE_CPU_COST_PCT("source_cpu_cost_pct", run -> run.rates().migrationCpuCostPercent()),
  MODEL_DOWNTIME_MS(
      "model_downtime_ms",
      run ->
          run.committed()
              ? run.prediction().map(p -> p.downtimeMillis()).orElse(Double.NaN)
              : Double.NaN),
  MODEL_TOTAL_MS(
      "model_total_ms",
      run ->
          run.committed()
              ? run.prediction().map(p -> p.totalTimeMillis()).orElse(Double.NaN)
              : Double.NaN),
  MODEL_BYTES(
      "model_bytes",
      run ->
          run.committed() ? run.prediction().map(p -> p.bytes()).orElse(Double.NaN) : Double.NaN);

  private final String column;
  private final ToDoubleFunction<RunResult> value;

  Metric(String column, ToDoubleFunction<RunResult> value) {
    this.column = column;
    this.value = value;
  }

  Metric(String column, boolean committedOnly, ToDoubleFunction<MigrationReport> fromReport) {
    this(
        column,
        run ->
            run.committed()
                ? run.report().map(fromReport::applyAsDouble).orElse(Double.NaN)
                : Double.NaN);
  }

  String column() {
    return column;
  }

  double of(RunResult run) {
    return value.applyAsDouble(run);
  }

  private static double expectedDowntime(MigrationReport r) {
    long v = r.expectedDowntimeMillis();
    return v <= 0 || v == Long.MAX_VALUE ? Double.NaN : v;
  }

  private static double positive(double v) {
    return v > 0 ? v : Double.NaN;
  }

  private static double nonNegative(double v) {
    return v >= 0 ? v : Double.NaN;
  }
}
