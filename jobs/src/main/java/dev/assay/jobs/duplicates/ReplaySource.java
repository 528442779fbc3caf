package dev.assay.jobs.duplicates;

import java.util.Map;

/**
 * The signature of a replay attack that natural recurrence lacks: many rows whose content exists in
 * exactly one earlier partition, and the same one. Natural recurrence of rare content falls on the
 * earlier partitions in proportion to their size; a replay of one old partition piles its rows on
 * it. Of the earlier partitions, the one whose count of such sole-source rows most exceeds its
 * share is the suspected source.
 *
 * @param source ordinal of that earlier partition
 * @param rows sole-source rows that came from it
 * @param expected its share of all sole-source rows, in proportion to its rows among the earlier
 *     ones
 * @param noise binomial standard deviation of that count
 * @param excess (rows - expected) over the partition's rows
 * @param earlier earlier partitions the sole-source rows were spread over
 */
record ReplaySource(
    int source, long rows, double expected, double noise, double excess, int earlier) {

  /**
   * @param rowsByOrdinal rows of every partition, by ordinal (those before {@code ordinal} are its
   *     history)
   * @return null when fewer than two earlier partitions exist (one could only be the source);
   *     source -1 and excess 0 when no row is a sole-source replay
   */
  static ReplaySource of(Findings.Counts counts, int ordinal, Map<Integer, Long> rowsByOrdinal) {
    long historyRows = 0;
    int earlier = 0;
    for (Map.Entry<Integer, Long> e : rowsByOrdinal.entrySet()) {
      if (e.getKey() < ordinal) {
        historyRows += e.getValue();
        earlier++;
      }
    }
    long sole = counts.soleSourceRows.values().stream().mapToLong(Long::longValue).sum();
    if (earlier < 2 || historyRows == 0 || counts.rows == 0) {
      return null;
    }
    if (sole == 0) {
      return new ReplaySource(-1, 0, 0, 0, 0, earlier);
    }
    ReplaySource best = null;
    for (Map.Entry<Integer, Long> e : counts.soleSourceRows.entrySet()) {
      double share = (double) rowsByOrdinal.getOrDefault(e.getKey(), 0L) / historyRows;
      double expected = sole * share;
      double noise = Math.sqrt(sole * share * (1 - share));
      double excess = (e.getValue() - expected) / counts.rows;
      if (best == null
          || excess > best.excess
          || (excess == best.excess && e.getKey() < best.source)) {
        best = new ReplaySource(e.getKey(), e.getValue(), expected, noise, excess, earlier);
      }
    }
    return best;
  }
}
