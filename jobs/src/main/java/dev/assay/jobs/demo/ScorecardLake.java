package dev.assay.jobs.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.assay.common.AssayException;
import dev.assay.common.checks.RowChecksum;
import dev.assay.common.table.RowChecksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The clean lake the published scorecard attacks: all 32,561 UCI Adult training rows spread over
 * daily partitions (with the demo's sources and SHA-256 ingestion checksums), and an honest
 * 50-client FedAvg federation on Adult. No poison: the red team adds it.
 */
public final class ScorecardLake {
  private ScorecardLake() {}

  /** Writes the lake and its config under {@code dir}; returns the config path. */
  public static Path build(SparkSession spark, Path dir, int days) {
    if (days < 26) {
      throw AssayException.invalid(
          "Invalid --days "
              + days
              + ": the matrix needs at least 26 daily partitions"
              + " (7 baseline days, then 9 attacked days with an untouched day after each).");
    }
    Dataset<Row> rows =
        spark
            .createDataFrame(DemoLake.adultRows(), DemoLake.SCHEMA)
            .withColumn(
                "ds",
                date_add(
                    lit(java.sql.Date.valueOf(DemoLake.FIRST_DAY)),
                    pmod(xxhash64(col("row_id"), lit(days)), lit(days)).cast("int")));
    List<String> content = new ArrayList<>(List.of(rows.schema().fieldNames()));
    content.remove("ds");
    Dataset<Row> lake =
        rows.withColumn(
            "row_checksum",
            RowChecksums.compute(RowChecksum.Algorithm.SHA256, rows.schema(), content));
    lake.repartition(days, col("ds"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .partitionBy("ds")
        .save(dir.resolve("lake/adult").toString());
    FederatedAdult.Simulation federation =
        FederatedAdult.simulate(FederatedAdult.Settings.demo().honest());
    FederatedAdult.writeUpdates(
        spark, federation.updates(), dir.resolve("lake/fl_updates").toString());
    Path config = dir.resolve("assay.yaml");
    try {
      Files.writeString(
          config,
          "# The scorecard's clean lake: UCI Adult (CC BY 4.0) in "
              + days
              + " daily partitions,"
              + " and an honest FedAvg federation.\n"
              + DemoLake.datasetsConfig(false));
    } catch (IOException e) {
      throw AssayException.failed("Cannot write " + config + ": " + e.getMessage(), e);
    }
    return config;
  }
}
