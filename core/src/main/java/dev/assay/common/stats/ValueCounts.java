package dev.assay.common.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact counts of the distinct finite values of a low-cardinality numeric feature: at most {@value
 * #MAX_DISTINCT} values, strictly increasing, each with a positive count. A feature with more
 * distinct values has no {@code ValueCounts} (callers hold null), and merging two whose union
 * exceeds the cap gives null, so a merged state is exact or absent, never truncated. Immutable.
 */
public final class ValueCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Most distinct values kept. Integer-coded features (ages, counts, ratings, codes) fit; the exact
   * counts cost at most 1.6 KB per feature and partition.
   */
  public static final int MAX_DISTINCT = 100;

  private final double[] values;
  private final long[] counts;

  private ValueCounts(double[] values, long[] counts) {
    this.values = values;
    this.counts = counts;
  }

  /**
   * Counts given as parallel arrays. Values must be finite and strictly increasing (-0.0 equals
   * 0.0), counts positive, and there must be at most {@value #MAX_DISTINCT} of them.
   */
  public static ValueCounts of(double[] values, long[] counts) {
    if (values.length != counts.length) {
      throw new IllegalArgumentException(
          "Cannot pair "
              + values.length
              + " values with "
              + counts.length
              + " counts: need one count per value");
    }
    if (values.length > MAX_DISTINCT) {
      throw new IllegalArgumentException(
          "Invalid value counts: "
              + values.length
              + " distinct values, at most "
              + MAX_DISTINCT
              + " are kept exactly");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "Invalid value " + values[i] + " at index " + i + ": values must be finite");
      }
      if (i > 0 && !(values[i] > values[i - 1])) {
        throw new IllegalArgumentException(
            "Invalid values: "
                + values[i - 1]
                + " then "
                + values[i]
                + " at index "
                + i
                + ", values must be strictly increasing");
      }
      if (counts[i] <= 0) {
        throw new IllegalArgumentException(
            "Invalid count " + counts[i] + " of value " + values[i] + ": counts must be positive");
      }
    }
    double[] v = values.clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += 0.0; // -0.0 becomes 0.0
    }
    return new ValueCounts(v, counts.clone());
  }

  /** Counts given as a map from value to count (any order); null when it has more than the cap. */
  public static ValueCounts of(Map<Double, Long> counts) {
    if (counts.size() > MAX_DISTINCT) {
      return null;
    }
    TreeMap<Double, Long> sorted = new TreeMap<>();
    counts.forEach((value, count) -> sorted.merge(value + 0.0, count, Long::sum));
    double[] v = new double[sorted.size()];
    long[] c = new long[sorted.size()];
    int i = 0;
    for (Map.Entry<Double, Long> entry : sorted.entrySet()) {
      v[i] = entry.getKey();
      c[i++] = entry.getValue();
    }
    return of(v, c);
  }

  /**
   * The union of two count sets, counts added per value: null when either is null (the feature was
   * too diverse somewhere) or when the union has more than {@value #MAX_DISTINCT} values.
   */
  public static ValueCounts merge(ValueCounts a, ValueCounts b) {
    if (a == null || b == null) {
      return null;
    }
    double[] v = new double[MAX_DISTINCT];
    long[] c = new long[MAX_DISTINCT];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.values.length || j < b.values.length) {
      if (n == MAX_DISTINCT) {
        return null;
      }
      if (j == b.values.length || i < a.values.length && a.values[i] < b.values[j]) {
        v[n] = a.values[i];
        c[n++] = a.counts[i++];
      } else if (i == a.values.length || b.values[j] < a.values[i]) {
        v[n] = b.values[j];
        c[n++] = b.counts[j++];
      } else {
        v[n] = a.values[i];
        c[n++] = Math.addExact(a.counts[i++], b.counts[j++]);
      }
    }
    return new ValueCounts(Arrays.copyOf(v, n), Arrays.copyOf(c, n));
  }

  /** The distinct values, strictly increasing (a copy). */
  public double[] values() {
    return values.clone();
  }

  /** The count of each value, in the order of {@link #values()} (a copy). */
  public long[] counts() {
    return counts.clone();
  }

  public int size() {
    return values.length;
  }

  public double value(int i) {
    return values[i];
  }

  public long count(int i) {
    return counts[i];
  }

  /** Sum of the counts: the number of finite values counted. */
  public long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueCounts other
        && Arrays.equals(values, other.values)
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      out.append(i == 0 ? "" : ", ").append(values[i]).append('=').append(counts[i]);
    }
    return out.append('}').toString();
  }
}
