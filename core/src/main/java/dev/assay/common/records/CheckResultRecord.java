package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.check_results}: one constraint's outcome in one partition.
 * docs/tables.md documents each column.
 */
@Table("check_results")
public record CheckResultRecord(
    String dataset,
    String partition,
    String runId,
    String check,
    String constraint,
    String level,
    String metric,
    String subject,
    Double value,
    Long rows,
    Long failingRows,
    String assertion,
    String anomalyStrategy,
    Double expectedLow,
    Double expectedHigh,
    List<String> history,
    String hint,
    String message,
    String status,
    String reason) {}
