package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.client_history}: one client's history through a round. docs/tables.md
 * documents each column.
 */
@Table("client_history")
public record ClientHistoryRecord(
    String dataset,
    String partition,
    String runId,
    String clientId,
    Long rounds,
    Long dim,
    List<Double> sketch,
    Long normCount,
    Double normMean,
    Double normM2,
    Long cosineCount,
    Double cosineMean,
    Double cosineM2,
    List<Double> krumSpreads) {}
