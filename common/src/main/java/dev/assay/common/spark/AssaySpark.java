package dev.assay.common.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for Assay. Under {@code spark-submit} the cluster's session is used as it is
 * configured; otherwise an embedded {@code local[*]} session runs in this JVM.
 */
public final class AssaySpark {
  private AssaySpark() {}

  /**
   * Settings of the embedded session besides Delta's, the same as {@code conf/spark/local.conf} (a
   * test keeps them equal): loopback only, no UI, few partitions for small data.
   */
  public static final Map<String, String> LOCAL_SETTINGS =
      Map.of(
          "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1",
          "spark.ui.enabled", "false",
          "spark.databricks.delta.snapshotPartitions", "2",
          "spark.sql.sources.parallelPartitionDiscovery.parallelism", "2");

  /** {@code spark.sql.shuffle.partitions} of the embedded session that bin/assay runs. */
  public static final int LOCAL_SHUFFLE_PARTITIONS = 8;

  /** Delta's extension and catalog, and UTC: every Assay session has them. */
  public static final Map<String, String> DELTA_SETTINGS =
      Map.of(
          "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
          "spark.sql.session.timeZone", "UTC");

  /** The cluster session when launched by spark-submit, else an embedded local session. */
  public static SparkSession session() {
    if (System.getProperty("spark.master") != null) {
      return withDelta(SparkSession.builder().appName("assay")).getOrCreate();
    }
    return embedded("local[*]", LOCAL_SHUFFLE_PARTITIONS);
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
    SparkSession.Builder builder =
        withDelta(SparkSession.builder().appName("assay").master(master));
    LOCAL_SETTINGS.forEach(builder::config);
    return builder
        // Spark's progress bar when a person watches; logs and captured output get per-job lines
        // instead.
        .config("spark.ui.showConsoleProgress", String.valueOf(System.console() != null))
        .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
        .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
        .getOrCreate();
  }

  private static SparkSession.Builder withDelta(SparkSession.Builder builder) {
    DELTA_SETTINGS.forEach(builder::config);
    return builder;
  }
}
