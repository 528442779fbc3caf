package dev.assay.common.stats;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Distances between two distributions given as counts over the same ordered bins (or categories).
 * Counts are normalised to proportions first. docs/feature-drift.md writes out each formula.
 */
public final class Divergences {
  /** Proportion that replaces an empty bin in PSI, as Evidently does, so the log stays finite. */
  public static final double PSI_EPSILON = 1e-4;

  private Divergences() {}

  static double[] proportions(long[] counts) {
    long total = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("Invalid count " + c + ": counts must be non-negative");
      }
      total += c;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("Invalid counts: the total is 0, so there is no distribution");
    }
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = (double) counts[i] / total;
    }
    return p;
  }

  private static void sameLength(long[] a, long[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException(
          "Invalid bins: lengths " + a.length + " and " + b.length + " must be equal and non-zero");
    }
  }

  /** PSI = Σ (c_i − b_i) · ln(c_i / b_i) over proportions, empty bins taken as {@link #PSI_EPSILON}. */
  public static double psi(long[] baseline, long[] current) {
    sameLength(baseline, current);
    double[] b = proportions(baseline);
    double[] c = proportions(current);
    double psi = 0;
    for (int i = 0; i < b.length; i++) {
      double bi = b[i] == 0 ? PSI_EPSILON : b[i];
      double ci = c[i] == 0 ? PSI_EPSILON : c[i];
      psi += (ci - bi) * Math.log(ci / bi);
    }
    return psi;
  }

  /**
   * Jensen–Shannon distance sqrt(½ KL(p‖m) + ½ KL(q‖m)), m = (p + q) / 2, natural log: 0 for equal
   * distributions, sqrt(ln 2) ≈ 0.8326 for disjoint ones. Equals scipy's {@code jensenshannon(p, q)}.
   */
  public static double jsDistance(long[] baseline, long[] current) {
    sameLength(baseline, current);
    double[] p = proportions(baseline);
    double[] q = proportions(current);
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        divergence += 0.5 * p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        divergence += 0.5 * q[i] * Math.log(q[i] / m);
      }
    }
    return Math.sqrt(Math.max(0, divergence));
  }

  /** L∞ = max_i |p_i − q_i| over proportions. */
  public static double linf(long[] baseline, long[] current) {
    sameLength(baseline, current);
    double[] p = proportions(baseline);
    double[] q = proportions(current);
    double max = 0;
    for (int i = 0; i < p.length; i++) {
      max = Math.max(max, Math.abs(p[i] - q[i]));
    }
    return max;
  }

  /** Two-sample KS statistic over ordered bins: max over bin boundaries of |CDF_b − CDF_c|. */
  public static double ksStatistic(long[] baseline, long[] current) {
    sameLength(baseline, current);
    double[] p = proportions(baseline);
    double[] q = proportions(current);
    double cp = 0;
    double cq = 0;
    double max = 0;
    for (int i = 0; i < p.length; i++) {
      cp += p[i];
      cq += q[i];
      max = Math.max(max, Math.abs(cp - cq));
    }
    return max;
  }

  /** max_i |a_i − b_i| for two CDFs evaluated at the same points. */
  public static double ksStatisticFromCdfs(double[] cdfBaseline, double[] cdfCurrent) {
    if (cdfBaseline.length != cdfCurrent.length) {
      throw new IllegalArgumentException("Invalid CDFs: lengths " + cdfBaseline.length + " and "
          + cdfCurrent.length + " must be equal");
    }
    double max = 0;
    for (int i = 0; i < cdfBaseline.length; i++) {
      double a = cdfBaseline[i];
      double b = cdfCurrent[i];
      if (!(a >= 0 && a <= 1 && b >= 0 && b <= 1)) {
        throw new IllegalArgumentException("Invalid CDF value at " + i + ": " + a + ", " + b + "; expected [0, 1]");
      }
      max = Math.max(max, Math.abs(a - b));
    }
    return max;
  }

  /**
   * p-value of the chi-square test of homogeneity of two samples over the same bins (commons-math
   * {@code chiSquareTestDataSetsComparison}). Bins empty in both are dropped; with fewer than two
   * bins left the samples are identical and the p-value is 1.
   */
  public static double chiSquarePValue(long[] baseline, long[] current) {
    sameLength(baseline, current);
    proportions(baseline);
    proportions(current);
    int kept = 0;
    for (int i = 0; i < baseline.length; i++) {
      if (baseline[i] + current[i] > 0) {
        kept++;
      }
    }
    if (kept < 2) {
      return 1.0;
    }
    long[] b = new long[kept];
    long[] c = new long[kept];
    int j = 0;
    for (int i = 0; i < baseline.length; i++) {
      if (baseline[i] + current[i] > 0) {
        b[j] = baseline[i];
        c[j] = current[i];
        j++;
      }
    }
    return new ChiSquareTest().chiSquareTestDataSetsComparison(b, c);
  }

  /**
   * 1-Wasserstein distance between two discrete distributions on the same strictly increasing
   * points: Σ_{i<n−1} |CDF_b(i) − CDF_c(i)| · (x_{i+1} − x_i). Equals scipy's {@code
   * wasserstein_distance(x, x, baseline, current)}.
   */
  public static double wasserstein(double[] points, long[] baseline, long[] current) {
    sameLength(baseline, current);
    if (points.length != baseline.length) {
      throw new IllegalArgumentException(
          "Invalid points: " + points.length + " points for " + baseline.length + " bins");
    }
    double[] p = proportions(baseline);
    double[] q = proportions(current);
    double cp = 0;
    double cq = 0;
    double distance = 0;
    for (int i = 0; i < points.length - 1; i++) {
      if (!(points[i + 1] > points[i])) {
        throw new IllegalArgumentException("Invalid points: not strictly increasing at " + i);
      }
      cp += p[i];
      cq += q[i];
      distance += Math.abs(cp - cq) * (points[i + 1] - points[i]);
    }
    return distance;
  }
}
