package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.trigger_candidates}: a candidate backdoor trigger: feature values that
 * predict one label. docs/tables.md documents each column.
 */
@Table("trigger_candidates")
public record TriggerRecord(
    String dataset,
    String partition,
    String runId,
    String trigger,
    List<String> columns,
    List<String> triggerValues,
    String targetLabel,
    Long support,
    Long targetRows,
    Double purity,
    Double baselineShare,
    Double lift,
    List<String> sampleIds,
    String status,
    String reason) {}
