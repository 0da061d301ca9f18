package org.crtrmotion.simulations.evaluation;

/** The paper's headline figures against pre-copy (PAPER.md; Liu et al., HPDC 2009). */
final class PaperFigures {
  private PaperFigures() {}

  /** Application-observed downtime, up to this reduction. */
  static final double DOWNTIME_REDUCTION_PERCENT = 72.4;

  /** Total migration time, up to this reduction. */
  static final double TOTAL_TIME_REDUCTION_PERCENT = 31.5;

  /** Data transferred to synchronise the VM's state, up to this reduction. */
  static final double DATA_REDUCTION_PERCENT = 95.9;

  /** Application slowdown caused by logging, below this on average. */
  static final double RECORDING_OVERHEAD_PERCENT = 8.54;
}
