package dev.assay.common.store;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The integrity tables and their schemas. docs/tables.md documents each column. */
public final class IntegrityTables {
  private IntegrityTables() {}

  public static final IntegrityTable RUNS =
      new IntegrityTable(
          "runs",
          schema(
              field("dataset", StringType),
              field("run_id", StringType),
              field("job", StringType),
              field("partitions", createArrayType(StringType, false)),
              field("input_table", StringType),
              field("input_version", LongType),
              field("config_sha256", StringType),
              field("assay_version", StringType),
              field("started_at", TimestampType),
              field("finished_at", TimestampType),
              field("status", StringType),
              field("rows_read", LongType),
              field("message", StringType)));

  public static final DataType BINS =
      createArrayType(
          createStructType(
              new StructField[] {
                field("lower", DoubleType), field("upper", DoubleType), field("count", LongType)
              }),
          false);

  /** Exact counts of a low-cardinality numeric feature's finite values, in increasing value order. */
  public static final DataType EXACT_VALUES =
      createArrayType(
          createStructType(new StructField[] {field("value", DoubleType), field("count", LongType)}),
          false);

  public static final DataType CATEGORIES =
      createArrayType(
          createStructType(new StructField[] {field("value", StringType), field("count", LongType)}),
          false);

  public static final IntegrityTable FEATURE_PROFILES =
      new IntegrityTable(
          "feature_profiles",
          result(
              field("feature", StringType),
              field("kind", StringType),
              field("rows", LongType),
              field("nulls", LongType),
              field("non_finite", LongType),
              field("distinct_estimate", LongType),
              field("min", DoubleType),
              field("max", DoubleType),
              field("mean", DoubleType),
              field("stddev", DoubleType),
              field("sum", DoubleType),
              field("sum_squares", DoubleType),
              field("bins", BINS),
              field("categories", CATEGORIES),
              field("other_count", LongType),
              field("kll_sketch", BinaryType),
              field("hll_sketch", BinaryType),
              field("exact_values", EXACT_VALUES)));

  /** State: the frozen histogram edges per numeric feature, so every partition is comparable. */
  public static final IntegrityTable FEATURE_EDGES =
      new IntegrityTable(
          "feature_edges",
          schema(
              field("dataset", StringType),
              field("feature", StringType),
              field("edges", createArrayType(DoubleType, false)),
              field("source_partition", StringType),
              field("run_id", StringType)));

  public static final IntegrityTable FEATURE_DRIFT =
      new IntegrityTable(
          "feature_drift",
          result(
              field("feature", StringType),
              field("kind", StringType),
              field("baseline", createArrayType(StringType, false)),
              field("rows", LongType),
              field("baseline_rows", LongType),
              field("psi", DoubleType),
              field("js_distance", DoubleType),
              field("wasserstein_norm", DoubleType),
              field("ks_stat", DoubleType),
              field("linf", DoubleType),
              field("chi2_pvalue", DoubleType),
              field("null_share", DoubleType),
              field("baseline_null_share", DoubleType),
              field("non_finite_share", DoubleType),
              field("status", StringType),
              field("reason", StringType)));

  private static final DataType STRINGS = createArrayType(StringType, false);

  public static final IntegrityTable LABEL_DRIFT =
      new IntegrityTable(
          "label_drift",
          result(
              field("segment_column", StringType),
              field("segment_value", StringType),
              field("baseline", STRINGS),
              field("rows", LongType),
              field("baseline_rows", LongType),
              field("null_labels", LongType),
              field("label_counts", CATEGORIES),
              field("baseline_counts", CATEGORIES),
              field("psi", DoubleType),
              field("js_distance", DoubleType),
              field("chi2_pvalue", DoubleType),
              field("p_adjusted", DoubleType),
              field("max_share_delta", DoubleType),
              field("max_share_label", StringType),
              field("status", StringType),
              field("reason", StringType),
              field("note", StringType),
              field("cusum", DoubleType),
              field("cusum_label", StringType),
              field("anchor_partitions", STRINGS)));

  /** State: per partition, label and feature, the counts of each value (or bin) of the feature. */
  public static final IntegrityTable LABEL_PROFILES =
      new IntegrityTable(
          "label_profiles",
          result(
              field("feature", StringType),
              field("kind", StringType),
              field("label", StringType),
              field("items", CATEGORIES)));

