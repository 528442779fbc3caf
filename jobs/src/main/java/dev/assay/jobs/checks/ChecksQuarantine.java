package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.checks.Metric;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.QuarantineTable;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Copies rows that fail a row-level constraint of a check that did not pass on their partition to
 * the dataset's checks quarantine, whole, with the names of the constraints they fail ({@code
 * _assay_constraints}) and the run id ({@code _assay_run_id}). This reads only the partitions with
 * such failures, after the pass; a run with nothing to quarantine writes nothing, or clears stale
 * rows when the table exists.
 */
final class ChecksQuarantine {
  static final String CONSTRAINTS = "_assay_constraints";
  static final String RUN_ID = "_assay_run_id";

  private ChecksQuarantine() {}

  /**
   * @param failed per partition, each failed row-level metric and the constraints it backs
   */
  static void write(
      JobContext context,
      String table,
      CheckPlan plan,
      Map<String, Map<Metric, List<String>>> failed) {
    if (failed.isEmpty() && !QuarantineTable.exists(context, table)) {
      return;
    }
    Column partition = context.table().partitionString();
    List<Column> violations = new ArrayList<>();
    Column any = lit(false);
    for (Map.Entry<String, Map<Metric, List<String>>> byPartition : failed.entrySet()) {
      for (Map.Entry<Metric, List<String>> entry : byPartition.getValue().entrySet()) {
        Column fails =
            partition.equalTo(byPartition.getKey()).and(not(plan.flags.get(entry.getKey())));
        any = any.or(fails);
        for (String name : entry.getValue()) {
          violations.add(when(fails, lit(name)));
        }
      }
    }
    List<Column> out = new ArrayList<>();
    for (String name : context.table().schema().fieldNames()) {
      out.add(Columns.named(name));
    }
    out.add(
        (violations.isEmpty()
                ? functions.array().cast("array<string>")
                : functions.filter(array(violations.toArray(Column[]::new)), Column::isNotNull))
            .as(CONSTRAINTS));
    out.add(lit(context.run().runId()).as(RUN_ID));
    Dataset<Row> rows =
        context.table().read(failed.keySet()).where(any).select(out.toArray(Column[]::new));
    QuarantineTable.replace(
        context,
        table,
        context.dataset().keyPath() + ".checks_quarantine.table",
        rows,
        context.partitions());
  }
}
