package dev.assay.common.stats;

/** Count, sum, sum of squares, min and max of finite values: an exact, mergeable state. Immutable. */
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

  public static Moments empty() {
    return EMPTY;
  }

  public static Moments of(long count, double sum, double sumSquares, double min, double max) {
    if (count < 0) {
      throw new IllegalArgumentException("Invalid count " + count + ": must be non-negative");
    }
    return new Moments(count, sum, sumSquares, min, max);
  }

  public Moments add(double x) {
    return new Moments(count + 1, sum + x, sumSquares + x * x, Math.min(min, x), Math.max(max, x));
  }

  public Moments merge(Moments other) {
    return new Moments(count + other.count, sum + other.sum, sumSquares + other.sumSquares,
        Math.min(min, other.min), Math.max(max, other.max));
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public double sumSquares() {
    return sumSquares;
  }

  /** The smallest value; NaN when empty. */
  public double min() {
    return count == 0 ? Double.NaN : min;
  }

  /** The largest value; NaN when empty. */
  public double max() {
    return count == 0 ? Double.NaN : max;
  }

  /** The mean; NaN when empty. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Sample standard deviation (n − 1); NaN below two values. Rounding below zero is taken as 0. */
  public double stddev() {
    if (count < 2) {
      return Double.NaN;
    }
    double variance = (sumSquares - sum * sum / count) / (count - 1);
    return Math.sqrt(Math.max(0, variance));
  }
}