  public static final IntegrityTable CLASS_DRIFT =
      new IntegrityTable(
          "class_conditional_drift",
          result(
              field("feature", StringType),
              field("label", StringType),
              field("baseline", STRINGS),
              field("rows", LongType),
              field("baseline_rows", LongType),
              field("psi", DoubleType),
              field("marginal_psi", DoubleType),
              field("chi2_pvalue", DoubleType),
              field("p_adjusted", DoubleType),
              field("status", StringType),
              field("reason", StringType)));

  public static final IntegrityTable TRIGGERS =
      new IntegrityTable(
          "trigger_candidates",
          result(
              field("trigger", StringType),
              field("columns", STRINGS),
              field("trigger_values", STRINGS),
              field("target_label", StringType),
              field("support", LongType),
              field("target_rows", LongType),
              field("purity", DoubleType),
              field("baseline_share", DoubleType),
              field("lift", DoubleType),
              field("sample_ids", STRINGS),
              field("status", StringType),
              field("reason", StringType)));

  public static final IntegrityTable TRIGGER_EVIDENCE =
      new IntegrityTable(
          "trigger_evidence",
          result(
              field("trigger", StringType),
              field("row_id", StringType),
              field("label", StringType),
              field("row", StringType)));

  public static final DataType CONFUSION =
      createArrayType(
          createStructType(new StructField[] {
            field("label", StringType), field("consensus", StringType), field("count", LongType)
          }),
          false);

  public static final IntegrityTable ANNOTATOR_AGREEMENT =
      new IntegrityTable(
          "annotator_agreement",
          result(
              field("annotator", StringType),
              field("items", LongType),
              field("judgements", LongType),
              field("kappa", DoubleType),
              field("observed_agreement", DoubleType),
              field("baseline_kappa", DoubleType),
              field("confusion", CONFUSION),
              field("status", StringType),
              field("reason", StringType)));

  /** State: the fingerprint index, one row per (partition, content fingerprint). */
  public static final IntegrityTable DUPLICATE_INDEX =
      new IntegrityTable(
          "duplicate_index",
          result(
              field("fp_hi", LongType),
              field("fp_lo", LongType),
              field("feature_hi", LongType),
              field("feature_lo", LongType),
              field("label", StringType),
              field("rows", LongType),
              field("sample_id", StringType)));

  public static final IntegrityTable DUPLICATES =
      new IntegrityTable(
          "duplicates",
          result(
              field("kind", StringType),
              field("fingerprint", StringType),
              field("occurrences", LongType),
              field("first_seen_partition", StringType),
              field("labels", STRINGS),
              field("sample_ids", STRINGS),
              field("similarity", DoubleType),
              field("note", StringType)));

  public static final IntegrityTable DUPLICATE_SUMMARY =
      new IntegrityTable(
          "duplicate_summary",
          result(
              field("rows", LongType),
              field("distinct_rows", LongType),
              field("duplicate_rows", LongType),
              field("recurring_rows", LongType),
              field("replayed_rows", LongType),
              field("conflict_rows", LongType),
              field("within_conflict_rows", LongType),
              field("near_duplicate_rows", LongType),
              field("history_partitions", LongType),
              field("duplicate_rate", DoubleType),
              field("replay_rate", DoubleType),
              field("conflict_rate", DoubleType),
              field("near_duplicate_rate", DoubleType),
              field("baseline", STRINGS),
              field("baseline_duplicate_rate", DoubleType),
              field("baseline_replay_rate", DoubleType),
              field("baseline_conflict_rate", DoubleType),
              field("baseline_near_duplicate_rate", DoubleType),
              field("replay_source", StringType),
              field("replay_source_rows", LongType),
              field("replay_source_expected", DoubleType),
              field("replay_source_excess", DoubleType),
              field("low_entropy", DataTypes.BooleanType),
              field("status", StringType),
              field("reason", StringType),
              field("note", StringType)));

  public static final IntegrityTable CLIENT_ANOMALIES =
      new IntegrityTable(
          "client_anomalies",
          result(
              field("client_id", StringType),
              field("layer", StringType),
              field("dim", LongType),
              field("norm", DoubleType),
              field("norm_z", DoubleType),
              field("cosine_to_median", DoubleType),
              field("cosine_z", DoubleType),
              field("projection", DoubleType),
              field("projection_z", DoubleType),
              field("sign_agreement", DoubleType),
              field("krum_score", DoubleType),
              field("krum_z", DoubleType),
              field("flip_score", DoubleType),
              field("sybil_score", DoubleType),
              field("sybil_partner", StringType),
              field("sybil_z", DoubleType),
              field("history_rounds", LongType),
              field("history_norm_z", DoubleType),
              field("history_cosine", DoubleType),
              field("history_cosine_z", DoubleType),
              field("non_finite", LongType),
              field("score", DoubleType),
              field("flagged", DataTypes.BooleanType),
              field("reasons", STRINGS),
              field("status", StringType),
              field("reason", StringType),
              field("note", StringType)));

