package org.crtrmotion.actors.coordinator;

import java.time.Duration;

/**
 * How a node's coordinators work, beyond a migration's own {@code MigrationParameters}.
 *
 * @param roundInterval how often the source asks the target's progress (one round)
 * @param handoverMillis the fixed part of the downtime: freeze, last messages, going live
 * @param prepareTimeout how long the source waits to find the target and hear its answer
 * @param askTimeout how long a coordinator waits for a VM actor, the host agent or the directory
 * @param resumeDeadline how long a cut trace stream may take to resume before it fails
 * @param logMemoryBytes trace frames held in memory by the sender before they spill
 * @param spillBudgetBytes disk for the trace frames the target has not acknowledged
 * @param faults fault hooks, all off by default
 */
public record CoordinatorSettings(
    Duration roundInterval,
    long handoverMillis,
    Duration prepareTimeout,
    Duration askTimeout,
    Duration resumeDeadline,
    long logMemoryBytes,
    long spillBudgetBytes,
    MigrationFaults faults) {

  public static CoordinatorSettings defaults() {
    return new CoordinatorSettings(
        Duration.ofMillis(200),
        10,
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        16L << 20,
        256L << 20,
        new MigrationFaults());
  }

  public CoordinatorSettings withRoundInterval(Duration value) {
    return new CoordinatorSettings(
        value,
        handoverMillis,
        prepareTimeout,
        askTimeout,
        resumeDeadline,
        logMemoryBytes,
        spillBudgetBytes,
        faults);
  }

  public CoordinatorSettings withResumeDeadline(Duration value) {
    return new CoordinatorSettings(
        roundInterval,
        handoverMillis,
        prepareTimeout,
        askTimeout,
        value,
        logMemoryBytes,
        spillBudgetBytes,
        faults);
  }

  public CoordinatorSettings withFaults(MigrationFaults value) {
    return new CoordinatorSettings(
        roundInterval,
        handoverMillis,
        prepareTimeout,
        askTimeout,
        resumeDeadline,
        logMemoryBytes,
        spillBudgetBytes,
        value);
  }
}
