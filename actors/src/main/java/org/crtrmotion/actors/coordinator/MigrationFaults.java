package org.crtrmotion.actors.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fault sites in one node's coordinators, all off unless switched on (by tests and fault runs, to
 * show that each fault ends in an abort with the source running, or, for a cut stream, in a
 * resume). Thread-safe; read when the site is reached.
 */
public final class MigrationFaults {
  private volatile boolean misreportTargetDigest;
  private volatile boolean withholdCaughtUp;
  private volatile int cutTraceAtRound;
  private volatile int partitionTraceAtRound;
  private volatile int corruptTraceAtRound;
  private final CompletableFuture<Integer> traceConnections = new CompletableFuture<>();

  /** Target: reports a state digest off by one at F (invariant 3's check must catch it). */
  public MigrationFaults misreportTargetDigest(boolean on) {
    misreportTargetDigest = on;
    return this;
  }

  /** Target: never reports CaughtUp, as a target too slow to catch up would. */
  public MigrationFaults withholdCaughtUp(boolean on) {
    withholdCaughtUp = on;
    return this;
  }

  /** Source: breaks the trace stream's connection at this round (0 = never); it must resume. */
  public MigrationFaults cutTraceAtRound(int round) {
    cutTraceAtRound = round;
    return this;
  }

  /**
   * Source: from this round on (0 = never) the trace's control path is partitioned (resume requests
   * and acknowledgements dropped) and its connection is cut: it cannot resume before its deadline.
   */
  public MigrationFaults partitionTraceAtRound(int round) {
    partitionTraceAtRound = round;
    return this;
  }

  /**
   * Source: at this round (0 = never) the next trace frame put on the link has a byte flipped after
   * its checksum was computed, as a faulty link would: the target's decoder must refuse it and the
   * migration abort.
   */
  public MigrationFaults corruptTraceAtRound(int round) {
    corruptTraceAtRound = round;
    return this;
  }

  int corruptTraceAtRound() {
    return corruptTraceAtRound;
  }

  int partitionTraceAtRound() {
    return partitionTraceAtRound;
  }

  boolean misreportTargetDigest() {
    return misreportTargetDigest;
  }

  boolean withholdCaughtUp() {
    return withholdCaughtUp;
  }

  int cutTraceAtRound() {
    return cutTraceAtRound;
  }

  /**
   * Source: the connections the first committed migration's trace stream needed (1 without a cut),
   * once its sender is done.
   */
  public CompletionStage<Integer> traceConnections() {
    return traceConnections;
  }

  void traceConnections(int connections) {
    traceConnections.complete(connections);
  }
}
