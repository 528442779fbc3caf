package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.annotator_agreement}: one annotator's agreement with the consensus.
 * docs/tables.md documents each column.
 */
@Table("annotator_agreement")
public record AnnotatorAgreementRecord(
    String dataset,
    String partition,
    String runId,
    String annotator,
    Long items,
    Long judgements,
    Double kappa,
    Double observedAgreement,
    Double baselineKappa,
    List<ConfusionCell> confusion,
    String status,
    String reason) {}
