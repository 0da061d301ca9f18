package org.crtrmotion.actors.coordinator;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.streams.StreamMetrics;

/**
 * One strategy's half of a source coordinator: how the state moves while the source runs and what a
 * round measures. The {@link SourceCoordinator} owns everything strategies share: prepare, rounds
 * and their timer, the decision to freeze, the convergence watch, digests, the commit point, abort,
 * cancel, the deadline and the report. Methods are called on the coordinator's thread; what they
 * start completes through the returned stages (piped to the coordinator).
 */
public interface SourceEngine {

  /**
   * Starts moving the state once the target accepted; completes with what tells the target to
   * receive it (CR/TR: {@link MigrationProtocol.StartTransfer}).
   */
  CompletionStage<MigrationProtocol.ToTarget> start();

  /**
   * The end of a round: what it measured, with the downtime expected if the source froze now.
   *
   * @param elapsedMillis since the migration started
   */
  RoundReport measure(int round, long elapsedMillis, MigrationProtocol.Progress progress);

  /** Pauses the source at F and ends the transfer there (the last part moves to the target). */
  CompletionStage<VmActor.Frozen> freeze();

  /** Bytes put on the link so far, by kind. */
  BytesByKind bytes();

  /**
   * Auto-converge: run the source's vCPU at {@code 100 - percent} % from now on. False when this
   * engine cannot (the coordinator then aborts, saying so).
   */
  default boolean throttle(int percent) {
    return false;
  }

  /**
   * Whether a round has new figures to measure: a strategy whose rounds do not follow the
   * coordinator's timer (pre-copy's page rounds) says no until one ended, so that the convergence
   * window counts rounds, not ticks.
   */
  default boolean roundReady() {
    return true;
  }

  /**
   * When the source was told to pause, on the coordinator's clock, if that differs from the freeze
   * request (pre-copy pauses at the next round boundary): downtime counts from there.
   */
  default java.util.OptionalLong pausedAtMillis() {
    return java.util.OptionalLong.empty();
  }

  /** The state of the transfer's reliable stream, for strategies that have one. */
  default Optional<StreamMetrics.Reliability> streamState() {
    return Optional.empty();
  }

  /** The throttle in force, in percent (0 = none). */
  default int throttlePercent() {
    return 0;
  }

  /**
   * Before the commit point: the source runs on live as before the migration and the transfer's
   * streams are closed. Completes once the source runs.
   */
  CompletionStage<Void> abort(String reason);

  /** After the commit point: releases what the transfer holds. */
  void close();

  /**
   * The coordinator stops without a report (its node is shutting down): give back what is held on
   * this node (spill files, local actors) at once, without asking anyone. Default: nothing held.
   */
  default void release() {}
}
