package dev.assay.common.stats;

import java.util.Arrays;

/**
 * Counts over frozen edges e_0 < … < e_{k−1} (k ≥ 1, all finite): bin 0 is the underflow bin (−∞,
 * e_0), bin i for 1 ≤ i ≤ k − 1 is [e_{i−1}, e_i), and bin k is the overflow bin [e_{k−1}, +∞), so
 * there are k + 1 counts. Immutable; histograms over the same edges merge by adding counts.
 */
public final class BinnedHistogram {
  private final double[] edges;
  private final long[] counts;

  private BinnedHistogram(double[] edges, long[] counts) {
    this.edges = edges;
    this.counts = counts;
  }

  /**
   * A histogram with k ≥ 1 finite, strictly increasing edges and k + 1 non-negative counts,
   * counts[i] being the number of values x with edges[i−1] ≤ x < edges[i] (edges[−1] = −∞, edges[k]
   * = +∞). Both arrays are copied.
   */
  public static BinnedHistogram of(double[] edges, long[] counts) {
    double[] e = edges.clone();
    long[] c = counts.clone();
    if (e.length == 0) {
      throw new IllegalArgumentException("Invalid edges []: a histogram needs at least 1 edge");
    }
    for (int i = 0; i < e.length; i++) {
      if (!Double.isFinite(e[i]) || i > 0 && !(e[i] > e[i - 1])) {
        throw new IllegalArgumentException(
            "Invalid edges "
                + Arrays.toString(e)
                + ": value "
                + e[i]
                + " at index "
                + i
                + " breaks finite, strictly increasing edges");
      }
    }
    if (c.length != e.length + 1) {
      throw new IllegalArgumentException(
          "Invalid counts: "
              + e.length
              + " edges need "
              + (e.length + 1)
              + " counts (underflow, inner and overflow bins), found "
              + c.length);
    }
    for (int i = 0; i < c.length; i++) {
      if (c[i] < 0) {
        throw new IllegalArgumentException(
            "Invalid count " + c[i] + " in bin " + i + ": counts must be non-negative");
      }
    }
    return new BinnedHistogram(e, c);
  }

  /**
   * The bin of a finite value x: the number of edges ≤ x, i.e. the i with edges[i−1] ≤ x < edges[i]
   * (0 below edges[0], edges.length at or above the last edge). A manual binary search with no
   * allocation and no checks, since the profile pass calls it once per value; x must be finite and
   * edges strictly increasing.
   */
  public static int binIndex(double[] edges, double x) {
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x < edges[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** A copy of the k edges. */
  public double[] edges() {
    return edges.clone();
  }

  /** A copy of the k + 1 counts, underflow bin first. */
  public long[] counts() {
    return counts.clone();
  }

  /** Σ_i counts[i]. */
  public long total() {
    long total = 0;
    for (long c : counts) {
      total = Math.addExact(total, c);
    }
    return total;
  }

  /** The histogram of both value sets: counts_a[i] + counts_b[i], over the same edges. */
  public BinnedHistogram merge(BinnedHistogram other) {
    if (!Arrays.equals(edges, other.edges)) {
      throw new IllegalArgumentException(
          "Cannot merge histograms with different edges "
              + Arrays.toString(edges)
              + " and "
              + Arrays.toString(other.edges)
              + ": both must be binned with the same frozen edges");
    }
    long[] sum = new long[counts.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = Math.addExact(counts[i], other.counts[i]);
    }
    return new BinnedHistogram(edges, sum);
  }

  /**
   * One point per bin, for {@link Divergences#wasserstein}: (e_{i−1} + e_i) / 2 for each inner bin
   * i. The underflow bin's point is halfway between e_0 and its tail end t = max(min, e_0 − w_0),
   * and the overflow bin's halfway between e_{k−1} and t = min(max, e_{k−1} + w_{k−1}), where min
   * and max are the observed extremes and w the width of the neighbouring inner bin. Clamping the
   * tails to one bin width keeps a few far outliers of a heavy-tailed feature from dominating the
   * distance (a shift of mass into a tail still shows in PSI). When min ≥ e_0 (or is not finite,
   * e.g. NaN for no values) the underflow point is e_0; likewise for the overflow bin. With a
   * single edge there is no neighbouring width and the tails reach the extremes. A point that does
   * not exceed its predecessor is nudged up with {@link Math#nextUp}, so the result is strictly
   * increasing.
   */
  public double[] representativePoints(double min, double max) {
    int k = edges.length;
    double[] points = new double[k + 1];
    double low = Double.isFinite(min) && min < edges[0] ? min : edges[0];
    double high = Double.isFinite(max) && max > edges[k - 1] ? max : edges[k - 1];
    if (k > 1) {
      low = Math.max(low, edges[0] - (edges[1] - edges[0]));
      high = Math.min(high, edges[k - 1] + (edges[k - 1] - edges[k - 2]));
    }
    points[0] = low < edges[0] ? midpoint(low, edges[0]) : edges[0];
    for (int i = 1; i < k; i++) {
      points[i] = midpoint(edges[i - 1], edges[i]);
    }
    points[k] = high > edges[k - 1] ? midpoint(edges[k - 1], high) : edges[k - 1];
    for (int i = 1; i <= k; i++) {
      if (!(points[i] > points[i - 1])) {
        points[i] = Math.nextUp(points[i - 1]);
      }
    }
    return points;
  }

  /** (a + b) / 2 without overflow for values near ±Double.MAX_VALUE. */
  private static double midpoint(double a, double b) {
    double m = (a + b) / 2;
    return Double.isFinite(m) ? m : a / 2 + b / 2;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BinnedHistogram)) {
      return false;
    }
    BinnedHistogram h = (BinnedHistogram) o;
    return Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "BinnedHistogram{edges="
        + Arrays.toString(edges)
        + ", counts="
        + Arrays.toString(counts)
        + "}";
  }
}
