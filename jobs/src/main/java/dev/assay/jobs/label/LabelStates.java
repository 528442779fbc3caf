package dev.assay.jobs.label;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.job.JobContext;
import dev.assay.common.store.IntegrityTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Stored label states. A partition's label counts (overall and per segment) live in its {@code
 * label_drift} rows and its per-feature item counts in {@code label_profiles}, so a baseline is a
 * merge of stored rows and never a rescan of old data.
 */
final class LabelStates {
  private LabelStates() {}

  /** Partitions of the dataset with stored label counts. */
  static Set<String> stored(JobContext context) {
    Set<String> partitions = new java.util.HashSet<>();
    for (Row row : context.store().read(IntegrityTables.LABEL_DRIFT)
        .where(col("dataset").equalTo(context.dataset().name()).and(col("segment_column").isNull()))
        .select("partition").collectAsList()) {
      partitions.add(row.getString(0));
    }
    return partitions;
  }

  /** The stored kind (exact, binned, categorical) of each feature, from any earlier run. */
  static Map<String, String> kinds(JobContext context) {
    Map<String, String> kinds = new HashMap<>();
    for (Row row : context.store().read(IntegrityTables.LABEL_PROFILES)
        .where(col("dataset").equalTo(context.dataset().name()))
        .select("feature", "kind").distinct().collectAsList()) {
      kinds.put(row.getString(0), row.getString(1));
    }
    return kinds;
  }

  /** The stored states of {@code partitions}. */
  static Map<String, LabelState> load(JobContext context, Set<String> partitions, List<String> segmentColumns,
      List<String> features) {
    Map<String, LabelState> states = new HashMap<>();
    if (partitions.isEmpty()) {
      return states;
    }
    String dataset = context.dataset().name();
    Object[] wanted = partitions.toArray();
    for (Row row : context.store().read(IntegrityTables.LABEL_DRIFT)
        .where(col("dataset").equalTo(dataset).and(col("partition").isin(wanted)))
        .select("partition", "segment_column", "segment_value", "rows", "null_labels", "label_counts")
        .collectAsList()) {
      LabelState state = states.computeIfAbsent(row.getString(0),
          p -> new LabelState(segmentColumns.size(), features.size()));
      Map<String, Long> counts = counts(row.getList(5));
      if (row.isNullAt(1)) {
        state.rows = row.getLong(3);
        state.nullLabels = row.getLong(4);
        state.labels.putAll(counts);
        continue;
      }
      int segment = segmentColumns.indexOf(row.getString(1));
      if (segment >= 0) {
        state.segments.get(segment).put(row.getString(2), counts);
      }
    }
    for (Row row : context.store().read(IntegrityTables.LABEL_PROFILES)
        .where(col("dataset").equalTo(dataset).and(col("partition").isin(wanted)))
        .select("partition", "feature", "label", "items").collectAsList()) {
      LabelState state = states.get(row.getString(0));
      int feature = features.indexOf(row.getString(1));
      if (state == null || feature < 0) {
        continue;
      }
      String label = row.getString(2);
      Map<String, Map<String, Long>> items = state.features.get(feature);
      counts(row.getList(3)).forEach((item, count) ->
          items.computeIfAbsent(item, k -> new HashMap<>()).merge(label, count, Long::sum));
    }
    return states;
  }

  /** The {@code label_profiles} rows of one partition's state. */
  static List<Row> profileRows(String dataset, String partition, String runId, LabelState state,
      FeatureItems[] features) {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < features.length; f++) {
      if (features[f].mode() == FeatureItems.Mode.SKIPPED) {
        continue;
      }
      Map<String, Map<String, Long>> byLabel = new HashMap<>();
      state.features.get(f).forEach((item, labels) -> labels.forEach((label, count) ->
          byLabel.computeIfAbsent(label, k -> new HashMap<>()).put(item, count)));
      for (Map.Entry<String, Map<String, Long>> entry : byLabel.entrySet()) {
        rows.add(RowFactory.create(dataset, partition, runId, features[f].feature(), features[f].kind(),
            entry.getKey(), countRows(entry.getValue())));
      }
    }
    return rows;
  }

  /** Counts as an array of (value, count) structs, largest first. */
  static Row[] countRows(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(e -> e.getKey() == null ? "" : e.getKey()));
    Row[] rows = new Row[entries.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = RowFactory.create(entries.get(i).getKey(), entries.get(i).getValue());
    }
    return rows;
  }

  static Map<String, Long> counts(List<Row> rows) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : rows) {
      counts.merge(row.isNullAt(0) ? null : row.getString(0), row.getLong(1), Long::sum);
    }
    return counts;
  }
}
