package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.stats.Divergences;
import dev.assay.common.stats.NaturalRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a table's label statistics vary between its partitions: each calibration partition is scored
 * against the merge of the others (leave-one-out). Label counts get an overdispersion factor (the
 * whole partition and each segment value), class-conditional PSIs a natural range. Unknown with
 * fewer than three calibration partitions.
 */
final class LabelRanges {
  static final LabelRanges UNKNOWN = new LabelRanges(Map.of(), Map.of());

  /** The smallest overdispersion taken as real; below it the estimate is within its own noise. */
  static final double MIN_DISPERSION = 2;

  /** Pooled overdispersion of a segment column from which single-segment shifts only inform. */
  static final double NOISY_SEGMENTS = 5;

  /** Partitions from which a segment value's own overdispersion is trusted over its column's. */
  static final int OWN_SAMPLES = 10;

  /**
   * The quantile of the leave-one-out X² the whole partition's overdispersion is taken at. Natural
   * variation is heavy-tailed (a storm day), so a high quantile, divided by the same quantile under
   * sampling alone (about 1 for i.i.d. partitions), describes it better than the median.
   */
  static final double GLOBAL_QUANTILE = 0.9;

  /**
   * The quantile for segment values: the median. One flipped segment in a window partition shifts
   * that segment's leave-one-out values in every other partition too, so a high quantile would let
   * one attack hide the next; noisy segment columns are handled by {@link #NOISY_SEGMENTS} instead.
   */
  static final double SEGMENT_QUANTILE = 0.5;

  private final Map<String, NaturalRange> ranges;

  /** Leave-one-out X² per df over its quantile under sampling alone, by key. */
  private final Map<String, double[]> dispersions;

  private LabelRanges(Map<String, NaturalRange> ranges, Map<String, double[]> dispersions) {
    this.ranges = ranges;
    this.dispersions = dispersions;
  }

  /** The natural range of the whole partition's largest class-share change (null: unknown). */
  NaturalRange globalShare() {
    return ranges.get("share");
  }

  /** The natural range of a segment value's largest class-share change (null: unknown). */
  NaturalRange segmentShare(int column, String value) {
    return ranges.get("share\u0000" + column + "\u0000" + value);
  }

  /**
   * Whether the values of a segment column vary naturally far beyond sampling ({@value
   * #NOISY_SEGMENTS} times or more, pooled over the column): weather at one airport. There a single
   * segment's label shift is as likely natural as an attack, so it is reported but does not raise
   * the status alone.
   */
  boolean noisySegments(int column) {
    Dispersion pooled = dispersion("dispersion\u0000" + column);
    return pooled.samples() > 0 && pooled.factor() >= NOISY_SEGMENTS;
  }

  /** The overdispersion of the whole partition's label counts (1: sampling alone, or unknown). */
  Dispersion global() {
    return dispersion("dispersion");
  }

  /**
   * The overdispersion of one segment value's label counts: its own when estimated from at least
   * {@value #OWN_SAMPLES} partitions (and not below its column's), else the column's, pooled over
   * all its values (a few partitions say little about one value, but much about the column); the
   * whole partition's when neither is known.
   */
  Dispersion segment(int column, String value) {
    Dispersion own = dispersion("dispersion\u0000" + column + "\u0000" + value);
    Dispersion pooled = dispersion("dispersion\u0000" + column);
    if (pooled.samples() == 0) {
      return global();
    }
    return own.samples() >= OWN_SAMPLES && own.factor() > pooled.factor() ? own : pooled;
  }

  /**
   * How much more than sampling a label distribution varies between the calibration partitions: the
   * 90th percentile (whole partition) or median (segment values) of their leave-one-out X² per
   * degree of freedom over the same quantile under sampling alone, at least 1.
   *
   * @param samples partitions it was estimated from (0: unknown, so 1)
   */
  record Dispersion(double factor, int samples) {
    static final Dispersion NONE = new Dispersion(1, 0);

