package org.crtrmotion.ops.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.ops.report.VcpuQuota;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code crtr demo}: the product's main job. Two nodes in this process, a bundled guest booted on
 * the first, migrated live to the second with the chosen strategy while its console is printed,
 * then a table (or JSON) of the report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a cluster of two nodes (a, b) in this process, boots a bundled guest on a in host"
          + " time, lets it run, migrates it live to b and prints its console as it runs (each"
          + " line prefixed with the node that printed it), the migration's progress, then the"
          + " report. With --strategy both, a fresh guest is migrated a -> b once with each"
          + " strategy and the reports are shown side by side.",
      "",
      "Exit codes: 0 every migration committed with equal digests and continuous output, 1"
          + " otherwise (the reason on stderr), 2 bad options."
    })
public final class DemoCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workload",
      paramLabel = "idle|cpu|memory",
      converter = WorkloadConverter.class,
      description = "the guest to migrate (default: ${DEFAULT-VALUE})",
      defaultValue = "idle")
  Workload workload;

  @Option(
      names = "--strategy",
      paramLabel = "crtr|precopy|both",
      converter = StrategiesConverter.class,
      description = "how the state moves; both runs crtr, then precopy (default: ${DEFAULT-VALUE})",
      defaultValue = "crtr")
  StrategyChoice strategy;

  @Option(
      names = "--json",
      description =
          "print one JSON object {\"reports\": [...]} on stdout; console and progress on stderr")
  boolean json;

  @Option(
      names = "--downtime-limit",
      paramLabel = "MS",
      description = "QEMU's downtime-limit in milliseconds (default: ${DEFAULT-VALUE})",
      defaultValue = "300")
  long downtimeLimitMillis;

  @Option(
      names = "--max-bandwidth",
      paramLabel = "BYTES/s",
      converter = BandwidthConverter.class,
      description =
          "QEMU's max-bandwidth, bytes per second with an optional K, M or G suffix, 0 for no cap"
              + " (default: ${DEFAULT-VALUE})",
      defaultValue = "128M")
  long maxBandwidth;

  @Option(
      names = "--quota",
      paramLabel = "RATE",
      converter = QuotaConverter.class,
      description =
          "the guest's vCPU quota, instructions per second with an optional K, M or G (decimal)"
              + " suffix; the target's copy keeps it, its replay runs at full speed"
              + " (default: none)",
      defaultValue = "0")
  long quota;

  @Option(
      names = "--run-before",
      paramLabel = "SECONDS",
      description = "how long the guest runs on a before it migrates (default: ${DEFAULT-VALUE})",
      defaultValue = "2")
  double runBeforeSeconds;

  @Option(
      names = "--deadline",
      paramLabel = "SECONDS",
      description =
          "each migration ends, committed or aborted, within this (default: ${DEFAULT-VALUE})",
      defaultValue = "60")
  long deadlineSeconds;

  @Override
  public Integer call() throws Exception {
    MigrationParameters parameters = parameters();
    if (runBeforeSeconds < 0 || runBeforeSeconds > 3600) {
      throw new ParameterException(
          spec.commandLine(), "--run-before must be 0 to 3600 seconds, not " + runBeforeSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // In JSON mode stdout carries the JSON object alone.
    PrintWriter log = json ? err : out;
    Object lock = new Object();
    List<DemoResult> results = new ArrayList<>();
    String failure = null;
    try (Demo demo = new Demo(log, lock, 2 * workload.ramBytes())) {
      demo.run(
          workload,
          quota,
          strategy.strategies(),
          parameters,
          Duration.ofMillis(Math.round(runBeforeSeconds * 1000)),
          results);
    } catch (Exception e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    synchronized (lock) {
      // The reports gathered, even after a failure: in JSON mode stdout always has its object.
      if (json) {
        out.println(ReportJson.of(results));
      } else if (!results.isEmpty()) {
        out.println();
        out.print(ReportTable.of(results));
      }
      out.flush();
    }
    int exit = 0;
    if (failure != null) {
      err.println("crtr demo: " + failure);
      exit = EXIT_FAILED;
    }
    for (DemoResult r : results) {
      if (!r.succeeded()) {
        err.println("crtr demo: " + r.report().strategy().cliName() + ": " + r.failure());
        exit = EXIT_FAILED;
      }
    }
    err.flush();
    return exit;
  }

  private MigrationParameters parameters() {
    if (downtimeLimitMillis <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--downtime-limit must be a positive number of milliseconds, not " + downtimeLimitMillis);
    }
    if (deadlineSeconds <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--deadline must be a positive number of seconds, not " + deadlineSeconds);
    }
    try {
      return MigrationParameters.defaults(strategy.strategies().get(0))
          .withDowntimeLimit(Duration.ofMillis(downtimeLimitMillis))
          .withMaxBandwidth(maxBandwidth)
          .withDeadline(Duration.ofSeconds(deadlineSeconds));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static final class WorkloadConverter implements ITypeConverter<Workload> {
    @Override
    public Workload convert(String value) {
      try {
        return Workload.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** What {@code --strategy} names: one strategy, or both in turn. */
  record StrategyChoice(List<Strategy> strategies) {}

  static final class StrategiesConverter implements ITypeConverter<StrategyChoice> {
    @Override
    public StrategyChoice convert(String value) {
      if (value.trim().toLowerCase(Locale.ROOT).equals("both")) {
        return new StrategyChoice(List.of(Strategy.CRTR, Strategy.PRECOPY));
      }
      try {
        return new StrategyChoice(List.of(Strategy.parse(value)));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage() + ", both");
      }
    }
  }

  /** Instructions per second ({@link VcpuQuota}); 0 is none. */
  static final class QuotaConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return VcpuQuota.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Bytes per second: a number with an optional K, M or G suffix (powers of 1024); 0 is no cap. */
  static final class BandwidthConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().toUpperCase(Locale.ROOT);
      long unit = 1;
      if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
        unit = 1L << (10 * ("KMG".indexOf(v.charAt(v.length() - 1)) + 1));
        v = v.substring(0, v.length() - 1);
      }
      try {
        long n = Long.parseLong(v);
        if (n < 0 || n > Long.MAX_VALUE / unit) {
          throw new TypeConversionException("bandwidth out of range: '" + value + "'");
        }
        return n * unit;
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "not a bandwidth: '" + value + "' (bytes per second, e.g. 134217728, 128M, 0)");
      }
    }
  }
}
