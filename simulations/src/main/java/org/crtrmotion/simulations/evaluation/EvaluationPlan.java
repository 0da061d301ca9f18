package org.crtrmotion.simulations.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.Strategy;

/**
 * What an evaluation runs: the matrix (workloads × links × quota × strategies, {@code repeat}
 * times) and how each run is measured.
 *
 * @param quotaInstructionsPerSecond the source's vCPU quota in the runs "with quota"
 * @param window how long each guest-rate window lasts (live, recording, live again)
 * @param deadline each migration ends, committed or aborted, within this
 * @param warmUp whether a migration per strategy, not recorded, warms the JVM up first
 */
public record EvaluationPlan(
    List<EvalWorkload> workloads,
    List<Strategy> strategies,
    List<Link> links,
    List<Boolean> quotas,
    int repeat,
    long quotaInstructionsPerSecond,
    Duration window,
    Duration downtimeLimit,
    Duration deadline,
    boolean warmUp) {

  /** 20 M instructions per second: well under what the interpreter replays here, as p > 1 needs. */
  public static final long DEFAULT_QUOTA = 20_000_000L;

  public EvaluationPlan {
    workloads = List.copyOf(workloads);
    strategies = List.copyOf(strategies);
    links = List.copyOf(links);
    quotas = List.copyOf(quotas);
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(downtimeLimit, "downtimeLimit");
    Objects.requireNonNull(deadline, "deadline");
    if (workloads.isEmpty() || strategies.isEmpty() || links.isEmpty() || quotas.isEmpty()) {
      throw new IllegalArgumentException(
          "the matrix needs at least one workload, strategy, link and quota setting");
    }
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be at least 1, not " + repeat);
    }
    if (quotaInstructionsPerSecond < 1) {
      throw new IllegalArgumentException(
          "the quota must be a positive instruction rate, not " + quotaInstructionsPerSecond);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the measurement window must be positive, not " + window);
    }
  }

  /** The whole matrix: every workload, both strategies, both links, with and without quota. */
  public static EvaluationPlan full(int repeat) {
    return new EvaluationPlan(
        Workloads.full(),
        List.of(Strategy.PRECOPY, Strategy.CRTR),
        List.of(Link.GBIT_1, Link.MBIT_100),
        List.of(false, true),
        repeat,
        DEFAULT_QUOTA,
        Duration.ofSeconds(1),
        MigrationParameters.DEFAULT_DOWNTIME_LIMIT,
        Duration.ofSeconds(60),
        true);
  }

  /** One memory rate, shorter windows and deadline: minutes, not tens of minutes. */
  public static EvaluationPlan quick(int repeat) {
    return new EvaluationPlan(
        Workloads.quick(),
        List.of(Strategy.PRECOPY, Strategy.CRTR),
        List.of(Link.GBIT_1, Link.MBIT_100),
        List.of(false, true),
        repeat,
        DEFAULT_QUOTA,
        Duration.ofMillis(500),
        MigrationParameters.DEFAULT_DOWNTIME_LIMIT,
        Duration.ofSeconds(20),
        true);
  }

  public EvaluationPlan withWorkloads(List<EvalWorkload> value) {
    return new EvaluationPlan(
        value,
        strategies,
        links,
        quotas,
        repeat,
        quotaInstructionsPerSecond,
        window,
        downtimeLimit,
        deadline,
        warmUp);
  }

  public EvaluationPlan withLinks(List<Link> value) {
    return new EvaluationPlan(
        workloads,
        strategies,
        value,
        quotas,
        repeat,
        quotaInstructionsPerSecond,
        window,
        downtimeLimit,
        deadline,
        warmUp);
  }

  public EvaluationPlan withQuotas(List<Boolean> value) {
    return new EvaluationPlan(
        workloads,
        strategies,
        links,
        value,
        repeat,
        quotaInstructionsPerSecond,
        window,
        downtimeLimit,
        deadline,
        warmUp);
  }

  public EvaluationPlan withWindow(Duration value) {
    return new EvaluationPlan(
        workloads,
        strategies,
        links,
        quotas,
        repeat,
        quotaInstructionsPerSecond,
        value,
        downtimeLimit,
        deadline,
        warmUp);
  }

  public EvaluationPlan withWarmUp(boolean value) {
    return new EvaluationPlan(
        workloads,
        strategies,
        links,
        quotas,
        repeat,
        quotaInstructionsPerSecond,
        window,
        downtimeLimit,
        deadline,
        value);
  }

  /**
   * Every run of the runnable workloads, cell by cell, repetitions of a cell next to each other.
   */
  public List<RunSpec> runs() {
    List<RunSpec> runs = new ArrayList<>();
    for (EvalWorkload w : workloads) {
      if (!w.runnable()) {
        continue;
      }
      for (Link link : links) {
        for (boolean quota : quotas) {
          for (int r = 1; r <= repeat; r++) {
            for (Strategy s : strategies) {
              runs.add(new RunSpec(w, s, link, quota, r));
            }
          }
        }
      }
    }
    return runs;
  }

  /** The workloads listed but not runnable yet. */
  public List<EvalWorkload> notRunnable() {
    return workloads.stream().filter(w -> !w.runnable()).toList();
  }

  /** The migration parameters of {@code run}: QEMU's defaults, the run's link and strategy. */
  public MigrationParameters parameters(RunSpec run) {
    return MigrationParameters.defaults(run.strategy())
        .withDowntimeLimit(downtimeLimit)
        .withMaxBandwidth(run.link().bytesPerSecond())
        .withDeadline(deadline);
  }
}
