package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.duplicates}: one group of duplicate, replayed, conflicting or
 * near-duplicate rows. docs/tables.md documents each column.
 */
@Table("duplicates")
public record DuplicateRecord(
    String dataset,
    String partition,
    String runId,
    String kind,
    String fingerprint,
    Long occurrences,
    String firstSeenPartition,
    List<String> labels,
    List<String> sampleIds,
    Double similarity,
    String note) {}
