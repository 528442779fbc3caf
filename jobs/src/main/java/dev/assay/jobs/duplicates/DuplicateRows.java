package dev.assay.jobs.duplicates;

import dev.assay.common.config.DuplicateSettings;
import dev.assay.common.config.Thresholds;
import dev.assay.common.records.DuplicateRecord;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence and summary records of a run: each pending partition's findings and its rates judged
 * against its baseline. Plain inputs, no Spark: the job writes the records, the summary (the
 * verdict source) last.
 */
final class DuplicateRows {
  static final String BOOTSTRAP =
      "duplicates: no trusted baseline yet (bootstrap): this partition's rates become"
          + " the reference";

  private final String dataset;
  private final String runId;
  private final List<String> allPartitions;
  private final Thresholds thresholds;
  private final List<DuplicateRecord> evidence = new ArrayList<>();
  private final List<DuplicateSummaryRecord> summary = new ArrayList<>();
  int failed;

  /**
   * @param allPartitions every partition of the table in order; findings name partitions by ordinal
   *     in it
   */
  DuplicateRows(String dataset, String runId, List<String> allPartitions, Thresholds thresholds) {
    this.dataset = dataset;
    this.runId = runId;
    this.allPartitions = allPartitions;
    this.thresholds = thresholds;
  }

  /**
   * Judges one pending partition and adds its evidence and summary records.
   *
   * @param baseline the trusted baseline partitions' names, parallel to {@code baseStats}
   * @param window the calibration window's counts (see {@link RateJudge#judge})
   */
  Status add(
      String partition,
      int ordinal,
      RateJudge.Stats stats,
      ReplaySource source,
      List<String> baseline,
      List<RateJudge.Stats> baseStats,
      List<RateJudge.Stats> window,
      Findings findings) {
    List<String> notes = new ArrayList<>();
    double recurring = recurrence(baseStats.isEmpty() ? List.of(stats) : baseStats);
    boolean lowEntropy = recurring >= RateJudge.LOW_ENTROPY;
    String entropyNote =
        lowEntropy
            ? "low-entropy content: "
                + Reasons.number(recurring)
                + " of rows recur inside"
                + " trusted partitions, so single duplicate or replay rows mean little here"
            : null;
    for (String kind : DuplicateSettings.KINDS) {
      List<Evidence> groups = findings.groups(ordinal, kind);
      for (Evidence e : groups) {
        evidence.add(
            new DuplicateRecord(
                dataset,
                partition,
                runId,
                kind,
                e.fingerprint(),
                e.occurrences(),
                e.firstSeen() < 0 ? null : allPartitions.get(e.firstSeen()),
                e.labels(),
                e.sampleIds(),
                Double.isNaN(e.similarity()) ? null : e.similarity(),
                entropyNote));
      }
      long found = findings.found(ordinal, kind);
      if (found > groups.size()) {
        notes.add(
            "kept the "
                + groups.size()
                + " largest of "
                + found
                + " "
                + kind
                + " groups (max_groups)");
      }
    }
    RateJudge.Outcome outcome = null;
    Status status = Status.OK;
    String reason = null;
    String sourceName =
        source == null || source.source() < 0 ? null : allPartitions.get(source.source());
    if (baseStats.isEmpty()) {
      reason = BOOTSTRAP;
    } else if (stats.rows() < thresholds.minRows()) {
      notes.add("not judged: " + stats.rows() + " rows < min_rows " + thresholds.minRows());
    } else {
      outcome = RateJudge.judge(stats, baseStats, window, thresholds, source, sourceName);
      status = outcome.status();
      reason = outcome.reason();
      if (outcome.note() != null) {
        notes.add(outcome.note());
      }
    }
    if (lowEntropy) {
      notes.add(entropyNote + "; rates are judged against that natural rate");
    }
    failed += status == Status.FAIL ? 1 : 0;
    double rows = Math.max(1, stats.rows());
    summary.add(
        new DuplicateSummaryRecord(
            dataset,
            partition,
            runId,
            stats.rows(),
            stats.rows() - stats.duplicateRows(),
            stats.duplicateRows(),
            stats.recurringRows(),
            stats.replayedRows(),
            stats.conflictRows(),
            stats.withinConflictRows(),
            stats.nearRows(),
            stats.historyPartitions(),
            stats.duplicateRows() / rows,
            stats.replayedRows() / rows,
            stats.conflictRows() / rows,
            stats.nearRows() / rows,
            List.copyOf(baseline),
            outcome == null ? null : outcome.duplicate().rate(),
            outcome == null ? null : outcome.replay().rate(),
            outcome == null ? null : outcome.conflict().rate(),
            outcome == null ? null : outcome.near().rate(),
            sourceName,
            source == null ? null : source.rows(),
            source == null ? null : source.expected(),
            source == null ? null : source.excess(),
            lowEntropy,
            status.name(),
            reason,
            notes.isEmpty() ? null : String.join("; ", notes)));
    return status;
  }

  /** Share of rows whose content occurs more than once inside their partition. */
  private static double recurrence(List<RateJudge.Stats> partitions) {
    long rows = 0;
    long recurring = 0;
    for (RateJudge.Stats s : partitions) {
      rows += s.rows();
      recurring += s.recurringRows();
    }
    return rows == 0 ? 0 : (double) recurring / rows;
  }

  List<DuplicateRecord> evidence() {
    return evidence;
  }

  List<DuplicateSummaryRecord> summary() {
    return summary;
  }
}
