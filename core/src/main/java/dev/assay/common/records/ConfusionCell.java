package dev.assay.common.records;

/** How often an annotator gave {@code label} where the consensus was {@code consensus}. */
public record ConfusionCell(String label, String consensus, Long count) {}
