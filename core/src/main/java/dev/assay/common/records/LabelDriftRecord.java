package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.label_drift}: label drift of one segment (or the whole partition)
 * against its baseline. docs/tables.md documents each column.
 */
@Table("label_drift")
public record LabelDriftRecord(
    String dataset,
    String partition,
    String runId,
    String segmentColumn,
    String segmentValue,
    List<String> baseline,
    Long rows,
    Long baselineRows,
    Long nullLabels,
    List<CategoryCount> labelCounts,
    List<CategoryCount> baselineCounts,
    Double psi,
    Double jsDistance,
    Double chi2Pvalue,
    Double pAdjusted,
    Double maxShareDelta,
    String maxShareLabel,
    String status,
    String reason,
    String note,
    Double cusum,
    String cusumLabel,
    List<String> anchorPartitions) {}
