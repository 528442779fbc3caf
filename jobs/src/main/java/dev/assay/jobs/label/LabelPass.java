package dev.assay.jobs.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The one pass of the label job over {@code InternalRow}s laid out as (partition string, label
 * string, segment strings..., feature values...), numeric features as doubles and categorical ones
 * as strings. Per task it counts into primitive arrays indexed by a task-local label dictionary and
 * emits one small {@link LabelState} per partition.
 */
final class LabelPass implements FlatMapFunction<Iterator<InternalRow>, Map<String, LabelState>> {
  private static final long serialVersionUID = 1L;
  /** Items kept per feature and task; further new items are counted under {@link #OTHER}. */
  static final int MAX_ITEMS = 20_000;
  static final String OTHER = "(other)";

  private final int segmentColumns;
  private final FeatureItems[] features;

  LabelPass(int segmentColumns, FeatureItems[] features) {
    this.segmentColumns = segmentColumns;
    this.features = features;
  }

  /** Counts of one partition within one task, keyed by raw values and label indexes. */
  private final class TaskCounts {
    long rows;
    long nullLabels;
    long[] labels = new long[0];
    final List<Map<Object, long[]>> segments = new ArrayList<>();
    final List<Map<Object, long[]>> items = new ArrayList<>();
    /** Per binned feature, slot → rows per label: arrays, not maps, on the hottest path. */
    final long[][][] binned = new long[features.length][][];

    TaskCounts() {
      for (int f = 0; f < features.length; f++) {
        if (features[f].mode() == FeatureItems.Mode.BINNED) {
          binned[f] = new long[features[f].slots()][];
        }
      }
      for (int s = 0; s < segmentColumns; s++) {
        segments.add(new HashMap<>());
      }
      for (int f = 0; f < features.length; f++) {
        items.add(new HashMap<>());
      }
    }
  }

  @Override
  public Iterator<Map<String, LabelState>> call(Iterator<InternalRow> rows) {
    Map<UTF8String, Integer> labelIndex = new HashMap<>();
    List<String> labelNames = new ArrayList<>();
    Map<UTF8String, TaskCounts> byPartition = new HashMap<>();
    UTF8String lastPartition = null;
    TaskCounts current = null;
    int firstFeature = 2 + segmentColumns;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      UTF8String partition = row.getUTF8String(0);
      if (current == null || !partition.equals(lastPartition)) {
        lastPartition = partition.clone();
        current = byPartition.computeIfAbsent(lastPartition, k -> new TaskCounts());
      }
      current.rows++;
      if (row.isNullAt(1)) {
        current.nullLabels++;
        continue;
      }
      UTF8String labelValue = row.getUTF8String(1);
      Integer label = labelIndex.get(labelValue);
      if (label == null) {
        label = labelNames.size();
        labelIndex.put(labelValue.clone(), label);
        labelNames.add(labelValue.toString());
      }
      if (label >= current.labels.length) {
        current.labels = Arrays.copyOf(current.labels, label + 1);
      }
      current.labels[label]++;
      for (int s = 0; s < segmentColumns; s++) {
        Object key = row.isNullAt(2 + s) ? null : row.getUTF8String(2 + s);
        count(current.segments.get(s), key, label, Integer.MAX_VALUE);
      }
      for (int f = 0; f < features.length; f++) {
        FeatureItems items = features[f];
        if (items.mode() == FeatureItems.Mode.SKIPPED) {
          continue;
        }
        int ordinal = firstFeature + f;
        if (current.binned[f] != null) {
          long[][] slots = current.binned[f];
          int slot = row.isNullAt(ordinal) ? items.nullSlot() : items.slot(row.getDouble(ordinal));
          long[] perLabel = slots[slot];
          if (perLabel == null || label >= perLabel.length) {
            perLabel = perLabel == null ? new long[label + 1] : Arrays.copyOf(perLabel, label + 1);
            slots[slot] = perLabel;
          }
          perLabel[label]++;
          continue;
        }
        Object key = row.isNullAt(ordinal) ? null
            : items.numeric() ? items.numericKey(row.getDouble(ordinal)) : row.getUTF8String(ordinal);
        count(current.items.get(f), key, label, MAX_ITEMS);
      }
    }
    Map<String, LabelState> out = new HashMap<>();
    byPartition.forEach((partition, counts) -> out.put(partition.toString(), seal(counts, labelNames)));
    return List.of(out).iterator();
  }

  private static void count(Map<Object, long[]> counts, Object key, int label, int maxKeys) {
    Object stored = key;
    long[] perLabel = counts.get(key);
    if (perLabel == null) {
      stored = key instanceof UTF8String text ? text.clone() : key;
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

  private LabelState seal(TaskCounts counts, List<String> labelNames) {
    LabelState state = new LabelState(segmentColumns, features.length);
    state.rows = counts.rows;
    state.nullLabels = counts.nullLabels;
    state.labels.putAll(named(counts.labels, labelNames));
    for (int s = 0; s < segmentColumns; s++) {
      Map<String, Map<String, Long>> segment = state.segments.get(s);
      counts.segments.get(s).forEach((key, perLabel) ->
          segment.put(key == null ? null : key.toString(), named(perLabel, labelNames)));
    }
    for (int f = 0; f < features.length; f++) {
      FeatureItems items = features[f];
      Map<String, Map<String, Long>> feature = state.features.get(f);
      if (counts.binned[f] != null) {
        for (int slot = 0; slot < counts.binned[f].length; slot++) {
          if (counts.binned[f][slot] != null) {
            feature.put(items.itemOf(items.slotKey(slot)), named(counts.binned[f][slot], labelNames));
          }
        }
      }
      counts.items.get(f).forEach((key, perLabel) ->
          feature.put(items.itemOf(key instanceof UTF8String t ? t.toString() : key), named(perLabel, labelNames)));
    }
    return state;
  }

  private static Map<String, Long> named(long[] perLabel, List<String> labelNames) {
    Map<String, Long> named = new HashMap<>();
    for (int i = 0; i < perLabel.length; i++) {
      if (perLabel[i] > 0) {
        named.put(labelNames.get(i), perLabel[i]);
      }
    }
    return named;
  }
}
