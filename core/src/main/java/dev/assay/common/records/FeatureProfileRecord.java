package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.feature_profiles}: one feature's profile in one partition.
 * docs/tables.md documents each column.
 */
@Table("feature_profiles")
public record FeatureProfileRecord(
    String dataset,
    String partition,
    String runId,
    String feature,
    String kind,
    Long rows,
    Long nulls,
    Long nonFinite,
    Long distinctEstimate,
    Double min,
    Double max,
    Double mean,
    Double stddev,
    Double sum,
    Double sumSquares,
    List<Bin> bins,
    List<CategoryCount> categories,
    Long otherCount,
    byte[] kllSketch,
    byte[] hllSketch,
    List<ExactCount> exactValues) {}
