package dev.assay.common.stats;

import java.util.Arrays;

/** Median, MAD and robust z-scores, which a minority of extreme values cannot move. */
public final class Robust {
  /** Scales the MAD to a standard deviation for normal data. */
  public static final double MAD_TO_SIGMA = 1.4826;

  private Robust() {}

  /** The median of the finite values, or NaN when there are none. */
  public static double median(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      return Double.NaN;
    }
    int mid = finite.length / 2;
    return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
  }

  /** The median absolute deviation from the median, times {@link #MAD_TO_SIGMA}. */
  public static double sigma(double[] values) {
    double median = median(values);
    double[] deviations = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      deviations[i] = Math.abs(values[i] - median);
    }
    return MAD_TO_SIGMA * median(deviations);
  }

  /**
   * Robust z-scores: (value - median) / max(sigma, floor). The floor keeps near-identical values (a
   * zero MAD) from turning tiny differences into huge scores. NaN values stay NaN.
   */
  public static double[] z(double[] values, double floor) {
    double median = median(values);
    double scale = Math.max(sigma(values), floor);
    double[] z = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      z[i] = (values[i] - median) / scale;
    }
    return z;
  }

  /**
   * The median of {@code n} floats, reordering them in place (quickselect; average of the two
   * middle values when {@code n} is even).
   */
  public static float medianInPlace(float[] values, int n) {
    int mid = n / 2;
    float upper = select(values, n, mid);
    if (n % 2 == 1) {
      return upper;
    }
    float lower = values[0];
    for (int i = 1; i < mid; i++) {
      lower = Math.max(lower, values[i]);
    }
    return (lower + upper) / 2;
  }

  /** Places the k-th smallest of the first n values at index k, smaller ones before it. */
  private static float select(float[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      float pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          float t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }
}
