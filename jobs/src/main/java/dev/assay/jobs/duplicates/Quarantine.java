package dev.assay.jobs.duplicates;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.config.DuplicateSettings;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.QuarantineTable;
import dev.assay.common.store.RecordCodec;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Copies suspect rows, whole, to the dataset's quarantine Delta table with their kinds and the run
 * id, replacing the pending partitions' earlier copies in one commit. Training anti-joins it on the
 * id columns.
 */
final class Quarantine {
  static final String KINDS = "_assay_kinds";
  static final String RUN_ID = "_assay_run_id";

  private Quarantine() {}

  /** One suspect row of a pending partition, to join back to the dataset's rows. */
  record Suspect(
      @dev.assay.common.records.Column("__q_partition") String partition,
      @dev.assay.common.records.Column("__q_id") String id,
      @dev.assay.common.records.Column("__q_kind") String kind) {}

  static void write(
      JobContext context,
      DuplicateSettings.Quarantine quarantine,
      List<String> pending,
      JavaRDD<GroupJudge.Result> results,
      Findings findings) {
    List<String> all = context.allPartitions();
    JavaRDD<Row> suspects =
        results.flatMap(
            r -> {
              List<Row> out = new ArrayList<>();
              for (int i = 0; i < r.suspectIds.size(); i++) {
                out.add(
                    RecordCodec.of(Suspect.class)
                        .toRow(
                            new Suspect(
                                all.get(r.suspectOrdinals.get(i)),
                                r.suspectIds.get(i),
                                r.suspectKinds.get(i))));
              }
              return out.iterator();
            });
    Dataset<Row> kinds =
        context
            .spark()
            .createDataFrame(suspects, RecordCodec.of(Suspect.class).schema())
            .groupBy("__q_partition", "__q_id")
            .agg(functions.sort_array(functions.collect_set("__q_kind")).as(KINDS));
    Dataset<Row> rows =
        context
            .table()
            .read(pending)
            .withColumn("__q_p", context.table().partitionString())
            .withColumn("__q_i", FingerprintScan.idColumn(context));
    List<Column> out = new ArrayList<>();
    for (String name : context.table().schema().fieldNames()) {
      out.add(Columns.named(name));
    }
    out.add(col(KINDS));
    out.add(functions.lit(context.run().runId()).as(RUN_ID));
    Dataset<Row> suspect =
        rows.join(
                kinds,
                col("__q_p").equalTo(col("__q_partition")).and(col("__q_i").equalTo(col("__q_id"))))
            .select(out.toArray(Column[]::new));
    QuarantineTable.replace(
        context,
        quarantine.table(),
        context.dataset().keyPath() + ".duplicates.quarantine.table",
        suspect,
        pending);
  }
}
