package org.crtrmotion.simulations.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.embedded.EmbeddedCluster;

/**
 * The evaluation harness: runs a plan's matrix on a two-node cluster in this JVM, then the external
 * baselines, and writes the outputs.
 *
 * <pre>{@code
 * EvaluationResult result = Evaluation.run(EvaluationPlan.quick(1), ExternalBaseline.discover(), System.err::println);
 * Evaluation.write(result, Path.of("/tmp/eval"), "crtr bench evaluation --quick");
 * }</pre>
 */
public final class Evaluation {
  private Evaluation() {}

  /** Guest memory each node may hold: the largest guest, a migration's copy and a spare. */
  private static final long NODE_MEMORY_BYTES = 256L << 20;

  /** The coordinators run with their defaults, as a node does. */
  private static final CoordinatorSettings SETTINGS = CoordinatorSettings.defaults();

  public static EvaluationResult run(
      EvaluationPlan plan, List<ExternalBaseline> baselines, Consumer<String> log)
      throws InterruptedException {
    Instant started = Instant.now();
    String machine = machine();
    List<RunSpec> specs = plan.runs();
    for (EvalWorkload w : plan.notRunnable()) {
      log.accept("not yet runnable: " + w.name() + " (" + w.notRunnableBecause() + ")");
    }
    log.accept(
        "evaluation: "
            + specs.size()
            + " runs on nodes "
            + RunExecutor.SOURCE
            + " -> "
            + RunExecutor.TARGET
            + " ("
            + machine
            + ")");
    List<RunResult> runs = new ArrayList<>();
    try (EmbeddedCluster cluster =
        EmbeddedCluster.start(
            List.of(RunExecutor.SOURCE, RunExecutor.TARGET), NODE_MEMORY_BYTES, SETTINGS)) {
      ConsoleLog console = new ConsoleLog();
      cluster.nodes().forEach(console::watch);
      RunExecutor executor = new RunExecutor(cluster, console, plan, SETTINGS, log);
      if (plan.warmUp() && !specs.isEmpty()) {
        warmUp(executor, plan, specs.get(0), log);
      }
      int n = 0;
      for (RunSpec spec : specs) {
        n++;
        log.accept(String.format(Locale.ROOT, "[%d/%d] %s", n, specs.size(), spec.id()));
        RunResult result = executor.run(spec);
        if (!result.failure().isEmpty()) {
          log.accept("  failed: " + result.failure());
        }
        runs.add(result);
      }
    }
    List<BaselineRun> baselineRuns = new ArrayList<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    for (ExternalBaseline b : baselines) {
      String why = b.unavailableBecause();
      if (!why.isEmpty()) {
        log.accept("baseline " + b.name() + " not run: " + why);
        unavailable.put(b.name(), why);
        continue;
      }
      baselineRuns.addAll(runBaseline(b, plan, log));
    }
    return new EvaluationResult(
        plan, runs, baselineRuns, unavailable, machine, started, Instant.now());
  }

  /**
   * One migration per strategy of the first run's workload, not recorded: the first migrations in a
   * fresh JVM run the interpreter and the streams cold, and the first cell would pay for it.
   */
  private static void warmUp(
      RunExecutor executor, EvaluationPlan plan, RunSpec first, Consumer<String> log)
      throws InterruptedException {
    for (var strategy : plan.strategies()) {
      RunSpec spec = new RunSpec(first.workload(), strategy, first.link(), false, 1);
      log.accept("warm-up (not recorded): " + spec.id());
      RunResult warm = executor.run(spec);
      if (!warm.failure().isEmpty()) {
        log.accept("  warm-up failed: " + warm.failure());
      }
    }
  }

  private static List<BaselineRun> runBaseline(
      ExternalBaseline baseline, EvaluationPlan plan, Consumer<String> log) {
    List<BaselineRun> out = new ArrayList<>();
    for (EvalWorkload w : plan.workloads()) {
      if (!w.runnable()) {
        continue;
      }
      for (Link link : plan.links()) {
        for (int r = 1; r <= plan.repeat(); r++) {
          log.accept("baseline " + baseline.name() + ": " + w.name() + " " + link.label());
          try {
            Optional<ExternalBaseline.Result> result =
                baseline.migrate(w, link, plan.downtimeLimit());
            if (result.isPresent()) {
              out.add(new BaselineRun(baseline.name(), w.name(), link, r, result.get(), ""));
            }
          } catch (Exception e) {
            out.add(new BaselineRun(baseline.name(), w.name(), link, r, null, e.toString()));
          }
        }
      }
    }
    return out;
  }

  /** Writes the CSV files, {@code summary.md} and the PNG charts into {@code dir}. */
  public static void write(EvaluationResult result, Path dir, String command) {
    try {
      Files.createDirectories(dir);
      CsvOutput.write(result, dir);
      Files.writeString(
          dir.resolve("summary.md"),
          MarkdownReport.render(result, command),
          StandardCharsets.UTF_8);
      Charts.write(result, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluation into " + dir, e);
    }
  }

  /** Processors, load average and JVM: a shared machine's load is part of every figure. */
  static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "%d processors, load average %.2f at start, %s %s, Java %s",
        Runtime.getRuntime().availableProcessors(),
        os.getSystemLoadAverage(),
        os.getName(),
        os.getArch(),
        Runtime.version());
  }
}
