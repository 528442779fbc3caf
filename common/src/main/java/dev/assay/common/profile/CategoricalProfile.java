package dev.assay.common.profile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mergeable state of one categorical feature: top-K value counts plus an "other" bucket.
 *
 * @param categories value to count, most frequent first
 * @param otherCount non-null rows whose value is outside the top K
 * @param distinctEstimate HLL estimate of distinct values (-1 for merged states)
 */
public record CategoricalProfile(
    String feature,
    long rows,
    long nulls,
    long distinctEstimate,
    Map<String, Long> categories,
    long otherCount) {

  /** Sums counts per value. A value in one side's top K but in the other's "other" stays apart. */
  public CategoricalProfile merge(CategoricalProfile other) {
    Map<String, Long> merged = new LinkedHashMap<>(categories);
    other.categories.forEach((value, count) -> merged.merge(value, count, Long::sum));
    return new CategoricalProfile(
        feature, rows + other.rows, nulls + other.nulls, -1, merged, otherCount + other.otherCount);
  }
}