    /** For reasons, for example {@code overdispersion 12.5 over 14 partitions}. */
    String describe() {
      return samples == 0
          ? "overdispersion unknown, taken as 1"
          : "overdispersion "
              + dev.assay.common.verdict.Reasons.number(factor)
              + " over "
              + samples
              + " partitions";
    }
  }

  private Dispersion dispersion(String key) {
    double[] values = dispersions.get(key);
    if (values == null || values.length < NaturalRange.MIN_SAMPLES) {
      return Dispersion.NONE;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double q = key.equals("dispersion") ? GLOBAL_QUANTILE : SEGMENT_QUANTILE;
    double quantile = sorted[(int) Math.ceil(q * sorted.length) - 1];
    // below 2 the estimate is within its own noise (a median of a few χ² draws), so sampling alone
    return new Dispersion(quantile < MIN_DISPERSION ? 1 : quantile, sorted.length);
  }

  NaturalRange conditional(String testKey) {
    return ranges.get("conditional\u0000" + testKey);
  }

  static LabelRanges of(Thresholds t, List<LabelState> baseline, FeatureItems[] items) {
    if (baseline.size() < NaturalRange.MIN_SAMPLES) {
      return UNKNOWN;
    }
    int segmentColumns = baseline.get(0).segments.size();
    Map<String, List<Double>> samples = new HashMap<>();
    LabelState total = new LabelState(segmentColumns, items.length);
    baseline.forEach(total::merge);
    for (int i = 0; i < baseline.size(); i++) {
      LabelState one = baseline.get(i);
      LabelState rest = new LabelState(segmentColumns, items.length).merge(total).subtract(one);
      if (one.labels.isEmpty() || rest.labels.isEmpty()) {
        continue;
      }
      LabelShift whole = LabelShift.of(one.labels, rest.labels);
      add(samples, "dispersion", relativeChi2(whole, GLOBAL_QUANTILE));
      add(samples, "share", whole.maxShareDelta());
      for (int s = 0; s < segmentColumns; s++) {
        for (Map.Entry<String, Map<String, Long>> entry : one.segments.get(s).entrySet()) {
          Map<String, Long> reference = rest.segments.get(s).get(entry.getKey());
          if (reference == null
              || LabelDriftJob.sum(entry.getValue()) < t.segmentMinRows()
              || LabelDriftJob.sum(reference) < t.segmentMinRows()) {
            continue;
          }
          LabelShift segment = LabelShift.of(entry.getValue(), reference);
          double relative = relativeChi2(segment, SEGMENT_QUANTILE);
          add(samples, "dispersion\u0000" + s + "\u0000" + entry.getKey(), relative);
          add(samples, "share\u0000" + s + "\u0000" + entry.getKey(), segment.maxShareDelta());
          add(samples, "dispersion\u0000" + s, relative);
        }
      }
      for (ClassDrift.Test test : ClassDrift.tests(t, one, rest, items)) {
        add(samples, "conditional\u0000" + test.key(), test.psi());
      }
    }
    Map<String, NaturalRange> ranges = new HashMap<>();
    Map<String, double[]> dispersions = new HashMap<>();
    samples.forEach(
        (key, values) -> {
          double[] array =
              values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
          if (key.startsWith("dispersion")) {
            dispersions.put(key, array);
            return;
          }
          NaturalRange range = NaturalRange.of(array);
          if (range != null) {
            ranges.put(key, range);
          }
        });
    return new LabelRanges(ranges, dispersions);
  }

  /**
   * X² per df over its q-quantile under sampling alone: at that quantile about 1 for i.i.d.
   * partitions.
   */
  private static double relativeChi2(LabelShift shift, double q) {
    return shift.df() == 0
        ? Double.NaN
        : shift.chi2PerDf() / Divergences.chiSquarePerDfQuantile(shift.df(), q);
  }

  private static void add(Map<String, List<Double>> samples, String key, double value) {
    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }
}
