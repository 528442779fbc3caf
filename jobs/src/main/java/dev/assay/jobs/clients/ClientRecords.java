package dev.assay.jobs.clients;

import dev.assay.common.records.ClientAnomalyRecord;
import dev.assay.common.records.ClientHistoryRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A round's judged scores as {@code client_anomalies} records, and client histories to and from
 * {@code client_history} records. Plain inputs, no Spark.
 */
final class ClientRecords {
  private static final String JOB = "client-anomalies: ";

  private ClientRecords() {}

  /**
   * The record of one client's (or one layer's) scores in a round. Scores that were not computed
   * (NaN) or overflowed are null; the reason names the round and every flag, else carries the note.
   */
  static ClientAnomalyRecord anomaly(String dataset, String round, String runId, ClientScore s) {
    String reason =
        s.reasons().isEmpty()
            ? (s.note() == null ? null : JOB + s.note())
            : JOB + "round " + round + ": " + String.join("; ", s.reasons());
    return new ClientAnomalyRecord(
        dataset,
        round,
        runId,
        s.client(),
        s.layer(),
        s.dim(),
        value(s.norm()),
        value(s.normZ()),
        value(s.cosine()),
        value(s.cosineZ()),
        value(s.projection()),
        value(s.projectionZ()),
        value(s.signAgreement()),
        value(s.krumScore()),
        value(s.krumZ()),
        value(s.flipScore()),
        value(s.sybilScore()),
        s.sybilPartner(),
        value(s.sybilZ()),
        s.historyRounds(),
        value(s.historyNormZ()),
        value(s.historyCosine()),
        value(s.historyCosineZ()),
        s.nonFinite(),
        value(s.score()),
        s.flagged(),
        List.copyOf(s.reasons()),
        s.status(),
        reason,
        s.note());
  }

  /** A client's history through {@code round}, with the spreads of ln Multi-Krum through it. */
  static ClientHistoryRecord history(
      String dataset, String round, String runId, ClientHistory state, double[] krumSpreads) {
    return new ClientHistoryRecord(
        dataset,
        round,
        runId,
        state.client,
        state.rounds,
        state.dim,
        boxed(state.sketch),
        state.normCount,
        state.normMean,
        state.normM2,
        state.cosineCount,
        state.cosineMean,
        state.cosineM2,
        boxed(krumSpreads));
  }

  /** The client's history stored in {@code stored}. */
  static ClientHistory state(ClientHistoryRecord stored) {
    return new ClientHistory(
        stored.clientId(),
        stored.rounds(),
        stored.dim(),
        unboxed(stored.sketch()),
        stored.normCount(),
        stored.normMean(),
        stored.normM2(),
        stored.cosineCount(),
        stored.cosineMean(),
        stored.cosineM2());
  }

  /**
   * The spreads of ln Multi-Krum stored with a history; empty for history written before krum_z was
   * calibrated.
   */
  static double[] krumSpreads(ClientHistoryRecord stored) {
    return unboxed(stored.krumSpreads());
  }

  private static Double value(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  /** An array column's values; empty when null. */
  private static double[] unboxed(List<Double> values) {
    return values == null
        ? new double[0]
        : values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
