package dev.assay.common.store;

import dev.assay.common.records.AnnotatorAgreementRecord;
import dev.assay.common.records.CheckResultRecord;
import dev.assay.common.records.ClassDriftRecord;
import dev.assay.common.records.ClientAnomalyRecord;
import dev.assay.common.records.ClientHistoryRecord;
import dev.assay.common.records.DuplicateIndexRecord;
import dev.assay.common.records.DuplicateRecord;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.records.FeatureDriftRecord;
import dev.assay.common.records.FeatureEdgesRecord;
import dev.assay.common.records.FeatureProfileRecord;
import dev.assay.common.records.LabelDriftRecord;
import dev.assay.common.records.LabelProfileRecord;
import dev.assay.common.records.RunRecord;
import dev.assay.common.records.ScorecardRecord;
import dev.assay.common.records.TableRecords;
import dev.assay.common.records.TriggerEvidenceRecord;
import dev.assay.common.records.TriggerRecord;
import dev.assay.common.records.VerdictRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The integrity tables. Each table's columns are its record's components (package {@code
 * dev.assay.common.records}); docs/tables.md documents each column and a test holds it to them.
 */
public final class IntegrityTables {
  private IntegrityTables() {}

  public static final IntegrityTable<RunRecord> RUNS = IntegrityTable.of(RunRecord.class);

  public static final IntegrityTable<FeatureProfileRecord> FEATURE_PROFILES =
      IntegrityTable.of(FeatureProfileRecord.class);

  /** State: the frozen histogram edges per numeric feature, so every partition is comparable. */
  public static final IntegrityTable<FeatureEdgesRecord> FEATURE_EDGES =
      IntegrityTable.of(FeatureEdgesRecord.class);

  public static final IntegrityTable<FeatureDriftRecord> FEATURE_DRIFT =
      IntegrityTable.of(FeatureDriftRecord.class);

  public static final IntegrityTable<LabelDriftRecord> LABEL_DRIFT =
      IntegrityTable.of(LabelDriftRecord.class);

  /** State: per partition, label and feature, the counts of each value (or bin) of the feature. */
  public static final IntegrityTable<LabelProfileRecord> LABEL_PROFILES =
      IntegrityTable.of(LabelProfileRecord.class);

  public static final IntegrityTable<ClassDriftRecord> CLASS_DRIFT =
      IntegrityTable.of(ClassDriftRecord.class);

  public static final IntegrityTable<TriggerRecord> TRIGGERS =
      IntegrityTable.of(TriggerRecord.class);

  public static final IntegrityTable<TriggerEvidenceRecord> TRIGGER_EVIDENCE =
      IntegrityTable.of(TriggerEvidenceRecord.class);

  public static final IntegrityTable<AnnotatorAgreementRecord> ANNOTATOR_AGREEMENT =
      IntegrityTable.of(AnnotatorAgreementRecord.class);

  /** State: the fingerprint index, one row per (partition, content fingerprint). */
  public static final IntegrityTable<DuplicateIndexRecord> DUPLICATE_INDEX =
      IntegrityTable.of(DuplicateIndexRecord.class);

  public static final IntegrityTable<DuplicateRecord> DUPLICATES =
      IntegrityTable.of(DuplicateRecord.class);

  public static final IntegrityTable<DuplicateSummaryRecord> DUPLICATE_SUMMARY =
      IntegrityTable.of(DuplicateSummaryRecord.class);

  public static final IntegrityTable<ClientAnomalyRecord> CLIENT_ANOMALIES =
      IntegrityTable.of(ClientAnomalyRecord.class);

  /** State: each client's history through a round (every client seen so far, carried forward). */
  public static final IntegrityTable<ClientHistoryRecord> CLIENT_HISTORY =
      IntegrityTable.of(ClientHistoryRecord.class);

  /**
   * One row per constraint and partition: the metric, its value, the expected range and the status.
   */
  public static final IntegrityTable<CheckResultRecord> CHECK_RESULTS =
      IntegrityTable.of(CheckResultRecord.class);

  public static final IntegrityTable<VerdictRecord> VERDICTS =
      IntegrityTable.of(VerdictRecord.class);

  /**
   * The red team's scorecard: one row per injected attack and one for the untouched partitions,
   * from {@code assay evaluate}. Not a verdict source (no status or reason columns).
   */
  public static final IntegrityTable<ScorecardRecord> SCORECARD =
      IntegrityTable.of(ScorecardRecord.class);

  /** Every table, in the order they are created and documented. */
  public static List<IntegrityTable<?>> all() {
    List<IntegrityTable<?>> tables = new ArrayList<>();
    for (Class<? extends Record> record : TableRecords.ALL) {
      tables.add(IntegrityTable.of(record));
    }
    return tables;
  }

  /** Result tables whose rows feed verdicts. */
  public static List<IntegrityTable<?>> verdictSources() {
    return all().stream().filter(IntegrityTable::feedsVerdicts).toList();
  }
}
