package dev.assay.common.testing;

import java.util.Arrays;

/**
 * Brute-force W₁ of two raw samples, written independently of {@code dev.assay.common.stats}: it
 * integrates the quantile functions, W₁ = ∫₀¹ |Q_a(u) − Q_b(u)| du (the same number as scipy's
 * {@code wasserstein_distance(a, b)}, which integrates the CDFs instead). The steps of Q_a sit at u
 * = i/n_a and those of Q_b at j/n_b; both are put on the integer grid of 1/(n_a·n_b) so no
 * breakpoint is lost to rounding.
 */
public final class RawWasserstein {
  private RawWasserstein() {}

  public static double distance(double[] a, double[] b) {
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    long na = x.length;
    long nb = y.length;
    long end = Math.multiplyExact(na, nb);
    long u = 0;
    int i = 0;
    int j = 0;
    double sum = 0;
    while (u < end) {
      long stepA = (i + 1) * nb;
      long stepB = (j + 1) * na;
      long next = Math.min(stepA, stepB);
      sum += Math.abs(x[i] - y[j]) * (next - u);
      u = next;
      if (stepA == next) {
        i++;
      }
      if (stepB == next) {
        j++;
      }
    }
    return sum / end;
  }

  /** The sample standard deviation (n − 1), by the two-pass formula. */
  public static double stddev(double[] a) {
    double mean = Arrays.stream(a).average().orElseThrow();
    double squares = 0;
    for (double v : a) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (a.length - 1));
  }
}
