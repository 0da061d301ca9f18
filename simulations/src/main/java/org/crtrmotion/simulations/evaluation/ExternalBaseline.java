package org.crtrmotion.simulations.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A migration system outside this runtime measured on the same guests and links, reported beside
 * ours (issue 9's outside anchor: QEMU's own pre-copy, driven over QMP through a rate-limiting
 * proxy). The evaluation calls {@link #migrate} once per runnable workload, link and repetition.
 *
 * <p>Implementations are found with {@link ServiceLoader}: a class implementing this interface,
 * named in {@code META-INF/services/org.crtrmotion.simulations.evaluation.ExternalBaseline}, with a
 * public no-argument constructor. None is needed for the rest of the evaluation to run.
 */
public interface ExternalBaseline {

  /** The column's name in the output, e.g. {@code qemu-precopy}: lower case, digits, '-'. */
  String name();

  /** Empty when this baseline can run here; otherwise why not (e.g. QEMU not installed). */
  String unavailableBecause();

  /**
   * Migrates {@code workload}'s guest once under the same {@code max-bandwidth} and {@code
   * downtime-limit} as our runs; empty when this baseline cannot run that workload.
   */
  Optional<Result> migrate(EvalWorkload workload, Link link, Duration downtimeLimit)
      throws Exception;

  /**
   * What the baseline reported, named as QEMU's {@code query-migrate} names it.
   *
   * @param status e.g. {@code completed} or {@code failed}
   */
  record Result(
      long totalTimeMillis,
      long downtimeMillis,
      long setupTimeMillis,
      long transferredBytes,
      String status) {}

  /** Every baseline on the class path. */
  static List<ExternalBaseline> discover() {
    List<ExternalBaseline> found = new ArrayList<>();
    ServiceLoader.load(ExternalBaseline.class).forEach(found::add);
    return found;
  }
}
