package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.scorecard}: one red-team attack's outcome (or the untouched
 * partitions'). docs/tables.md documents each column.
 */
@Table("scorecard")
public record ScorecardRecord(
    String dataset,
    String runId,
    String attackId,
    String attack,
    String parameters,
    List<String> partitions,
    List<String> flaggedPartitions,
    List<String> warnedPartitions,
    Boolean detected,
    String firstFlagged,
    Long partitionsToDetect,
    Long rows,
    Long rowsFlagged,
    Double recall,
    Double precision,
    String evidence,
    List<String> reasons) {}
