package dev.assay.jobs.label;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.CategoryCount;
import dev.assay.common.records.LabelDriftRecord;
import dev.assay.common.records.LabelProfileRecord;
import dev.assay.common.store.IntegrityTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    for (LabelDriftRecord row : wholePartitionRows(context, "partition")) {
      partitions.add(row.partition());
    }
    return partitions;
  }

  /** The dataset's stored whole-partition label-drift rows (not segments), with {@code columns}. */
  static List<LabelDriftRecord> wholePartitionRows(JobContext context, String... columns) {
    return IntegrityTables.LABEL_DRIFT.collect(
        context
            .store()
            .read(IntegrityTables.LABEL_DRIFT)
            .where(
                col("dataset")
                    .equalTo(context.dataset().name())
                    .and(col("segment_column").isNull()))
            .selectExpr(columns));
  }

  /** The stored kind (exact, binned, categorical) of each feature, from any earlier run. */
  static Map<String, String> kinds(JobContext context) {
    Map<String, String> kinds = new HashMap<>();
    for (LabelProfileRecord row :
        IntegrityTables.LABEL_PROFILES.collect(
            context
                .store()
                .read(IntegrityTables.LABEL_PROFILES)
                .where(col("dataset").equalTo(context.dataset().name()))
                .select("feature", "kind")
                .distinct())) {
      kinds.put(row.feature(), row.kind());
    }
    return kinds;
  }

  /** The stored states of {@code partitions}. */
  static Map<String, LabelState> load(
      JobContext context,
      Set<String> partitions,
      List<String> segmentColumns,
      List<String> features) {
    Map<String, LabelState> states = new HashMap<>();
    if (partitions.isEmpty()) {
      return states;
    }
    String dataset = context.dataset().name();
    Object[] wanted = partitions.toArray();
    for (LabelDriftRecord row :
        IntegrityTables.LABEL_DRIFT.collect(
            context
                .store()
                .read(IntegrityTables.LABEL_DRIFT)
                .where(col("dataset").equalTo(dataset).and(col("partition").isin(wanted)))
                .select(
                    "partition",
                    "segment_column",
                    "segment_value",
                    "rows",
                    "null_labels",
                    "label_counts"))) {
      LabelState state =
          states.computeIfAbsent(
              row.partition(), p -> new LabelState(segmentColumns.size(), features.size()));
      Map<String, Long> counts = counts(row.labelCounts());
      if (row.segmentColumn() == null) {
        state.rows = row.rows();
        state.nullLabels = row.nullLabels();
        state.labels.putAll(counts);
        continue;
      }
      int segment = segmentColumns.indexOf(row.segmentColumn());
      if (segment >= 0) {
        state.segments.get(segment).put(row.segmentValue(), counts);
      }
    }
    for (LabelProfileRecord row :
        IntegrityTables.LABEL_PROFILES.collect(
            context
                .store()
                .read(IntegrityTables.LABEL_PROFILES)
                .where(col("dataset").equalTo(dataset).and(col("partition").isin(wanted)))
                .select("partition", "feature", "label", "items"))) {
      LabelState state = states.get(row.partition());
      int feature = features.indexOf(row.feature());
      if (state == null || feature < 0) {
        continue;
      }
      String label = row.label();
      Map<String, Map<String, Long>> items = state.features.get(feature);
      counts(row.items())
          .forEach(
              (item, count) ->
                  items.computeIfAbsent(item, k -> new HashMap<>()).merge(label, count, Long::sum));
    }
    return states;
  }

  /** The {@code label_profiles} rows of one partition's state. */
  static List<LabelProfileRecord> profiles(Scope scope, LabelState state, FeatureItems[] features) {
    List<LabelProfileRecord> rows = new ArrayList<>();
    for (int f = 0; f < features.length; f++) {
      if (features[f].mode() == FeatureItems.Mode.SKIPPED) {
        continue;
      }
      Map<String, Map<String, Long>> byLabel = new HashMap<>();
      state
          .features
          .get(f)
          .forEach(
              (item, labels) ->
                  labels.forEach(
                      (label, count) ->
                          byLabel.computeIfAbsent(label, k -> new HashMap<>()).put(item, count)));
      for (Map.Entry<String, Map<String, Long>> entry : byLabel.entrySet()) {
        rows.add(
            new LabelProfileRecord(
                scope.dataset(),
                scope.partition(),
                scope.runId(),
                features[f].feature(),
                features[f].kind(),
                entry.getKey(),
                countList(entry.getValue())));
      }
    }
    return rows;
  }

  /** Counts as (value, count) pairs, largest first. */
  static List<CategoryCount> countList(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(e -> e.getKey() == null ? "" : e.getKey()));
    List<CategoryCount> list = new ArrayList<>(entries.size());
    for (Map.Entry<String, Long> entry : entries) {
      list.add(new CategoryCount(entry.getKey(), entry.getValue()));
    }
    return list;
  }

  /** Stored (value, count) pairs as a map; null reads as no counts. */
  static Map<String, Long> counts(List<CategoryCount> list) {
    if (list == null) {
      // Assay always writes a list (empty when there is nothing to count): never read null as
      // "none"
      throw AssayException.failed(
          "a stored label_drift or label_profiles row has null counts, so it was written outside"
              + " Assay; re-run `assay label-drift` on the dataset's partitions, and check who else"
              + " writes the integrity tables",
          null);
    }
    Map<String, Long> counts = new HashMap<>();
    for (CategoryCount count : list) {
      counts.merge(count.value(), count.count(), Long::sum);
    }
    return counts;
  }
}
