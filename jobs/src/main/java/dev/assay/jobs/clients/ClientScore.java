package dev.assay.jobs.clients;

import java.util.List;

/**
 * The scores of one client in one round (a {@code client_anomalies} row). NaN means "not computed":
 * too few clients in the round, too little history, or an update that cannot be scored.
 *
 * @param layer null for the whole update, else one layer's own scores
 * @param score the largest of the scores divided by their thresholds; 1 or more is flagged
 */
record ClientScore(
    String client,
    String layer,
    long dim,
    double norm,
    double normZ,
    double cosine,
    double cosineZ,
    double projection,
    double projectionZ,
    double signAgreement,
    double krumScore,
    double krumZ,
    double flipScore,
    double sybilScore,
    String sybilPartner,
    double sybilZ,
    long historyRounds,
    double historyNormZ,
    double historyCosine,
    double historyCosineZ,
    long nonFinite,
    double score,
    boolean flagged,
    List<String> reasons,
    String status,
    String note) {}
