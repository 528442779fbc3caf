package dev.assay.common.records;

/**
 * A row of {@code integrity.duplicate_index}: one content fingerprint seen in one partition.
 * docs/tables.md documents each column.
 */
@Table("duplicate_index")
public record DuplicateIndexRecord(
    String dataset,
    String partition,
    String runId,
    Long fpHi,
    Long fpLo,
    Long featureHi,
    Long featureLo,
    String label,
    Long rows,
    String sampleId) {}
