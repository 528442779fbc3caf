package dev.assay.common.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Corrections of p-values for testing many hypotheses at once. */
public final class MultipleTesting {
  private MultipleTesting() {}

  /**
   * Benjamini–Hochberg adjusted p-values, as R's {@code p.adjust(p, method = "BH")}: with the m
   * p-values sorted ascending, p_(1) ≤ … ≤ p_(m), the adjusted value of rank i is min(1, min_{k ≥
   * i} m · p_(k) / k). Rejecting every hypothesis whose adjusted value is at most q controls the
   * false discovery rate at q. NaN p-values stay NaN and do not count towards m.
   *
   * @return adjusted p-values in the order of the input
   * @throws IllegalArgumentException if a p-value lies outside [0, 1]
   */
  public static double[] benjaminiHochberg(double[] pValues) {
    for (int i = 0; i < pValues.length; i++) {
      double p = pValues[i];
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException(
            "Invalid p-value " + p + " at index " + i + ": must lie in [0, 1]");
      }
    }
    Integer[] ascending =
        IntStream.range(0, pValues.length)
            .filter(i -> !Double.isNaN(pValues[i]))
            .boxed()
            .sorted(Comparator.comparingDouble(i -> pValues[i]))
            .toArray(Integer[]::new);
    double[] adjusted = new double[pValues.length];
    Arrays.fill(adjusted, Double.NaN);
    int m = ascending.length;
    double runningMin = 1;
    for (int rank = m; rank >= 1; rank--) {
      int i = ascending[rank - 1];
      runningMin = Math.min(runningMin, pValues[i] * m / rank);
      adjusted[i] = runningMin;
    }
    return adjusted;
  }
}
