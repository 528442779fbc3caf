package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.class_conditional_drift}: one feature's drift within one class against
 * its baseline. docs/tables.md documents each column.
 */
@Table("class_conditional_drift")
public record ClassDriftRecord(
    String dataset,
    String partition,
    String runId,
    String feature,
    String label,
    List<String> baseline,
    Long rows,
    Long baselineRows,
    Double psi,
    Double marginalPsi,
    Double chi2Pvalue,
    Double pAdjusted,
    String status,
    String reason) {}
