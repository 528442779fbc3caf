package dev.assay.common.records;

/** One histogram bin: {@code lower} (exclusive) to {@code upper} (inclusive) and its count. */
public record Bin(Double lower, Double upper, Long count) {}
