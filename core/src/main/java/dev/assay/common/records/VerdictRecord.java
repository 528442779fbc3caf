package dev.assay.common.records;

import java.sql.Timestamp;
import java.util.List;

/**
 * A row of {@code integrity.verdicts}: a partition's PASS/WARN/FAIL verdict and why. docs/tables.md
 * documents each column.
 */
@Table("verdicts")
public record VerdictRecord(
    String dataset,
    String partition,
    String runId,
    String verdict,
    List<String> reasons,
    Long inputVersion,
    Timestamp decidedAt,
    String keyId,
    String signature) {}
