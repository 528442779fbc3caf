package dev.assay.common.records;

/**
 * A row of {@code integrity.trigger_evidence}: one row that carries a flagged trigger.
 * docs/tables.md documents each column.
 */
@Table("trigger_evidence")
public record TriggerEvidenceRecord(
    String dataset,
    String partition,
    String runId,
    String trigger,
    String rowId,
    String label,
    String row) {}
