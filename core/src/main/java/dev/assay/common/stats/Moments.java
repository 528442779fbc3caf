package dev.assay.common.stats;

/**
 * Count, sum, sum of squares, min and max of finite values: an immutable, mergeable state. Merging
 * adds counts and sums, so the moments of concatenated data equal the merge of the parts' moments
 * (exactly for counts, up to floating-point addition order for the sums).
 */
public final class Moments {
  private static final Moments EMPTY =
      new Moments(0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

  private final long count;
  private final double sum;
  private final double sumSquares;
  private final double min;
  private final double max;

  private Moments(long count, double sum, double sumSquares, double min, double max) {
    this.count = count;
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.min = min;
    this.max = max;
  }

  /** The moments of no values: count = 0, sum = Σ x = 0, sumSquares = Σ x² = 0. */
  public static Moments empty() {
    return EMPTY;
  }

  /**
   * Moments from their parts: count = n, sum = Σ x, sumSquares = Σ x², min = min x, max = max x.
   * With count 0 the sums must be 0 and the result is {@link #empty()} (min and max are ignored);
   * otherwise min ≤ max and sumSquares ≥ 0 are required.
   */
  public static Moments of(long count, double sum, double sumSquares, double min, double max) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "Invalid count " + count + ": the number of values cannot be negative");
    }
    if (count == 0) {
      if (sum != 0 || sumSquares != 0) {
        throw new IllegalArgumentException(
            "Invalid moments: count 0 with sum "
                + sum
                + " and sumSquares "
                + sumSquares
                + ", both must be 0");
      }
      return EMPTY;
    }
    if (!(min <= max)) {
      throw new IllegalArgumentException(
          "Invalid moments: min " + min + " and max " + max + ", expected min <= max");
    }
    if (!(sumSquares >= 0)) {
      throw new IllegalArgumentException(
          "Invalid sumSquares " + sumSquares + ": a sum of squares cannot be negative");
    }
    return new Moments(count, sum, sumSquares, min, max);
  }

  /** These moments with one more finite value x: n + 1, sum + x, sumSquares + x², min, max. */
  public Moments add(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(
          "Invalid value " + x + ": moments take finite values only");
    }
    return new Moments(
        Math.addExact(count, 1), sum + x, sumSquares + x * x, Math.min(min, x), Math.max(max, x));
  }

  /**
   * The moments of both value sets: n_a + n_b, sum_a + sum_b, sumSquares_a + sumSquares_b,
   * min(min_a, min_b), max(max_a, max_b).
   */
  public Moments merge(Moments other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    return new Moments(
        Math.addExact(count, other.count),
        sum + other.sum,
        sumSquares + other.sumSquares,
        Math.min(min, other.min),
        Math.max(max, other.max));
  }

  /** The number of values n. */
  public long count() {
    return count;
  }

  /** Σ x. */
  public double sum() {
    return sum;
  }

  /** Σ x². */
  public double sumSquares() {
    return sumSquares;
  }

  /** The smallest value min x; NaN when empty. */
  public double min() {
    return count == 0 ? Double.NaN : min;
  }

  /** The largest value max x; NaN when empty. */
  public double max() {
    return count == 0 ? Double.NaN : max;
  }

  /** The mean Σ x / n; NaN when empty. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /**
   * The sample standard deviation sqrt((Σ x² − (Σ x)² / n) / (n − 1)); NaN below two values. A
   * variance that rounding pushes below 0 is taken as 0.
   */
  public double stddev() {
    if (count < 2) {
      return Double.NaN;
    }
    double variance = (sumSquares - sum * sum / count) / (count - 1);
    return Math.sqrt(Math.max(0, variance));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Moments)) {
      return false;
    }
    Moments m = (Moments) o;
    return count == m.count
        && Double.compare(sum, m.sum) == 0
        && Double.compare(sumSquares, m.sumSquares) == 0
        && Double.compare(min, m.min) == 0
        && Double.compare(max, m.max) == 0;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(count);
    h = 31 * h + Double.hashCode(sum);
    h = 31 * h + Double.hashCode(sumSquares);
    h = 31 * h + Double.hashCode(min);
    return 31 * h + Double.hashCode(max);
  }

  @Override
  public String toString() {
    return "Moments{count="
        + count
        + ", sum="
        + sum
        + ", sumSquares="
        + sumSquares
        + ", min="
        + min()
        + ", max="
        + max()
        + "}";
  }
}
