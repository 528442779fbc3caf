package dev.assay.common.stats;

import java.util.Arrays;

/**
 * How far a statistic goes on its own between the partitions of one table: its values when each
 * trusted partition is scored leave-one-out against the others (or against its own history). Real
 * partitions differ for natural reasons (weather, weekdays, growing history), so a value is only
 * unusual for this table when it passes {@link #upper}: the larger of the largest value and median
 * + {@value #K} robust standard deviations (MAD × 1.4826). From {@value #SECOND_LARGEST_FROM}
 * values on, the second largest stands in for the largest: the window may hold one poisoned
 * partition, and its value must not make the next attack of the same kind look natural.
 *
 * @param samples values it was estimated from
 * @param median their median
 * @param upper the largest value still natural for this table
 */
public record NaturalRange(int samples, double median, double upper) {
  /** Fewest trusted values from which a range is estimated; with fewer it is unknown. */
  public static final int MIN_SAMPLES = 3;

  /** Robust standard deviations above the median that are still natural. */
  public static final double K = 4.0;

  /** Values from which the largest one alone no longer widens the range. */
  public static final int SECOND_LARGEST_FROM = 8;

  /** The range of the finite values, or null when there are fewer than {@value #MIN_SAMPLES}. */
  public static NaturalRange of(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length < MIN_SAMPLES) {
      return null;
    }
    double median = Robust.median(finite);
    double[] sorted = finite.clone();
    Arrays.sort(sorted);
    double largest = sorted[sorted.length - (sorted.length >= SECOND_LARGEST_FROM ? 2 : 1)];
    return new NaturalRange(
        finite.length, median, Math.max(largest, median + K * Robust.sigma(finite)));
  }

  /** Whether a value lies above what this table does naturally. */
  public boolean exceededBy(double value) {
    return value > upper;
  }
}
