package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.IntegrityLocation;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.store.RunInfo;
import dev.assay.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow poisoning (issue 18, F1): 1% more flipped labels every batch never looks large against the
 * trailing baseline, but the CUSUM against the anchor (the first 7 trusted batches) adds it up.
 */
@ExtendWith(SparkExtension.class)
class SlowPoisoningTest {
  private static final int BATCHES = 28;
  private static final double STEP = 0.01;

  @Test
  void aGradualFlipFailsAsSlowDriftBeforeTenPercentOfLabelsAreFlippedAndTheCleanLakeNever(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, BATCHES, 1163), dir.resolve("census"));
    Path config =
        Lakes.config(dir, Lakes.batchesDataset("[age, hours_per_week]", "[workclass, education]"));

    Lakes.Cli clean = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, clean.exitCode(), clean.err());
    Map<Integer, List<String>> cleanReasons = reasons(spark, dir.resolve("integrity"));
    assertEquals(BATCHES, cleanReasons.size());
    cleanReasons.forEach(
        (batch, reasons) ->
            assertFalse(
                slowDrift(reasons), "clean batch " + batch + " FAILs as slow drift: " + reasons));
    // The CUSUM runs from the batch after the anchor on, and is written with it.
    for (Row row :
        delta(spark, dir.resolve("integrity/label_drift"))
            .where(col("segment_column").isNull())
            .collectAsList()) {
      int batch = Integer.parseInt(row.getAs("partition"));
      if (batch <= 7) {
        assertNull(row.getAs("cusum"), "batch " + batch + " is in the anchor");
      } else {
        assertNotNull(row.getAs("cusum"), "batch " + batch);
        assertEquals(
            List.of("1", "2", "3", "4", "5", "6", "7"),
            row.getList(row.fieldIndex("anchor_partitions")),
            "batch " + batch);
      }
    }

    Path shadow = dir.resolve("shadow");
    Lakes.Cli redteam =
        Lakes.assay(
            "redteam",
            "-c",
            config.toString(),
            "-d",
            "census",
            "--out",
            shadow.toString(),
            "--seed",
            "1",
            "--attack",
            "gradual:column=income,step=" + STEP + ",partitions=8..27");
    assertEquals(0, redteam.exitCode(), redteam.err());
    Lakes.Cli evaluate =
        Lakes.assay(
            "evaluate", "-c", config.toString(), "-d", "census", "--shadow", shadow.toString());
    assertEquals(0, evaluate.exitCode(), evaluate.err());

    // The attack: batch 7 + k has about k × step of its labels flipped.
    Map<Integer, Double> flipped = flippedShares(spark, shadow);
    assertEquals(IntStream.rangeClosed(8, 27).boxed().toList(), new ArrayList<>(flipped.keySet()));
    flipped.forEach(
        (batch, share) -> {
          double expected = STEP * (batch - 7);
          assertTrue(
              Math.abs(share - expected) <= 4 * Math.sqrt(expected * (1 - expected) / 1163),
              "batch "
                  + batch
                  + " has "
                  + share
                  + " of its labels flipped, expected about "
                  + expected);
        });

    Map<Integer, List<String>> attacked = reasons(spark, shadow.resolve("lake/_integrity"));
    Integer first =
        attacked.entrySet().stream()
            .filter(e -> slowDrift(e.getValue()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    assertNotNull(first, "no slow-drift FAIL on the attacked lake:\n" + evaluate.out());
    assertTrue(
        flipped.containsKey(first), "slow drift FAILs batch " + first + " before the attack");
    // The k-th attacked batch carries a cumulative flip of k × step.
    int k = new ArrayList<>(flipped.keySet()).indexOf(first) + 1;
    assertTrue(
        k * STEP < 0.10,
        "slow drift caught only at batch "
            + first
            + " (attacked batch "
            + k
            + ": "
            + k * STEP
            + " of its labels flipped, "
            + flipped.get(first)
            + " drawn): "
            + attacked.get(first));
  }

  @Test
  void badGradualSpecsExitTwoNamingTheParameterAndTheFix(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 5, 100), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age]", "[sex]"));
    Map<String, String> cases =
        Map.of(
            "gradual:step=0.01",
                "missing required parameter 'partitions', the attacked range, such as partitions=1..5",
            "gradual:step=0.3,partitions=1..5",
                "step=0.3 over 5 partitions would flip 150% of the last one's rows;"
                    + " use step <= 0.2",
            "gradual:column=age,partitions=1..3",
                "column=age is not the label column of dataset 'census'; gradual"
                    + " flips labels: write column=income",
            "gradual:partitions=4..2",
                "partitions=4..2 runs backwards; write the earlier partition first: 2..4",
            "gradual:partitions=1..9", "partition batch=9 is not in",
            "gradual:step=0,partitions=1..3", "step=0 is not a fraction in (0, 1]");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path out = dir.resolve("out-" + Math.abs(c.getKey().hashCode()));
      Lakes.Cli cli =
          Lakes.assay(
              "redteam",
              "-c",
              config.toString(),
              "-d",
              "census",
              "--out",
              out.toString(),
              "--attack",
              c.getKey());
      assertEquals(2, cli.exitCode(), c.getKey() + ": " + cli.err());
      assertTrue(
          cli.err().contains("Invalid --attack '" + c.getKey() + "': " + c.getValue()),
          c.getKey() + " -> " + cli.err());
      assertFalse(
          Files.exists(out.resolve("redteam.json")),
          "no manifest after a failed run: " + c.getKey());
    }
  }

  @Test
  void aLabelDriftTableWrittenBeforeTheCusumColumnsGainsThemOnItsNextWrite(
      SparkSession spark, @TempDir Path dir) {
    IntegrityStore store = IntegrityStore.open(spark, IntegrityLocation.atPath(dir.toString()));
    StructType current = IntegrityTables.LABEL_DRIFT.schema();
    StructType older =
        new StructType(
            java.util.Arrays.stream(current.fields())
                .filter(
                    f -> !List.of("cusum", "cusum_label", "anchor_partitions").contains(f.name()))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
    Object[] values = new Object[older.size()];
    values[0] = "census";
    values[1] = "1";
    spark
        .createDataFrame(List.of(RowFactory.create(values)), older)
        .write()
        .format("delta")
        .partitionBy("dataset")
        .save(store.ref(IntegrityTables.LABEL_DRIFT));
    Object[] newer = new Object[current.size()];
    newer[0] = "census";
    newer[1] = "2";
    newer[current.fieldIndex("cusum")] = 6.5;
    RunInfo run =
        new RunInfo("r", "label-drift", "census", List.of("2"), "census", 0, "sha", Instant.now());
    store.replacePartitions(
        IntegrityTables.LABEL_DRIFT,
        "census",
        List.of("2"),
        spark.createDataFrame(List.of(RowFactory.create(newer)), current),
        run);
    Map<String, Object> cusum = new TreeMap<>();
    for (Row row : store.read(IntegrityTables.LABEL_DRIFT).collectAsList()) {
      cusum.put(row.getAs("partition"), row.getAs("cusum"));
    }
    Map<String, Object> expected = new TreeMap<>();
    expected.put("1", null);
    expected.put("2", 6.5);
    assertEquals(expected, cusum, "the old row reads null, the new one its value");
  }

  private static boolean slowDrift(List<String> reasons) {
    return reasons.stream().anyMatch(r -> r.contains("label-drift: slow drift"));
  }

  /** Each batch's FAIL reasons, in batch order (empty unless FAIL). */
  private static Map<Integer, List<String>> reasons(SparkSession spark, Path integrity) {
    Map<Integer, List<String>> out = new TreeMap<>();
    for (Row row : delta(spark, integrity.resolve("verdicts")).collectAsList()) {
      out.put(
          Integer.parseInt(row.getAs("partition")),
          "FAIL".equals(row.getAs("verdict")) ? row.getList(row.fieldIndex("reasons")) : List.of());
    }
    return out;
  }

  /** Per attacked batch, the share of its rows the ground truth says were flipped. */
  private static Map<Integer, Double> flippedShares(SparkSession spark, Path shadow) {
    Map<Integer, Long> rows = new TreeMap<>();
    for (Row row :
        delta(spark, shadow.resolve("lake/census")).groupBy("batch").count().collectAsList()) {
      rows.put(row.getInt(0), row.getLong(1));
    }
    Map<Integer, Double> out = new TreeMap<>();
    Dataset<Row> truth = delta(spark, shadow.resolve("lake/ground_truth"));
    for (Row row :
        truth
            .where(col("effect").equalTo("modified"))
            .groupBy("partition")
            .count()
            .collectAsList()) {
      int batch = Integer.parseInt(row.getString(0));
      out.put(batch, (double) row.getLong(1) / rows.get(batch));
    }
    return out;
  }

  private static Dataset<Row> delta(SparkSession spark, Path path) {
    return spark.read().format("delta").load(path.toString());
  }
}
