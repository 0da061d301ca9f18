package org.crtrmotion.actors.migration;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller chooses for one migration. Names follow QEMU's migration parameters where one
 * exists; so do the defaults.
 *
 * @param strategy how the state moves
 * @param downtimeLimit QEMU's {@code downtime-limit}: the pause the source may take for the last
 *     part (default 300 ms)
 * @param maxBandwidthBytesPerSecond QEMU's {@code max-bandwidth}, shared by every stream of the
 *     migration, 0 for none (default 128 MiB/s)
 * @param autoConverge the throttle steps for the source's vCPU
 * @param onNonConvergence what to do when the backlog stops shrinking
 * @param convergenceWindowRounds how many rounds without the backlog shrinking count as not
 *     converging (default 3)
 * @param maxRounds rounds before the migration must freeze or act (default 30, as Xen)
 * @param deadline the whole migration ends, committed or aborted, within this (default 10 min)
 */
public record MigrationParameters(
    Strategy strategy,
    Duration downtimeLimit,
    long maxBandwidthBytesPerSecond,
    AutoConverge autoConverge,
    NonConvergencePolicy onNonConvergence,
    int convergenceWindowRounds,
    int maxRounds,
    Duration deadline) {

  public static final Duration DEFAULT_DOWNTIME_LIMIT = Duration.ofMillis(300);
  public static final long DEFAULT_MAX_BANDWIDTH = 128L << 20;
  public static final int DEFAULT_CONVERGENCE_WINDOW = 3;
  public static final int DEFAULT_MAX_ROUNDS = 30;
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  public MigrationParameters {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(autoConverge, "autoConverge");
    Objects.requireNonNull(onNonConvergence, "onNonConvergence");
    if (downtimeLimit == null || downtimeLimit.isNegative() || downtimeLimit.isZero()) {
      throw new IllegalArgumentException("downtime-limit must be positive, not " + downtimeLimit);
    }
    if (maxBandwidthBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "max-bandwidth must be 0 (unlimited) or positive, not " + maxBandwidthBytesPerSecond);
    }
    if (convergenceWindowRounds < 2) {
      throw new IllegalArgumentException(
          "the convergence window needs at least 2 rounds, not " + convergenceWindowRounds);
    }
    if (maxRounds < 1) {
      throw new IllegalArgumentException("max-rounds must be at least 1, not " + maxRounds);
    }
    if (deadline == null || deadline.compareTo(downtimeLimit) <= 0) {
      throw new IllegalArgumentException(
          "the deadline must be longer than the downtime-limit, not " + deadline);
    }
  }

  /** QEMU's defaults for {@code strategy}. */
  public static MigrationParameters defaults(Strategy strategy) {
    return new MigrationParameters(
        strategy,
        DEFAULT_DOWNTIME_LIMIT,
        DEFAULT_MAX_BANDWIDTH,
        AutoConverge.QEMU_DEFAULTS,
        NonConvergencePolicy.THROTTLE,
        DEFAULT_CONVERGENCE_WINDOW,
        DEFAULT_MAX_ROUNDS,
        DEFAULT_DEADLINE);
  }

  public MigrationParameters withStrategy(Strategy value) {
    return new MigrationParameters(
        value,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        autoConverge,
        onNonConvergence,
        convergenceWindowRounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withDowntimeLimit(Duration value) {
    return new MigrationParameters(
        strategy,
        value,
        maxBandwidthBytesPerSecond,
        autoConverge,
        onNonConvergence,
        convergenceWindowRounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withMaxBandwidth(long bytesPerSecond) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        bytesPerSecond,
        autoConverge,
        onNonConvergence,
        convergenceWindowRounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withAutoConverge(AutoConverge value) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        value,
        onNonConvergence,
        convergenceWindowRounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withNonConvergencePolicy(NonConvergencePolicy value) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        autoConverge,
        value,
        convergenceWindowRounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withConvergenceWindow(int rounds) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        autoConverge,
        onNonConvergence,
        rounds,
        maxRounds,
        deadline);
  }

  public MigrationParameters withMaxRounds(int value) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        autoConverge,
        onNonConvergence,
        convergenceWindowRounds,
        value,
        deadline);
  }

  public MigrationParameters withDeadline(Duration value) {
    return new MigrationParameters(
        strategy,
        downtimeLimit,
        maxBandwidthBytesPerSecond,
        autoConverge,
        onNonConvergence,
        convergenceWindowRounds,
        maxRounds,
        value);
  }
}
