package dev.assay.jobs.duplicates;

import dev.assay.common.config.DuplicateSettings;
import dev.assay.common.job.JobContext;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The evidence and summary rows of a run, written at its end with the summary (the verdict source) last. */
final class DuplicateRows {
  static final String BOOTSTRAP = "duplicates: no trusted baseline yet (bootstrap): this partition's rates become"
      + " the reference";

  private final List<Row> evidence = new ArrayList<>();
  private final List<Row> summary = new ArrayList<>();
  int failed;

  Status add(JobContext context, String partition, int ordinal, RateJudge.Stats stats, ReplaySource source,
      List<String> baseline,
      List<RateJudge.Stats> baseStats, List<RateJudge.Stats> window, Findings findings) {
    String dataset = context.dataset().name();
    String runId = context.run().runId();
    List<String> all = context.allPartitions();
    List<String> notes = new ArrayList<>();
    double recurring = recurrence(baseStats.isEmpty() ? List.of(stats) : baseStats);
    boolean lowEntropy = recurring >= RateJudge.LOW_ENTROPY;
    String entropyNote = lowEntropy ? "low-entropy content: " + Reasons.number(recurring) + " of rows recur inside"
        + " trusted partitions, so single duplicate or replay rows mean little here" : null;
    for (String kind : DuplicateSettings.KINDS) {
      List<Evidence> groups = findings.groups(ordinal, kind);
      for (Evidence e : groups) {
        evidence.add(RowFactory.create(dataset, partition, runId, kind, e.fingerprint(), e.occurrences(),
            e.firstSeen() < 0 ? null : all.get(e.firstSeen()), e.labels().toArray(new String[0]),
            e.sampleIds().toArray(new String[0]), Double.isNaN(e.similarity()) ? null : e.similarity(),
            entropyNote));
      }
      long found = findings.found(ordinal, kind);
      if (found > groups.size()) {
        notes.add("kept the " + groups.size() + " largest of " + found + " " + kind + " groups (max_groups)");
      }
    }
    RateJudge.Outcome outcome = null;
    Status status = Status.OK;
    String reason = null;
    if (baseStats.isEmpty()) {
      reason = BOOTSTRAP;
    } else if (stats.rows() < context.dataset().thresholds().minRows()) {
      notes.add("not judged: " + stats.rows() + " rows < min_rows " + context.dataset().thresholds().minRows());
    } else {
      outcome = RateJudge.judge(stats, baseStats, window, context.dataset().thresholds(), source,
          source == null || source.source() < 0 ? null : all.get(source.source()));
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
    summary.add(RowFactory.create(dataset, partition, context.run().runId(), stats.rows(), stats.rows() - stats.duplicateRows(),
        stats.duplicateRows(), stats.recurringRows(), stats.replayedRows(), stats.conflictRows(),
        stats.withinConflictRows(), stats.nearRows(), stats.historyPartitions(), stats.duplicateRows() / rows,
        stats.replayedRows() / rows, stats.conflictRows() / rows, stats.nearRows() / rows,
        baseline.toArray(new String[0]),
        outcome == null ? null : outcome.duplicate().rate(), outcome == null ? null : outcome.replay().rate(),
        outcome == null ? null : outcome.conflict().rate(), outcome == null ? null : outcome.near().rate(),
        source == null || source.source() < 0 ? null : all.get(source.source()),
        source == null ? null : source.rows(), source == null ? null : source.expected(),
        source == null ? null : source.excess(), lowEntropy, status.name(), reason, notes.isEmpty() ? null : String.join("; ", notes)));
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

  void write(JobContext context) {
    write(context, IntegrityTables.DUPLICATES, evidence);
    write(context, IntegrityTables.DUPLICATE_SUMMARY, summary);
  }

  private static void write(JobContext context, IntegrityTable<?> table, List<Row> rows) {
    context.store().replacePartitions(table, context.dataset().name(), context.partitions(),
        context.spark().createDataFrame(rows, table.schema()), context.run());
  }
}
