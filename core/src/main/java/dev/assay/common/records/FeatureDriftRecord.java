package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.feature_drift}: one feature's drift in one partition against its
 * baseline. docs/tables.md documents each column.
 */
@Table("feature_drift")
public record FeatureDriftRecord(
    String dataset,
    String partition,
    String runId,
    String feature,
    String kind,
    List<String> baseline,
    Long rows,
    Long baselineRows,
    Double psi,
    Double jsDistance,
    Double wassersteinNorm,
    Double ksStat,
    Double linf,
    Double chi2Pvalue,
    Double nullShare,
    Double baselineNullShare,
    Double nonFiniteShare,
    String status,
    String reason) {}
