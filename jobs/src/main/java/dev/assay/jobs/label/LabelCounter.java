package dev.assay.jobs.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One task's label counts, per partition, in primitive arrays indexed by a task-local label
 * dictionary: binned features in arrays of slots, other items in hash maps. {@link #seal()} turns
 * them into one {@link LabelState} per partition. Both the row pass and the column-batch pass use
 * it.
 */
final class LabelCounter {
  /** Items kept per feature and task; further new items are counted under {@link #OTHER}. */
  static final int MAX_ITEMS = 20_000;

  static final String OTHER = "(other)";

  /**
   * Segment values kept per segment column and task; further new values are counted under {@link
   * #OTHER}.
   */
  static final int MAX_SEGMENTS = 10_000;

  private final int segmentColumns;
  private final FeatureItems[] features;
  private final Map<UTF8String, Integer> labelIndex = new HashMap<>();
  private final List<String> labelNames = new ArrayList<>();
  private final Map<String, Counts> byPartition = new HashMap<>();

  LabelCounter(int segmentColumns, FeatureItems[] features) {
    this.segmentColumns = segmentColumns;
    this.features = features;
  }

  /** The index of a label value; -1 for null. */
  int label(UTF8String value) {
    if (value == null) {
      return -1;
    }
    Integer index = labelIndex.get(value);
    if (index == null) {
      index = labelNames.size();
      labelIndex.put(value.clone(), index);
      labelNames.add(value.toString());
    }
    return index;
  }

  Counts partition(String partition) {
    return byPartition.computeIfAbsent(partition, k -> new Counts());
  }

  /** The counts of one partition within the task. */
  final class Counts {
    private long rows;
    private long nullLabels;
    private long[] labels = new long[0];
    private final List<Map<Object, long[]>> segments = new ArrayList<>();
    private final List<Map<Object, long[]>> items = new ArrayList<>();

    /** Per binned feature, slot → rows per label: arrays, not maps, on the hottest path. */
    private final long[][][] binned = new long[features.length][][];

    private Counts() {
      for (int s = 0; s < segmentColumns; s++) {
        segments.add(new HashMap<>());
      }
      for (int f = 0; f < features.length; f++) {
        items.add(new HashMap<>());
        if (features[f].mode() == FeatureItems.Mode.BINNED) {
          binned[f] = new long[features[f].slots()][];
        }
      }
    }

    /** One row with label index {@code label} (-1: null). */
    void row(int label) {
      rows++;
      if (label < 0) {
        nullLabels++;
      } else {
        labels = increment(labels, label);
      }
    }

    void segment(int s, UTF8String value, int label) {
      count(segments.get(s), value, label, MAX_SEGMENTS);
    }

    /**
     * A numeric feature's value; returns its exact item key (null for null or a binned feature).
     */
    Object number(int f, boolean isNull, double value, int label) {
      FeatureItems feature = features[f];
      if (binned[f] != null) {
        int slot = isNull ? feature.nullSlot() : feature.slot(value);
        binned[f][slot] =
            increment(binned[f][slot] == null ? new long[label + 1] : binned[f][slot], label);
      } else if (feature.mode() == FeatureItems.Mode.EXACT) {
        Object key = isNull ? null : feature.numericKey(value);
        count(items.get(f), key, label, MAX_ITEMS);
        return key;
      }
      return null;
    }

    /** A categorical feature's value, null for null; returns it as its item key. */
    Object text(int f, UTF8String value, int label) {
      if (features[f].mode() == FeatureItems.Mode.CATEGORY) {
        count(items.get(f), value, label, MAX_ITEMS);
      }
      return value;
    }

    /** A combination of the item keys of a pair feature's two features in one row. */
    void pair(int f, Object first, Object second, int label) {
      count(items.get(f), new PairKey(first, second), label, MAX_ITEMS);
    }
  }

  private static long[] increment(long[] perLabel, int label) {
    long[] counts = label < perLabel.length ? perLabel : Arrays.copyOf(perLabel, label + 1);
    counts[label]++;
    return counts;
  }

  /** Two item keys of one row; text keys point into column buffers until stored. */
  private record PairKey(Object first, Object second) {
    PairKey stored() {
      return new PairKey(
          first instanceof UTF8String t ? t.clone() : first,
          second instanceof UTF8String t ? t.clone() : second);
    }
  }

  private static void count(Map<Object, long[]> counts, Object key, int label, int maxKeys) {
    Object stored = key;
    long[] perLabel = counts.get(key);
    if (perLabel == null) {
      stored =
          key instanceof UTF8String text
              ? text.clone()
              : key instanceof PairKey pair ? pair.stored() : key;
      if (counts.size() >= maxKeys) {
        stored = OTHER;
        perLabel = counts.get(OTHER);
      }
    }
    if (perLabel == null || label >= perLabel.length) {
      perLabel = perLabel == null ? new long[label + 1] : Arrays.copyOf(perLabel, label + 1);
      counts.put(stored, perLabel);
    }
    perLabel[label]++;
  }

  /** One state per partition seen by the task. */
  Map<String, LabelState> seal() {
    Map<String, LabelState> out = new HashMap<>();
    byPartition.forEach((partition, counts) -> out.put(partition, seal(counts)));
    return out;
  }

  private LabelState seal(Counts counts) {
    LabelState state = new LabelState(segmentColumns, features.length);
    state.rows = counts.rows;
    state.nullLabels = counts.nullLabels;
    state.labels.putAll(named(counts.labels));
    for (int s = 0; s < segmentColumns; s++) {
      Map<String, Map<String, Long>> segment = state.segments.get(s);
      counts
          .segments
          .get(s)
          .forEach(
              (key, perLabel) -> segment.put(key == null ? null : key.toString(), named(perLabel)));
    }
    for (int f = 0; f < features.length; f++) {
      FeatureItems items = features[f];
      Map<String, Map<String, Long>> feature = state.features.get(f);
      if (counts.binned[f] != null) {
        for (int slot = 0; slot < counts.binned[f].length; slot++) {
          if (counts.binned[f][slot] != null) {
            feature.put(items.itemOf(items.slotKey(slot)), named(counts.binned[f][slot]));
          }
        }
      }
      counts
          .items
          .get(f)
          .forEach(
              (key, perLabel) ->
                  feature.put(
                      key instanceof PairKey pair
                          ? items.pairItem(pair.first(), pair.second())
                          : items.itemOf(key instanceof UTF8String t ? t.toString() : key),
                      named(perLabel)));
    }
    return state;
  }

  private Map<String, Long> named(long[] perLabel) {
    Map<String, Long> named = new HashMap<>();
    for (int i = 0; i < perLabel.length; i++) {
      if (perLabel[i] > 0) {
        named.put(labelNames.get(i), perLabel[i]);
      }
    }
    return named;
  }
}