  /** State: each client's history through a round (every client seen so far, carried forward). */
  public static final IntegrityTable CLIENT_HISTORY =
      new IntegrityTable(
          "client_history",
          result(
              field("client_id", StringType),
              field("rounds", LongType),
              field("dim", LongType),
              field("sketch", createArrayType(DoubleType, false)),
              field("norm_count", LongType),
              field("norm_mean", DoubleType),
              field("norm_m2", DoubleType),
              field("cosine_count", LongType),
              field("cosine_mean", DoubleType),
              field("cosine_m2", DoubleType),
              field("krum_spreads", createArrayType(DoubleType, false))));

  /** One row per constraint and partition: the metric, its value, the expected range and the status. */
  public static final IntegrityTable CHECK_RESULTS =
      new IntegrityTable(
          "check_results",
          result(
              field("check", StringType),
              field("constraint", StringType),
              field("level", StringType),
              field("metric", StringType),
              field("subject", StringType),
              field("value", DoubleType),
              field("rows", LongType),
              field("failing_rows", LongType),
              field("assertion", StringType),
              field("anomaly_strategy", StringType),
              field("expected_low", DoubleType),
              field("expected_high", DoubleType),
              field("history", STRINGS),
              field("hint", StringType),
              field("message", StringType),
              field("status", StringType),
              field("reason", StringType)));

  public static final IntegrityTable VERDICTS =
      new IntegrityTable(
          "verdicts",
          result(
              field("verdict", StringType),
              field("reasons", createArrayType(StringType, false)),
              field("input_version", LongType),
              field("decided_at", TimestampType),
              field("key_id", StringType),
              field("signature", StringType)));

  /**
   * The red team's scorecard: one row per injected attack and one for the untouched partitions, from
   * {@code assay evaluate}. Not a verdict source (no status or reason columns).
   */
  public static final IntegrityTable SCORECARD =
      new IntegrityTable(
          "scorecard",
          schema(
              field("dataset", StringType),
              field("run_id", StringType),
              field("attack_id", StringType),
              field("attack", StringType),
              field("parameters", StringType),
              field("partitions", createArrayType(StringType, false)),
              field("flagged_partitions", createArrayType(StringType, false)),
              field("warned_partitions", createArrayType(StringType, false)),
              field("detected", DataTypes.BooleanType),
              field("first_flagged", StringType),
              field("partitions_to_detect", LongType),
              field("rows", LongType),
              field("rows_flagged", LongType),
              field("recall", DoubleType),
              field("precision", DoubleType),
              field("evidence", StringType),
              field("reasons", createArrayType(StringType, false))));

  /** Every table, in the order they are created and documented. */
  public static List<IntegrityTable> all() {
    return List.of(RUNS, FEATURE_PROFILES, FEATURE_EDGES, FEATURE_DRIFT, LABEL_DRIFT, LABEL_PROFILES,
        CLASS_DRIFT, TRIGGERS, TRIGGER_EVIDENCE, ANNOTATOR_AGREEMENT, DUPLICATE_INDEX, DUPLICATES, DUPLICATE_SUMMARY,
        CLIENT_ANOMALIES, CLIENT_HISTORY, CHECK_RESULTS, VERDICTS, SCORECARD);
  }

  /** Result tables whose rows feed verdicts. */
  public static List<IntegrityTable> verdictSources() {
    List<IntegrityTable> sources = new ArrayList<>();
    for (IntegrityTable table : all()) {
      if (table.feedsVerdicts()) {
        sources.add(table);
      }
    }
    return sources;
  }

  private static StructField field(String name, DataType type) {
    return createStructField(name, type, true);
  }

  /** A result table's schema: dataset, partition and run_id, then {@code fields}. */
  private static StructType result(StructField... fields) {
    StructField[] all = new StructField[fields.length + 3];
    all[0] = field("dataset", StringType);
    all[1] = field("partition", StringType);
    all[2] = field("run_id", StringType);
    System.arraycopy(fields, 0, all, 3, fields.length);
    return createStructType(all);
  }

  private static StructType schema(StructField... fields) {
    return createStructType(fields);
  }
}
