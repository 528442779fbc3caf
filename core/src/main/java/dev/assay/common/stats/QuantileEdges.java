package dev.assay.common.stats;

import java.util.Arrays;

/**
 * Histogram edges from quantiles of a baseline: the cut points that {@link BinnedHistogram} uses.
 */
public final class QuantileEdges {
  private QuantileEdges() {}

  /**
   * Edges from candidate cut points q_1, …, q_m (in any order, with duplicates, NaN or ±∞): the
   * finite q_j, sorted and de-duplicated, so e_0 < e_1 < … (−0.0 counts as 0.0). Empty when no q_j
   * is finite.
   */
  public static double[] fromQuantiles(double[] quantiles) {
    double[] finite = new double[quantiles.length];
    int n = 0;
    for (double q : quantiles) {
      if (Double.isFinite(q)) {
        finite[n++] = q == 0 ? 0.0 : q; // -0.0 == 0, and both must collapse into one edge
      }
    }
    Arrays.sort(finite, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || finite[i] > finite[distinct - 1]) {
        finite[distinct++] = finite[i];
      }
    }
    return Arrays.copyOf(finite, distinct);
  }

  /** The probabilities {1/bins, 2/bins, …, (bins − 1)/bins} of the inner cut points; bins ≥ 2. */
  public static double[] probabilities(int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException(
          "Invalid bins " + bins + ": quantile edges need at least 2 bins");
    }
    double[] p = new double[bins - 1];
    for (int i = 0; i < p.length; i++) {
      p[i] = (i + 1.0) / bins;
    }
    return p;
  }
}
