package dev.assay.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.verdict.Verdict;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Prints the verdicts of a dataset as a readable table. */
final class VerdictTable {
  private static final int REASONS_SHOWN = 3;

  private VerdictTable() {}

  static void print(
      IntegrityStore store, String dataset, Comparator<String> order, PrintStream out) {
    List<VerdictRecord> rows =
        new ArrayList<>(
            IntegrityTables.VERDICTS.collect(
                store.read(IntegrityTables.VERDICTS).where(col("dataset").equalTo(dataset))));
    rows.sort(Comparator.comparing(VerdictRecord::partition, order));
    out.printf("%-14s %-12s %-7s %s%n", "dataset", "partition", "verdict", "reasons");
    for (VerdictRecord row : rows) {
      List<String> reasons = row.reasons() == null ? List.of() : row.reasons();
      Verdict verdict = Verdict.parse(row.verdict());
      List<String> shown =
          verdict == Verdict.PASS
              ? reasons.stream().filter(r -> r.contains("bootstrap")).limit(1).toList()
              : reasons.stream()
                  .filter(r -> !r.contains("bootstrap"))
                  .limit(REASONS_SHOWN)
                  .toList();
      String first = shown.isEmpty() ? "" : shown.get(0);
      out.printf("%-14s %-12s %-7s %s%n", dataset, row.partition(), verdict, first);
      for (int i = 1; i < shown.size(); i++) {
        out.printf("%-14s %-12s %-7s %s%n", "", "", "", shown.get(i));
      }
      int hidden =
          verdict == Verdict.PASS
              ? 0
              : (int) reasons.stream().filter(r -> !r.contains("bootstrap")).count() - shown.size();
      if (hidden > 0) {
        out.printf("%-14s %-12s %-7s %s%n", "", "", "", "(+" + hidden + " more)");
      }
    }
  }
}
