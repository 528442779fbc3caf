package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.duplicate_summary}: a partition's duplicate, replay and conflict rates
 * against its baseline. docs/tables.md documents each column.
 */
@Table("duplicate_summary")
public record DuplicateSummaryRecord(
    String dataset,
    String partition,
    String runId,
    Long rows,
    Long distinctRows,
    Long duplicateRows,
    Long recurringRows,
    Long replayedRows,
    Long conflictRows,
    Long withinConflictRows,
    Long nearDuplicateRows,
    Long historyPartitions,
    Double duplicateRate,
    Double replayRate,
    Double conflictRate,
    Double nearDuplicateRate,
    List<String> baseline,
    Double baselineDuplicateRate,
    Double baselineReplayRate,
    Double baselineConflictRate,
    Double baselineNearDuplicateRate,
    String replaySource,
    Long replaySourceRows,
    Double replaySourceExpected,
    Double replaySourceExcess,
    Boolean lowEntropy,
    String status,
    String reason,
    String note) {}
