package dev.assay.common.stats;

import java.util.Arrays;

/** Histogram edges from quantiles. */
public final class QuantileEdges {
  private QuantileEdges() {}

  /** Sorted, de-duplicated, finite cut points; empty when none is finite. */
  public static double[] fromQuantiles(double[] quantiles) {
    return Arrays.stream(quantiles).filter(Double::isFinite).map(q -> q == 0.0 ? 0.0 : q)
        .sorted().distinct().toArray();
  }

  /** {1/bins, 2/bins, …, (bins−1)/bins}. */
  public static double[] probabilities(int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("Invalid bins " + bins + ": need at least 2");
    }
    double[] p = new double[bins - 1];
    for (int i = 0; i < p.length; i++) {
      p[i] = (i + 1.0) / bins;
    }
    return p;
  }
}
