package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.label_profiles}: counts of one feature's values (or bins) among one
 * label's rows. docs/tables.md documents each column.
 */
@Table("label_profiles")
public record LabelProfileRecord(
    String dataset,
    String partition,
    String runId,
    String feature,
    String kind,
    String label,
    List<CategoryCount> items) {}
