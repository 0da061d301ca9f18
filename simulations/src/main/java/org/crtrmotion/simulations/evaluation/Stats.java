package org.crtrmotion.simulations.evaluation;

import java.util.Arrays;

/** Medians and spreads of repeated measurements; NaN marks what was not measured. */
final class Stats {
  private Stats() {}

  /** The median of the values that are not NaN; NaN when there is none. */
  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  static double min(double[] values) {
    return Arrays.stream(values).filter(x -> !Double.isNaN(x)).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
  }

  /** {@code 1 − ours/theirs} in percent: how much smaller {@code ours} is; NaN without a base. */
  static double reductionPercent(double ours, double theirs) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs <= 0) {
      return Double.NaN;
    }
    return (1 - ours / theirs) * 100;
  }
}
