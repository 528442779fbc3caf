package dev.assay.common.records;

import java.sql.Timestamp;
import java.util.List;

/**
 * A row of {@code integrity.runs}: one run of one job: what it read and how it ended.
 * docs/tables.md documents each column.
 */
@Table("runs")
public record RunRecord(
    String dataset,
    String runId,
    String job,
    List<String> partitions,
    String inputTable,
    Long inputVersion,
    String configSha256,
    String assayVersion,
    Timestamp startedAt,
    Timestamp finishedAt,
    String status,
    Long rowsRead,
    String message) {}
