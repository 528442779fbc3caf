package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.stats.NaturalRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The natural ranges of a table's label statistics over one baseline: each baseline partition is
 * scored against the merge of the others (leave-one-out), for the whole-partition shift, each
 * segment value's shift and each class-conditional PSI. A value within its range is what trusted
 * partitions of this table do on their own. Unknown (null) with fewer than three baseline partitions.
 */
final class LabelRanges {
  static final LabelRanges UNKNOWN = new LabelRanges(Map.of());

  private final Map<String, NaturalRange> ranges;

  private LabelRanges(Map<String, NaturalRange> ranges) {
    this.ranges = ranges;
  }

  NaturalRange globalShare() {
    return ranges.get("share");
  }

  NaturalRange globalPsi() {
    return ranges.get("psi");
  }

  NaturalRange segmentShare(int column, String value) {
    return ranges.get("share\u0000" + column + "\u0000" + value);
  }

  NaturalRange segmentPsi(int column, String value) {
    return ranges.get("psi\u0000" + column + "\u0000" + value);
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
    for (int i = 0; i < baseline.size(); i++) {
      LabelState one = baseline.get(i);
      LabelState rest = new LabelState(segmentColumns, items.length);
      for (int j = 0; j < baseline.size(); j++) {
        if (j != i) {
          rest.merge(baseline.get(j));
        }
      }
      if (one.labels.isEmpty() || rest.labels.isEmpty()) {
        continue;
      }
      LabelShift shift = LabelShift.of(one.labels, rest.labels);
      add(samples, "share", shift.maxShareDelta());
      add(samples, "psi", shift.psi());
      for (int s = 0; s < segmentColumns; s++) {
        for (Map.Entry<String, Map<String, Long>> entry : one.segments.get(s).entrySet()) {
          Map<String, Long> reference = rest.segments.get(s).get(entry.getKey());
          if (reference == null || LabelDriftJob.sum(entry.getValue()) < t.segmentMinRows()
              || LabelDriftJob.sum(reference) < t.segmentMinRows()) {
            continue;
          }
          LabelShift segment = LabelShift.of(entry.getValue(), reference);
          add(samples, "share\u0000" + s + "\u0000" + entry.getKey(), segment.maxShareDelta());
          add(samples, "psi\u0000" + s + "\u0000" + entry.getKey(), segment.psi());
        }
      }
      for (ClassDrift.Test test : ClassDrift.tests(t, one, rest, items)) {
        add(samples, "conditional\u0000" + test.key(), test.psi());
      }
    }
    Map<String, NaturalRange> ranges = new HashMap<>();
    samples.forEach((key, values) -> {
      NaturalRange range = NaturalRange.of(values.stream().mapToDouble(Double::doubleValue).toArray());
      if (range != null) {
        ranges.put(key, range);
      }
    });
    return new LabelRanges(ranges);
  }

  private static void add(Map<String, List<Double>> samples, String key, double value) {
    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }
}
