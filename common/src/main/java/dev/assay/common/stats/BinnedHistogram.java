package dev.assay.common.stats;

import java.util.Arrays;

/**
 * Counts over frozen edges e_0 < … < e_{k−1}: bin 0 is the underflow bin (−∞, e_0), bin i is
 * [e_{i−1}, e_i), and bin k is the overflow bin [e_{k−1}, +∞). Immutable.
 */
public final class BinnedHistogram {
  private final double[] edges;
  private final long[] counts;

  private BinnedHistogram(double[] edges, long[] counts) {
    this.edges = edges;
    this.counts = counts;
  }

  public static BinnedHistogram of(double[] edges, long[] counts) {
    if (counts.length != edges.length + 1) {
      throw new IllegalArgumentException("Invalid histogram: " + edges.length + " edges need "
          + (edges.length + 1) + " counts, found " + counts.length);
    }
    for (int i = 0; i < edges.length; i++) {
      if (!Double.isFinite(edges[i]) || i > 0 && !(edges[i] > edges[i - 1])) {
        throw new IllegalArgumentException("Invalid edges " + Arrays.toString(edges)
            + ": expected finite, strictly increasing values");
      }
    }
    return new BinnedHistogram(edges.clone(), counts.clone());
  }

  /** The bin of a finite value: binary search, no allocation (the profile pass calls it per value). */
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

  public double[] edges() {
    return edges.clone();
  }

  public long[] counts() {
    return counts.clone();
  }

  public long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  public BinnedHistogram merge(BinnedHistogram other) {
    if (!Arrays.equals(edges, other.edges)) {
      throw new IllegalArgumentException("Cannot merge histograms with different edges "
          + Arrays.toString(edges) + " and " + Arrays.toString(other.edges));
    }
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new BinnedHistogram(edges, sum);
  }

  /**
   * One point per bin for Wasserstein: inner bins' midpoints, and for the open bins the midpoint
   * to the observed extreme (the edge itself when nothing lies beyond it). Strictly increasing.
   */
  public double[] representativePoints(double min, double max) {
    int k = edges.length;
    double[] points = new double[k + 1];
    points[0] = Double.isFinite(min) && min < edges[0] ? (min + edges[0]) / 2 : edges[0];
    for (int i = 1; i < k; i++) {
      points[i] = (edges[i - 1] + edges[i]) / 2;
    }
    points[k] = Double.isFinite(max) && max > edges[k - 1] ? (edges[k - 1] + max) / 2 : edges[k - 1];
    for (int i = 1; i <= k; i++) {
      if (!(points[i] > points[i - 1])) {
        points[i] = Math.nextUp(points[i - 1]);
      }
    }
    return points;
  }
}
