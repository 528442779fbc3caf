package dev.assay.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/** Prints the verdicts of a dataset as a readable table. */
final class VerdictTable {
  private static final int REASONS_SHOWN = 3;

  private VerdictTable() {}

  static void print(IntegrityStore store, String dataset, Comparator<String> order, PrintStream out) {
    List<Row> rows = new java.util.ArrayList<>(store.read(IntegrityTables.VERDICTS)
        .where(col("dataset").equalTo(dataset)).select("partition", "verdict", "reasons").collectAsList());
    rows.sort(Comparator.comparing(r -> r.getString(0), order));
    out.printf("%-14s %-12s %-7s %s%n", "dataset", "partition", "verdict", "reasons");
    for (Row row : rows) {
      List<String> reasons = row.getList(2);
      String verdict = row.getString(1);
      List<String> shown = verdict.equals("PASS")
          ? reasons.stream().filter(r -> r.contains("bootstrap")).limit(1).toList()
          : reasons.stream().filter(r -> !r.contains("bootstrap")).limit(REASONS_SHOWN).toList();
      String first = shown.isEmpty() ? "" : shown.get(0);
      out.printf("%-14s %-12s %-7s %s%n", dataset, row.getString(0), verdict, first);
      for (int i = 1; i < shown.size(); i++) {
        out.printf("%-14s %-12s %-7s %s%n", "", "", "", shown.get(i));
      }
      int hidden = verdict.equals("PASS") ? 0 : (int) reasons.stream().filter(r -> !r.contains("bootstrap")).count() - shown.size();
      if (hidden > 0) {
        out.printf("%-14s %-12s %-7s %s%n", "", "", "", "(+" + hidden + " more)");
      }
    }
  }
}
