package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.testing.DataFrameAssert;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.profile.ProfileJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class OnePassAndRecoveryTest {

  /** Records read per Spark job, from task metrics. */
  static final class ReadCounter extends SparkListener {
    final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
    final Map<Integer, Long> recordsByJob = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())
          .forEach(stage -> stageToJob.put((Integer) stage, job.jobId()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
      Integer job = stageToJob.get(task.stageId());
      if (job != null && task.taskMetrics() != null) {
        recordsByJob.merge(job, task.taskMetrics().inputMetrics().recordsRead(), Long::sum);
      }
    }

    /**
     * Runs {@code action} and returns the records read per Spark job, counting only jobs that read
     * at least {@code min}.
     */
    static Reads count(SparkSession spark, long min, Runnable action)
        throws java.util.concurrent.TimeoutException {
      ReadCounter counter = new ReadCounter();
      spark.sparkContext().addSparkListener(counter);
      try {
        action.run();
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } finally {
        spark.sparkContext().removeSparkListener(counter);
      }
      List<Long> big = new ArrayList<>();
      counter
          .recordsByJob
          .values()
          .forEach(
              records -> {
                if (records >= min) {
                  big.add(records);
                }
              });
      return new Reads(big, Map.copyOf(counter.recordsByJob));
    }
  }

  /** Records read: by the jobs that read many, and by every job (for messages). */
  record Reads(List<Long> big, Map<Integer, Long> byJob) {}

  @Test
  void profileReadsEachRowOnceForAllFeaturesAndPartitions(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> all = Lakes.adultBatches(spark, 6, 500);
    Lakes.write(all.where(col("batch").leq(3)), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("auto", "auto"));
    AssayConfig loaded = ConfigLoader.load(config);
    JobRunner runner = new JobRunner(spark, loaded);
    runner.run(new ProfileJob(), loaded.dataset("census"), PartitionSelection.pending());
    Lakes.write(all.where(col("batch").gt(3)), dir.resolve("census"));
    long newRows = all.where(col("batch").gt(3)).count();

    Reads reads =
        ReadCounter.count(
            spark,
            newRows / 10,
            () ->
                runner.run(
                    new ProfileJob(), loaded.dataset("census"), PartitionSelection.pending()));
    // 15 features x 3 new partitions, read by exactly one Spark job, each row once.
    assertEquals(List.of(newRows), reads.big(), "records read by jobs: " + reads.byJob());
    long profiles =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/feature_profiles").toString())
            .count();
    assertEquals(6 * 15, profiles);
  }

  @Test
  void columnarAndRowPassesGiveIdenticalProfiles(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 4, 700)
            .withColumn(
                "ratio",
                when(col("capital_loss").gt(0), col("capital_gain").divide(col("capital_loss")))
                    .when(col("capital_gain").gt(0), lit(Double.POSITIVE_INFINITY))
                    .otherwise(lit(Double.NaN)))
            .withColumn("weight", col("fnlwgt").cast("decimal(12,2)"));
    Lakes.write(rows, dir.resolve("partitioned/census"));
    rows.write().format("delta").save(dir.resolve("flat/census").toString());
    String features =
        Lakes.batchesDataset(
            "[age, fnlwgt, ratio, weight, capital_gain]", "[sex, education, race]");
    List<Dataset<Row>> profiles = new ArrayList<>();
    for (String layout : List.of("partitioned", "flat")) {
      Path config = Lakes.config(dir.resolve(layout), features);
      Lakes.Cli cli = Lakes.assay("profile", "-c", config.toString());
      assertEquals(0, cli.exitCode(), cli.err());
      Dataset<Row> stored =
          spark
              .read()
              .format("delta")
              .load(dir.resolve(layout + "/integrity/feature_profiles").toString())
              .drop("run_id", "kll_sketch");
      profiles.add(spark.createDataFrame(stored.collectAsList(), stored.schema()));
    }
    assertEquals(4 * 8, profiles.get(0).count());
    // ratio holds NaN (0/0) and Infinity (x/0): both passes must count them as non-finite.
    assertTrue(
        profiles.get(0).where(col("feature").equalTo("ratio").and(col("non_finite").gt(0))).count()
            > 0);
    DataFrameAssert.assertSameRows(profiles.get(0), profiles.get(1));
  }

  @Test
  void labelPassReadsEachRowOnceAndColumnarAndRowPassesAgree(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 4, 700)
            .withColumn(
                "income",
                when(col("row_id").mod(97).equalTo(0), lit(null)).otherwise(col("income")))
            .withColumn(
                "source",
                when(col("row_id").mod(89).equalTo(0), lit(null)).otherwise(col("source")));
    Lakes.write(rows, dir.resolve("partitioned/census"));
    rows.write().format("delta").save(dir.resolve("flat/census").toString());
    String dataset =
        Lakes.batchesDataset(
                "[age, fnlwgt, capital_gain, hours_per_week]",
                "[sex, education, occupation, native_country]")
            + "    segment_columns: [source]\n";
    long total = rows.count();
    for (String layout : List.of("partitioned", "flat")) {
      Path config = Lakes.config(dir.resolve(layout), dataset);
      assertEquals(0, Lakes.assay("profile", "-c", config.toString()).exitCode());
      Reads reads =
          ReadCounter.count(
              spark,
              total / 10,
              () -> {
                Lakes.Cli cli = Lakes.assay("label-drift", "-c", config.toString());
                assertEquals(0, cli.exitCode(), cli.err());
              });
      assertTrue(
          spark
              .read()
              .format("delta")
              .load(dir.resolve(layout + "/integrity/trigger_candidates").toString())
              .isEmpty(),
          "clean batches have no trigger, so no pair read");
      if (layout.equals("partitioned")) {
        // (an unpartitioned table also has its partition column read once to list its partitions)
        assertEquals(
            List.of(total), reads.big(), layout + ": records read by jobs: " + reads.byJob());
      }
    }
    for (String table : List.of("label_drift", "label_profiles", "class_conditional_drift")) {
      List<Dataset<Row>> both = new ArrayList<>();
      for (String layout : List.of("partitioned", "flat")) {
        Dataset<Row> stored =
            spark
                .read()
                .format("delta")
                .load(dir.resolve(layout + "/integrity/" + table).toString())
                .drop("run_id");
        both.add(spark.createDataFrame(stored.collectAsList(), stored.schema()));
      }
      assertTrue(both.get(0).count() > 0, table);
      DataFrameAssert.assertSameRows(both.get(0), both.get(1));
    }
  }

  @Test
  void jobKilledMidRunThenRerunLeavesNoPartialOrDuplicateRows(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 6, 800), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("auto", "auto"));
    Path marker = dir.resolve("integrity/feature_profiles/_delta_log");
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-XX"))
            .toList());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.assay.jobs.cli.Assay",
            "nightly",
            "-c",
            config.toString(),
            "--all"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline && process.isAlive() && !Files.exists(marker)) {
      Thread.sleep(50);
    }
    assertTrue(
        process.isAlive(),
        "the run ended before it could be killed: " + Files.readString(dir.resolve("killed.log")));
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    Lakes.Cli rerun = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, rerun.exitCode(), rerun.err());
    Dataset<Row> profiles =
        spark.read().format("delta").load(dir.resolve("integrity/feature_profiles").toString());
    assertEquals(6 * 15, profiles.count());
    DataFrameAssert.assertUniqueKeys(profiles, "partition", "feature");
    Dataset<Row> verdicts =
        spark.read().format("delta").load(dir.resolve("integrity/verdicts").toString());
    assertEquals(6, verdicts.count());
    DataFrameAssert.assertUniqueKeys(verdicts, "partition");
  }

  @Test
  void twoJobsCommittingToTheStoreAtOnceBothSucceed(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 3, 400), dir.resolve("census"));
    Path config =
        Lakes.config(
            dir,
            Lakes.batchesDataset("[age, fnlwgt]", "[sex]")
                + Lakes.batchesDataset("[hours_per_week]", "[race]")
                    .replace("name: census", "name: census_b"));
    AssayConfig loaded = ConfigLoader.load(config);
    JobRunner runner = new JobRunner(spark, loaded);
    runner.store().ensure(dev.assay.common.store.IntegrityTables.FEATURE_PROFILES);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a =
          pool.submit(
              () ->
                  runner.run(new ProfileJob(), loaded.dataset("census"), PartitionSelection.all()));
      Future<?> b =
          pool.submit(
              () ->
                  runner.run(
                      new ProfileJob(), loaded.dataset("census_b"), PartitionSelection.all()));
      a.get(300, TimeUnit.SECONDS);
      b.get(300, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    Dataset<Row> profiles =
        spark.read().format("delta").load(dir.resolve("integrity/feature_profiles").toString());
    assertEquals(3 * 3, profiles.where(col("dataset").equalTo("census")).count());
    assertEquals(3 * 2, profiles.where(col("dataset").equalTo("census_b")).count());
    assertEquals(
        2, spark.read().format("delta").load(dir.resolve("integrity/runs").toString()).count());
  }

  @Test
  void clientAnomaliesReadEachUpdateChunkOnce(SparkSession spark, @TempDir Path dir)
      throws Exception {
    var updates = dev.assay.jobs.demo.FederatedAdult.simulate(ClientBadInputTest.SMALL).updates();
    dev.assay.jobs.demo.FederatedAdult.writeChunks(
        spark, updates, 16, dir.resolve("chunks").toString());
    long chunks = spark.read().format("delta").load(dir.resolve("chunks").toString()).count();
    Path config =
        Lakes.config(
            dir,
            "  - name: chunks\n    kind: client_updates\n    table: chunks\n"
                + "    partition_column: round\n    client_column: client_id\n    update_column: values\n"
                + "    layer_column: layer\n    chunk_column: chunk\n");
    Reads reads =
        ReadCounter.count(
            spark,
            chunks / 10,
            () ->
                assertEquals(
                    0, Lakes.assay("client-anomalies", "-c", config.toString()).exitCode()));
    // 12 clients x 4 rounds x 17 chunks: one Spark job reads them, each once
    assertEquals(List.of(chunks), reads.big(), "records read by jobs: " + reads.byJob());
  }
}
