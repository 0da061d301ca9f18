package org.crtrmotion.simulations.evaluation;

/**
 * The convergence model's inputs taken from one run and what it predicts for that run.
 *
 * @param totalTimeMillis the model's transfer and downtime plus the run's measured setup time (the
 *     model does not cover the Prepare exchange)
 */
public record ModelEstimate(
    ConvergenceModel.Inputs inputs,
    double downtimeMillis,
    double totalTimeMillis,
    double bytes,
    int rounds,
    boolean converges) {

  /** (predicted − measured) / measured, in percent; NaN when nothing was measured. */
  public static double errorPercent(double predicted, double measured) {
    return measured > 0 ? (predicted - measured) / measured * 100 : Double.NaN;
  }
}
