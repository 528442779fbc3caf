package dev.assay.common.records;

/** How often one finite value of a low-cardinality numeric feature occurs. */
public record ExactCount(Double value, Long count) {}
