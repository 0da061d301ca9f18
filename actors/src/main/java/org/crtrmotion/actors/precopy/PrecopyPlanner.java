package org.crtrmotion.actors.precopy;

import org.crtrmotion.actors.migration.AutoConverge;
import org.crtrmotion.actors.migration.ConvergenceWatch;
import org.crtrmotion.actors.migration.DowntimeModel;
import org.crtrmotion.actors.migration.MigrationParameters;

/**
 * What pre-copy does after each round, from what the round measured: freeze when QEMU's estimate of
 * the stop-and-copy ({@code remaining / link rate + handover}) fits the {@code downtime-limit};
 * otherwise another round, unless the dirty pages left have not shrunk across the convergence
 * window or {@code max-rounds} is reached, where the migration's non-convergence policy acts (a
 * throttle step as QEMU's auto-converge, a strategy switch, or an abort); past the deadline it
 * aborts. Pure: tested with explicit numbers.
 */
public final class PrecopyPlanner {

  /**
   * What a round measured.
   *
   * @param round 1 for round 0's transfer (every page), then +1
   * @param remainingBytes the pages written since the round's snapshot: what a freeze now copies
   * @param linkBytesPerSecond the round's bytes on the link over its duration
   * @param elapsedMillis since the migration started
   * @param throttlePercent the source's vCPU throttle in force
   */
  public record Measure(
      int round,
      long remainingBytes,
      long linkBytesPerSecond,
      long elapsedMillis,
      int throttlePercent) {}

  /** What to do next; each carries the downtime expected if the source froze now. */
  public sealed interface Decision permits Freeze, NextRound, Throttle, Abort, SwitchStrategy {
    long expectedDowntimeMillis();
  }

  /** Stop and copy the rest: the expected downtime fits the limit. */
  public record Freeze(long expectedDowntimeMillis) implements Decision {}

  /** Another round of dirty pages. */
  public record NextRound(long expectedDowntimeMillis) implements Decision {}

  /** Throttle the source's vCPU to {@code percent}, then another round. */
  public record Throttle(int percent, long expectedDowntimeMillis, String why)
      implements Decision {}

  /** Stop the migration; the source runs on. */
  public record Abort(String reason, long expectedDowntimeMillis) implements Decision {}

  /** Give up on pre-copy and let the framework try the other strategy. */
  public record SwitchStrategy(String reason, long expectedDowntimeMillis) implements Decision {}

  private final MigrationParameters parameters;
  private final long handoverMillis;
  private final ConvergenceWatch watch;

  /**
   * @param handoverMillis what a freeze costs besides the pages: the CPU and device state, the
   *     digests, the go-live message
   */
  public PrecopyPlanner(MigrationParameters parameters, long handoverMillis) {
    if (handoverMillis < 0) {
      throw new IllegalArgumentException("handover cannot be negative, not " + handoverMillis);
    }
    this.parameters = parameters;
    this.handoverMillis = handoverMillis;
    this.watch = new ConvergenceWatch(parameters.convergenceWindowRounds());
  }

  public Decision decide(Measure m) {
    long expected =
        DowntimeModel.precopyMillis(m.remainingBytes(), m.linkBytesPerSecond(), handoverMillis);
    long limit = parameters.downtimeLimit().toMillis();
    if (expected <= limit) {
      return new Freeze(expected);
    }
    long deadline = parameters.deadline().toMillis();
    if (m.elapsedMillis() >= deadline) {
      return new Abort(
          "deadline of "
              + deadline
              + " ms passed at round "
              + m.round()
              + " with an expected downtime of "
              + describe(expected)
              + " > downtime-limit "
              + limit
              + " ms",
          expected);
    }
    watch.record(m.remainingBytes());
    String why;
    if (m.round() >= parameters.maxRounds()) {
      why = "max-rounds " + parameters.maxRounds() + " reached";
    } else if (watch.stalled()) {
      why =
          "not converging: the dirty pages left did not shrink over "
              + parameters.convergenceWindowRounds()
              + " rounds";
    } else {
      return new NextRound(expected);
    }
    why +=
        " (expected downtime "
            + describe(expected)
            + " > downtime-limit "
            + limit
            + " ms, "
            + m.remainingBytes()
            + " bytes left at "
            + m.linkBytesPerSecond()
            + " B/s)";
    return act(why, m.throttlePercent(), expected);
  }

  private Decision act(String why, int throttlePercent, long expected) {
    switch (parameters.onNonConvergence()) {
      case ABORT:
        return new Abort(why, expected);
      case SWITCH_STRATEGY:
        return new SwitchStrategy(why, expected);
      case THROTTLE:
      default:
        AutoConverge steps = parameters.autoConverge();
        if (!steps.enabled()) {
          return new Abort(why + "; auto-converge is off", expected);
        }
        if (steps.exhausted(throttlePercent)) {
          return new Abort(
              why + "; auto-converge exhausted at " + throttlePercent + " % throttle", expected);
        }
        watch.reset(); // the new throttle gets its own window
        return new Throttle(steps.nextStep(throttlePercent), expected, why);
    }
  }

  private static String describe(long millis) {
    return millis == Long.MAX_VALUE ? "unbounded (no link rate yet)" : millis + " ms";
  }
}
