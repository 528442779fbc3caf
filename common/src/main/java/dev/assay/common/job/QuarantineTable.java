package dev.assay.common.job;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.table.Columns;
import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A dataset's quarantine: a Delta table, partitioned like the dataset, holding whole suspect rows
 * and the columns a job adds (why, and which run). Each run replaces the rows of the partitions it
 * processed in one commit, so a re-run never duplicates them and stale entries disappear.
 */
public final class QuarantineTable {
  private QuarantineTable() {}

  /**
   * True when the quarantine table exists, so a run with nothing to quarantine must still clear it.
   */
  public static boolean exists(JobContext context, String table) {
    return ConfigLoader.isCatalogName(table)
        ? context.spark().catalog().tableExists(table)
        : DeltaTable.isDeltaTable(context.spark(), table);
  }

  /**
   * Replaces the processed partitions' rows with {@code rows}, which carry the dataset's columns
   * and the job's own.
   *
   * @param keyPath the config key of the table, for errors
   */
  public static void replace(
      JobContext context, String table, String keyPath, Dataset<Row> rows, List<String> processed) {
    String partitionColumn = context.dataset().partitionColumn();
    List<String> literals = processed.stream().map(Columns::sqlString).toList();
    String replace =
        "CAST("
            + Columns.quoted(partitionColumn)
            + " AS STRING) IN ("
            + String.join(", ", literals)
            + ")";
    try {
      var writer =
          rows.write()
              .format("delta")
              .mode("overwrite")
              .option("replaceWhere", replace)
              .option("userMetadata", context.run().toJson())
              .partitionBy(partitionColumn);
      if (ConfigLoader.isCatalogName(table)) {
        writer.saveAsTable(table);
      } else {
        writer.save(table);
      }
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw AssayException.invalidAt(
          keyPath,
          "cannot write quarantined rows to "
              + table
              + ": "
              + e.getMessage().lines().findFirst().orElse("")
              + ". Point it at a new table, or at one written by Assay for this dataset.");
    }
  }
}
