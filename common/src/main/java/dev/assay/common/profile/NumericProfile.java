package dev.assay.common.profile;

import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.stats.Moments;
import dev.assay.common.stats.ValueCounts;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The mergeable state of one numeric feature over one or more partitions: counts, exact moments of
 * the finite values, a histogram over frozen edges, a KLL quantile sketch (k=200: about 1.65%
 * normalised rank error), and exact value counts while the feature has at most {@value
 * ValueCounts#MAX_DISTINCT} distinct finite values.
 *
 * @param rows all rows
 * @param nulls rows where the feature is null
 * @param nonFinite rows where it is NaN or ±Infinity (left out of moments, histogram and sketch)
 * @param distinctEstimate HLL estimate of distinct values (not merged: -1 for merged states)
 * @param exactValues counts of each distinct finite value; null when there are more than {@value
 *     ValueCounts#MAX_DISTINCT} of them (or the row predates these counts)
 */
public record NumericProfile(
    String feature,
    long rows,
    long nulls,
    long nonFinite,
    long distinctEstimate,
    Moments moments,
    BinnedHistogram histogram,
    byte[] kllSketch,
    ValueCounts exactValues) {

  /** The sketch, or null when none was stored. */
  public KllDoublesSketch kll() {
    return kllSketch == null ? null : KllDoublesSketch.heapify(Memory.wrap(kllSketch));
  }

  /**
   * Sums this state with another of the same feature and edges. Exact value counts survive only
   * when both sides have them and their union stays within the cap.
   */
  public NumericProfile merge(NumericProfile other) {
    byte[] sketch = null;
    if (kllSketch != null && other.kllSketch != null) {
      KllDoublesSketch merged = KllDoublesSketch.newHeapInstance(kll().getK());
      merged.merge(kll());
      merged.merge(other.kll());
      sketch = merged.toByteArray();
    }
    return new NumericProfile(
        feature,
        rows + other.rows,
        nulls + other.nulls,
        nonFinite + other.nonFinite,
        -1,
        moments.merge(other.moments),
        histogram.merge(other.histogram),
        sketch,
        ValueCounts.merge(exactValues, other.exactValues));
  }
}
