package dev.assay.common.records;

/** How often one category (or label, or feature value) occurs. */
public record CategoryCount(String value, Long count) {}
