package dev.assay.common.records;

import java.sql.Timestamp;

/** A successful run of {@code integrity.runs} as it concerns one of its partitions. */
public record PartitionRun(
    String partition,
    String runId,
    String job,
    Long inputVersion,
    Timestamp startedAt,
    Timestamp finishedAt) {}
