package dev.assay.common.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for Assay. Under {@code spark-submit} the cluster's session is used as it is
 * configured; otherwise an embedded {@code local[*]} session runs in this JVM.
 */
public final class AssaySpark {
  private AssaySpark() {}

  /** The cluster session when launched by spark-submit, else an embedded local session. */
  public static SparkSession session() {
    if (System.getProperty("spark.master") != null) {
      return withDelta(SparkSession.builder().appName("assay")).getOrCreate();
    }
    return embedded("local[*]", 8);
  }

  /**
   * An embedded session bound to loopback, with Delta, UTC and no UI.
   *
   * @param master a local master such as {@code local[2]}
   * @param shufflePartitions {@code spark.sql.shuffle.partitions}; small data wants few
   */
  public static SparkSession embedded(String master, int shufflePartitions) {
    Path warehouse;
    try {
      warehouse = Files.createTempDirectory("assay-warehouse");
      warehouse.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a temporary Spark warehouse folder", e);
    }
    return withDelta(SparkSession.builder().appName("assay").master(master))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
        .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
        .getOrCreate();
  }

  private static SparkSession.Builder withDelta(SparkSession.Builder builder) {
    return builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
  }
}
