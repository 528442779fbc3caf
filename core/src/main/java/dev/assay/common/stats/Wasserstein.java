package dev.assay.common.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * The 1-Wasserstein (earth mover's) distance W₁ = ∫ |F_a(x) − F_b(x)| dx between two distributions
 * of values on the real line, computed from mergeable states rather than raw values:
 *
 * <ul>
 *   <li>{@link #exact}: from exact value counts. Equals {@code scipy.stats.wasserstein_distance} of
 *       the raw values, up to floating-point rounding.
 * </ul>
 *
 * {@link Divergences#wasserstein} is the coarser way, from histogram bins. KLL sketches were tried
 * and left out: their random compaction makes the value change between re-runs.
 */
public final class Wasserstein {
  private Wasserstein() {}

  /**
   * W₁ between two weighted discrete distributions: values finite and non-decreasing (repeated
   * values add up), weights non-negative with a positive total per side. Sweeps the union of the
   * values once: W₁ = Σ over consecutive union points x &lt; x' of |F_a(x) − F_b(x)| · (x' − x),
   * with F the cumulative weight share at or below x. O(n_a + n_b).
   */
  public static double discrete(
      double[] valuesA, long[] weightsA, double[] valuesB, long[] weightsB) {
    double totalA = check(valuesA, weightsA, "first");
    double totalB = check(valuesB, weightsB, "second");
    int i = 0;
    int j = 0;
    long cumulativeA = 0;
    long cumulativeB = 0;
    double x = Math.min(valuesA[0], valuesB[0]);
    double distance = 0;
    while (true) {
      while (i < valuesA.length && valuesA[i] == x) {
        cumulativeA += weightsA[i++];
      }
      while (j < valuesB.length && valuesB[j] == x) {
        cumulativeB += weightsB[j++];
      }
      if (i == valuesA.length && j == valuesB.length) {
        return distance;
      }
      double next =
          i == valuesA.length
              ? valuesB[j]
              : j == valuesB.length ? valuesA[i] : Math.min(valuesA[i], valuesB[j]);
      distance += Math.abs(cumulativeA / totalA - cumulativeB / totalB) * (next - x);
      x = next;
    }
  }

  /**
   * Exact W₁ between two sets of value counts (scipy's {@code wasserstein_distance} of the raw
   * values).
   */
  public static double exact(ValueCounts a, ValueCounts b) {
    return discrete(a.values(), a.counts(), b.values(), b.counts());
  }

  /**
   * Exact W₁ between two distributions given as value → count maps (any order, any size; values
   * must be finite, counts non-negative with a positive total).
   */
  public static double exact(Map<Double, Long> a, Map<Double, Long> b) {
    TreeMap<Double, Long> sortedA = new TreeMap<>(a);
    TreeMap<Double, Long> sortedB = new TreeMap<>(b);
    return discrete(keys(sortedA), counts(sortedA), keys(sortedB), counts(sortedB));
  }

  private static double[] keys(TreeMap<Double, Long> sorted) {
    return sorted.keySet().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static long[] counts(TreeMap<Double, Long> sorted) {
    return sorted.values().stream().mapToLong(Long::longValue).toArray();
  }

  private static double check(double[] values, long[] weights, String side) {
    if (values.length != weights.length) {
      throw new IllegalArgumentException(
          "Cannot pair "
              + values.length
              + " values with "
              + weights.length
              + " weights in the "
              + side
              + " distribution: need one weight per value");
    }
    long total = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "Invalid value "
                + values[i]
                + " at index "
                + i
                + " of the "
                + side
                + " distribution: values must be finite");
      }
      if (i > 0 && values[i] < values[i - 1]) {
        throw new IllegalArgumentException(
            "Invalid values: "
                + values[i - 1]
                + " then "
                + values[i]
                + " at index "
                + i
                + " of the "
                + side
                + " distribution, values must be non-decreasing");
      }
      if (weights[i] < 0) {
        throw new IllegalArgumentException(
            "Invalid weight "
                + weights[i]
                + " at index "
                + i
                + " of the "
                + side
                + " distribution: weights must be non-negative");
      }
      total = Math.addExact(total, weights[i]);
    }
    if (total == 0) {
      throw new IllegalArgumentException(
          "Invalid "
              + side
              + " distribution: its "
              + values.length
              + " weights sum to 0, so there is no distribution to compare");
    }
    return total;
  }
}
