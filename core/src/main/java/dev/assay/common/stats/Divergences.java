package dev.assay.common.stats;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Distances between two distributions given as counts over the same ordered bins (or the same
 * categories). Counts are normalised to proportions p_i = n_i / Σ_j n_j first. Every method rejects
 * arrays of different or zero length, negative counts and an all-zero array with an {@link
 * IllegalArgumentException}. docs/feature-drift.md writes out each formula.
 */
public final class Divergences {
  /**
   * Proportion that replaces an empty bin in {@link #psi}, as Evidently does, so that the logarithm
   * stays finite.
   */
  public static final double PSI_EPSILON = 1e-4;

  private Divergences() {}

  /** Proportions p_i = counts_i / Σ_j counts_j; the total must be positive. */
  static double[] proportions(long[] counts) {
    return proportions(counts, "counts");
  }

  private static double[] proportions(long[] counts, String name) {
    long total = total(counts, name);
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = (double) counts[i] / total;
    }
    return p;
  }

  private static long total(long[] counts, String name) {
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      long c = counts[i];
      if (c < 0) {
        throw new IllegalArgumentException(
            "Invalid " + name + " count " + c + " in bin " + i + ": counts must be non-negative");
      }
      try {
        total = Math.addExact(total, c);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "Invalid " + name + " counts: their total overflows a long", e);
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException(
          "Invalid "
              + name
              + " counts: all "
              + counts.length
              + " bins are 0, so there is no distribution to compare");
    }
    return total;
  }

  private static void sameBins(long[] baseline, long[] current) {
    if (baseline.length != current.length) {
      throw new IllegalArgumentException(
          "Cannot compare "
              + baseline.length
              + " baseline bins with "
              + current.length
              + " current bins: both must count over the same bins");
    }
    if (baseline.length == 0) {
      throw new IllegalArgumentException("Invalid bins: 0 bins, need at least 1");
    }
  }

  /**
   * Population Stability Index PSI = Σ_i (c_i − b_i) · ln(c_i / b_i) over the proportions b of the
   * baseline and c of the current counts. A proportion of 0 is replaced by {@link #PSI_EPSILON}
   * before the formula (the Evidently convention), so an empty bin on one side adds a large but
   * finite term. 0 for equal distributions; symmetric in its arguments.
   */
  public static double psi(long[] baseline, long[] current) {
    sameBins(baseline, current);
    double[] b = proportions(baseline, "baseline");
    double[] c = proportions(current, "current");
    double psi = 0;
    for (int i = 0; i < b.length; i++) {
      double bi = b[i] == 0 ? PSI_EPSILON : b[i];
      double ci = c[i] == 0 ? PSI_EPSILON : c[i];
      psi += (ci - bi) * Math.log(ci / bi);
    }
    return psi;
  }

  /**
   * Jensen–Shannon distance sqrt(JSD) with JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q) / 2 and KL(p‖m)
   * = Σ_i p_i · ln(p_i / m_i), where terms with p_i = 0 contribute 0. Natural log, so the distance
   * lies in [0, sqrt(ln 2)]: 0 for equal distributions, sqrt(ln 2) ≈ 0.8326 for disjoint ones.
   * Equals scipy's {@code scipy.spatial.distance.jensenshannon(p, q)} with its default base e.
   */
  public static double jsDistance(long[] baseline, long[] current) {
    sameBins(baseline, current);
    double[] p = proportions(baseline, "baseline");
    double[] q = proportions(current, "current");
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
    // Rounding can leave a tiny negative divergence for (nearly) equal distributions.
    return Math.sqrt(Math.max(0, divergence));
  }

  /** L∞ distance max_i |p_i − q_i| over the proportions p of the baseline and q of the current. */
  public static double linf(long[] baseline, long[] current) {
    sameBins(baseline, current);
    double[] p = proportions(baseline, "baseline");
    double[] q = proportions(current, "current");
    double max = 0;
    for (int i = 0; i < p.length; i++) {
      max = Math.max(max, Math.abs(p[i] - q[i]));
    }
    return max;
  }

  /**
   * Two-sample Kolmogorov–Smirnov statistic from counts over the same ordered bins: D = max_j
   * |CDF_b(j) − CDF_c(j)| with CDF_b(j) = Σ_{i≤j} b_i / Σ_i b_i, i.e. the largest CDF gap at a bin
   * boundary. It is a lower bound of the KS statistic of the raw values.
   */
  public static double ksStatistic(long[] baseline, long[] current) {
    sameBins(baseline, current);
    double totalB = total(baseline, "baseline");
    double totalC = total(current, "current");
    long cumulativeB = 0;
    long cumulativeC = 0;
    double max = 0;
    for (int i = 0; i < baseline.length; i++) {
      cumulativeB += baseline[i];
      cumulativeC += current[i];
      max = Math.max(max, Math.abs(cumulativeB / totalB - cumulativeC / totalC));
    }
    return max;
  }

  /**
   * KS statistic D = max_i |a_i − b_i| for two CDFs a and b evaluated at the same points. The
   * values must lie in [0, 1] and the arrays must have the same, non-zero length.
   */
  public static double ksStatisticFromCdfs(double[] cdfBaseline, double[] cdfCurrent) {
    if (cdfBaseline.length != cdfCurrent.length) {
      throw new IllegalArgumentException(
          "Cannot compare a baseline CDF at "
              + cdfBaseline.length
              + " points with a current CDF at "
              + cdfCurrent.length
              + " points: both must be evaluated at the same points");
    }
    if (cdfBaseline.length == 0) {
      throw new IllegalArgumentException("Invalid CDFs: 0 points, need at least 1");
    }
    double max = 0;
    for (int i = 0; i < cdfBaseline.length; i++) {
      double a = checkCdf(cdfBaseline[i], i, "baseline");
      double b = checkCdf(cdfCurrent[i], i, "current");
      max = Math.max(max, Math.abs(a - b));
    }
    return max;
  }

  private static double checkCdf(double value, int index, String name) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(
          "Invalid "
              + name
              + " CDF value "
              + value
              + " at point "
              + index
              + ": expected a value in [0, 1]");
    }
    return value;
  }

  /**
   * p-value of Pearson's chi-square test of homogeneity of two samples over the same k bins: X² =
   * Σ_{s∈{b,c}} Σ_i (o_si − e_si)² / e_si with e_si = n_s · (b_i + c_i) / (n_b + n_c), compared to
   * χ² with k − 1 degrees of freedom (commons-math {@code
   * ChiSquareTest.chiSquareTestDataSetsComparison}). Bins that are 0 in both samples are dropped
   * first; when fewer than 2 bins remain both samples sit in the same single category and the
   * p-value is 1.
   */
  public static double chiSquarePValue(long[] baseline, long[] current) {
    double[] test = chiSquare(baseline, current);
    return chiSquarePValue(test[0], test[1], 1);
  }

  /**
   * Pearson's X² of homogeneity (as {@link #chiSquarePValue}) and its degrees of freedom, as {X²,
   * df}; df is 0 when fewer than 2 bins are used by either sample.
   */
  public static double[] chiSquare(long[] baseline, long[] current) {
    sameBins(baseline, current);
    total(baseline, "baseline");
    total(current, "current");
    long[] b = kept(baseline, current, true);
    if (b.length < 2) {
      return new double[] {0, 0};
    }
    return new double[] {
      new ChiSquareTest().chiSquareDataSetsComparison(b, kept(baseline, current, false)),
      b.length - 1
    };
  }

  /**
   * The p-value of X² with df degrees of freedom under overdispersion: X² / dispersion against
   * χ²(df), the quasi-likelihood test for counts whose partitions vary more than sampling alone
   * (dispersion 1: the plain test).
   */
  public static double chiSquarePValue(double statistic, double df, double dispersion) {
    if (df <= 0) {
      return 1.0;
    }
    return 1
        - new org.apache.commons.math3.distribution.ChiSquaredDistribution(null, df)
            .cumulativeProbability(statistic / dispersion);
  }

  /**
   * The q-quantile of χ²(df) divided by df: what X² / df stays below with probability q under
   * sampling alone.
   */
  public static double chiSquarePerDfQuantile(double df, double q) {
    return new org.apache.commons.math3.distribution.ChiSquaredDistribution(null, df)
            .inverseCumulativeProbability(q)
        / df;
  }

  /** The bins used by either sample, of the baseline ({@code ofBaseline}) or the current sample. */
  private static long[] kept(long[] baseline, long[] current, boolean ofBaseline) {
    int kept = 0;
    for (int i = 0; i < baseline.length; i++) {
      if (baseline[i] != 0 || current[i] != 0) {
        kept++;
      }
    }
    long[] out = new long[kept];
    int j = 0;
    for (int i = 0; i < baseline.length; i++) {
      if (baseline[i] != 0 || current[i] != 0) {
        out[j++] = ofBaseline ? baseline[i] : current[i];
      }
    }
    return out;
  }

  /**
   * 1-Wasserstein (earth mover's) distance between two discrete distributions on the same finite,
   * strictly increasing points x with weights given by the counts: W₁ = Σ_{i<n−1} |CDF_b(i) −
   * CDF_c(i)| · (x_{i+1} − x_i). Equals scipy's {@code wasserstein_distance(x, x, baseline,
   * current)}.
   */
  public static double wasserstein(double[] points, long[] baseline, long[] current) {
    sameBins(baseline, current);
    if (points.length != baseline.length) {
      throw new IllegalArgumentException(
          "Invalid points: "
              + points.length
              + " points for "
              + baseline.length
              + " bins, need one point per bin");
    }
    for (int i = 0; i < points.length; i++) {
      if (!Double.isFinite(points[i])) {
        throw new IllegalArgumentException(
            "Invalid point " + points[i] + " at index " + i + ": points must be finite");
      }
      if (i > 0 && !(points[i] > points[i - 1])) {
        throw new IllegalArgumentException(
            "Invalid points: "
                + points[i - 1]
                + " then "
                + points[i]
                + " at index "
                + i
                + ", points must be strictly increasing");
      }
    }
    double totalB = total(baseline, "baseline");
    double totalC = total(current, "current");
    long cumulativeB = 0;
    long cumulativeC = 0;
    double distance = 0;
    for (int i = 0; i < points.length - 1; i++) {
      cumulativeB += baseline[i];
      cumulativeC += current[i];
      distance +=
          Math.abs(cumulativeB / totalB - cumulativeC / totalC) * (points[i + 1] - points[i]);
    }
    return distance;
  }
}
