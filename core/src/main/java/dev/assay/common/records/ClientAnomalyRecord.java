package dev.assay.common.records;

import java.util.List;

/**
 * A row of {@code integrity.client_anomalies}: one federated-learning client's update scores in one
 * round. docs/tables.md documents each column.
 */
@Table("client_anomalies")
public record ClientAnomalyRecord(
    String dataset,
    String partition,
    String runId,
    String clientId,
    String layer,
    Long dim,
    Double norm,
    Double normZ,
    Double cosineToMedian,
    Double cosineZ,
    Double projection,
    Double projectionZ,
    Double signAgreement,
    Double krumScore,
    Double krumZ,
    Double flipScore,
    Double sybilScore,
    String sybilPartner,
    Double sybilZ,
    Long historyRounds,
    Double historyNormZ,
    Double historyCosine,
    Double historyCosineZ,
    Long nonFinite,
    Double score,
    Boolean flagged,
    List<String> reasons,
    String status,
    String reason,
    String note) {}
