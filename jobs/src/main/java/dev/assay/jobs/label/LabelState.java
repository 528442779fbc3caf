package dev.assay.jobs.label;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass learns about a partition's labels: label counts overall, per value of each segment
 * column, and per item of each feature. Maps allow null keys (a null segment value or feature
 * item).
 */
final class LabelState implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  long nullLabels;
  final Map<String, Long> labels = new HashMap<>();

  /** Per segment column: segment value → label → rows. */
  final List<Map<String, Map<String, Long>>> segments = new ArrayList<>();

  /** Per feature: item → label → rows. */
  final List<Map<String, Map<String, Long>>> features = new ArrayList<>();

  LabelState(int segmentColumns, int featureCount) {
    for (int s = 0; s < segmentColumns; s++) {
      segments.add(new HashMap<>());
    }
    for (int f = 0; f < featureCount; f++) {
      features.add(new HashMap<>());
    }
  }

  LabelState merge(LabelState other) {
    rows += other.rows;
    nullLabels += other.nullLabels;
    other.labels.forEach((label, count) -> labels.merge(label, count, Long::sum));
    for (int s = 0; s < segments.size(); s++) {
      mergeNested(segments.get(s), other.segments.get(s));
    }
    for (int f = 0; f < features.size(); f++) {
      mergeNested(features.get(f), other.features.get(f));
    }
    return this;
  }

  /** Takes another state's counts out of this one (which must contain them): a merge undone. */
  LabelState subtract(LabelState other) {
    rows -= other.rows;
    nullLabels -= other.nullLabels;
    other.labels.forEach((label, count) -> labels.merge(label, -count, Long::sum));
    for (int s = 0; s < segments.size(); s++) {
      subtractNested(segments.get(s), other.segments.get(s));
    }
    for (int f = 0; f < features.size(); f++) {
      subtractNested(features.get(f), other.features.get(f));
    }
    return this;
  }

  private static void subtractNested(
      Map<String, Map<String, Long>> from, Map<String, Map<String, Long>> taken) {
    taken.forEach(
        (key, counts) -> {
          Map<String, Long> target = from.get(key);
          counts.forEach(
              (label, count) -> {
                if (target.merge(label, -count, Long::sum) == 0) {
                  target.remove(label);
                }
              });
          if (target.isEmpty()) {
            from.remove(key);
          }
        });
  }

  static void mergeNested(
      Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> from) {
    from.forEach(
        (key, counts) -> {
          Map<String, Long> target = into.computeIfAbsent(key, k -> new HashMap<>());
          counts.forEach((label, count) -> target.merge(label, count, Long::sum));
        });
  }
}
