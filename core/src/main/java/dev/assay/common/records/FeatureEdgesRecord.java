package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.feature_edges}: the frozen histogram edges of one numeric feature.
 * docs/tables.md documents each column.
 */
@Table("feature_edges")
public record FeatureEdgesRecord(
    String dataset, String feature, List<Double> edges, String sourcePartition, String runId) {}
