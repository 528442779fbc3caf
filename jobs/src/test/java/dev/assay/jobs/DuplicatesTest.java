package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.DataFrameAssert;
import dev.assay.common.testing.SparkExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays, relabelled replays and a duplicate burst injected into real Adult batches: found by id
 * with the right first-seen partition, quarantined, and judged against the clean batches, which are
 * not flagged. Re-runs, backfills and index rebuilds give the evidence of a clean run.
 */
@ExtendWith(SparkExtension.class)
class DuplicatesTest {
  static final int BATCHES = 8;
  static final int PER_BATCH = 2500;
  static final int REPLAY = 7;
  static final int BURST = 8;
  static final long REPLAY_IDS = 1_000_000;
  static final long BURST_IDS = 2_000_000;

  private static Column draw(String column, int salt, int range) {
    return pmod(xxhash64(col(column), lit(salt)), lit(range));
  }

  private static String dataset(String extra) {
    return Lakes.batchesDataset(
            "[age, fnlwgt, education_num, capital_gain, capital_loss, hours_per_week]",
            "[workclass, education, marital_status, occupation, relationship, race, sex, native_country]")
        + "    fingerprint:\n      exclude: [row_id]\n"
        + extra;
  }

  /**
   * Clean batches, then replays of batches 2 and 4 (a third relabelled) in 7, and a burst of copies
   * in 8.
   */
  static Dataset<Row> attacked(SparkSession spark) {
    Dataset<Row> clean = Lakes.adultBatches(spark, BATCHES, PER_BATCH);
    Dataset<Row> replays =
        clean
            .where(
                col("batch")
                    .equalTo(2)
                    .and(draw("row_id", 1, 100).lt(6))
                    .or(col("batch").equalTo(4).and(draw("row_id", 1, 100).lt(4))))
            .withColumn("first_batch", col("batch"))
            .withColumn("relabelled", draw("row_id", 2, 3).equalTo(0))
            .withColumn(
                "income",
                when(
                        col("relabelled"),
                        when(col("income").equalTo(">50K"), lit("<=50K")).otherwise(lit(">50K")))
                    .otherwise(col("income")))
            .withColumn("row_id", col("row_id").plus(REPLAY_IDS))
            .withColumn("batch", lit(REPLAY));
    Dataset<Row> burst =
        clean
            .where(col("batch").equalTo(BURST).and(draw("row_id", 3, 100).lt(4)))
            .crossJoin(spark.range(1, 4).toDF("copy"))
            .withColumn("row_id", col("row_id").multiply(4).plus(col("copy")).plus(BURST_IDS))
            .drop("copy");
    return clean.unionByName(replays.drop("first_batch", "relabelled")).unionByName(burst);
  }

  private static Set<String> ids(Dataset<Row> rows) {
    Set<String> ids = new HashSet<>();
    rows.select(col("row_id").cast("string")).collectAsList().forEach(r -> ids.add(r.getString(0)));
    return ids;
  }

  @Test
  void replaysRelabelledReplaysAndBurstsAreFoundAndCleanBatchesAreNot(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows = attacked(spark);
    Lakes.write(rows.where(col("batch").leq(6)), dir.resolve("census"));
    Path config =
        Lakes.config(
            dir,
            dataset(
                "    duplicates:\n      sample_ids: 20\n      max_groups: 100000\n"
                    + "      quarantine:\n        table: quarantine\n"));
    // nightly gives the clean batches their PASS verdicts, which make them a trusted baseline
    Lakes.Cli first = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, first.exitCode(), first.err());
    Lakes.write(rows.where(col("batch").gt(6)), dir.resolve("census"));
    Lakes.Cli second = Lakes.assay("duplicates", "-c", config.toString());
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("against 6 indexed partition(s)"), second.out());

    Dataset<Row> clean = Lakes.adultBatches(spark, BATCHES, PER_BATCH);
    Dataset<Row> replayed =
        clean.where(
            col("batch")
                .equalTo(2)
                .and(draw("row_id", 1, 100).lt(6))
                .or(col("batch").equalTo(4).and(draw("row_id", 1, 100).lt(4))));
    Column relabelled = draw("row_id", 2, 3).equalTo(0);
    Map<String, String> firstBatch = new HashMap<>();
    replayed
        .select(col("row_id").plus(REPLAY_IDS).cast("string"), col("batch").cast("string"))
        .collectAsList()
        .forEach(r -> firstBatch.put(r.getString(0), r.getString(1)));
    Set<String> exact = new HashSet<>();
    replayed
        .where(org.apache.spark.sql.functions.not(relabelled))
        .select(col("row_id").plus(REPLAY_IDS).cast("string"))
        .collectAsList()
        .forEach(r -> exact.add(r.getString(0)));
    Set<String> flipped = new HashSet<>(firstBatch.keySet());
    flipped.removeAll(exact);
    assertTrue(exact.size() > 150 && flipped.size() > 60, exact.size() + " / " + flipped.size());

    Dataset<Row> evidence =
        spark.read().format("delta").load(dir.resolve("integrity/duplicates").toString());
    Map<String, String> reportedReplays = new HashMap<>();
    Map<String, String> reportedConflicts = new HashMap<>();
    for (Row r : evidence.where(col("partition").equalTo(String.valueOf(REPLAY))).collectAsList()) {
      Map<String, String> target =
          r.getAs("kind").equals("REPLAY")
              ? reportedReplays
              : r.getAs("kind").equals("LABEL_CONFLICT") ? reportedConflicts : new HashMap<>();
      for (Object id : r.getList(r.fieldIndex("sample_ids"))) {
        target.put((String) id, r.getAs("first_seen_partition"));
      }
    }
    assertRecallAndPrecision(exact, reportedReplays.keySet(), "REPLAY");
    assertRecallAndPrecision(flipped, reportedConflicts.keySet(), "LABEL_CONFLICT");
    for (String id : firstBatch.keySet()) {
      String reported =
          reportedReplays.containsKey(id) ? reportedReplays.get(id) : reportedConflicts.get(id);
      assertEquals(firstBatch.get(id), reported, "first_seen_partition of replayed row " + id);
    }

    Set<String> burstCopies = ids(rows.where(col("row_id").geq(BURST_IDS)));
    Set<String> reportedBurst = new HashSet<>();
    evidence
        .where(
            col("partition").equalTo(String.valueOf(BURST)).and(col("kind").equalTo("DUPLICATE")))
        .collectAsList()
        .forEach(
            r ->
                r.getList(r.fieldIndex("sample_ids"))
                    .forEach(id -> reportedBurst.add((String) id)));
    assertTrue(reportedBurst.containsAll(burstCopies), "every burst copy is in a DUPLICATE group");

    Map<String, String> status = new HashMap<>();
    Dataset<Row> summary =
        spark.read().format("delta").load(dir.resolve("integrity/duplicate_summary").toString());
    summary
        .select("partition", "status")
        .collectAsList()
        .forEach(r -> status.put(r.getString(0), r.getString(1)));
    String all = summary.drop("dataset", "run_id").collectAsList().toString();
    assertEquals("FAIL", status.get(String.valueOf(REPLAY)), all);
    assertEquals("FAIL", status.get(String.valueOf(BURST)), all);
    for (int batch = 1; batch <= 6; batch++) {
      assertEquals("OK", status.get(String.valueOf(batch)), "clean batch " + batch + ": " + all);
    }

    Dataset<Row> quarantined =
        spark.read().format("delta").load(dir.resolve("quarantine").toString());
    Set<String> quarantinedIds = ids(quarantined);
    assertTrue(
        quarantinedIds.containsAll(firstBatch.keySet()), "every replayed row is quarantined");
    for (Row group :
        evidence
            .where(
                col("partition")
                    .equalTo(String.valueOf(BURST))
                    .and(col("kind").equalTo("DUPLICATE")))
            .collectAsList()) {
      Set<String> copies = new HashSet<>(group.getList(group.fieldIndex("sample_ids")));
      copies.retainAll(quarantinedIds);
      assertEquals(
          (Long) group.getAs("occurrences") - 1,
          copies.size(),
          "all copies but one are quarantined");
    }
    assertEquals(
        rows.columns().length + 2,
        quarantined.columns().length,
        "whole rows plus kinds and run id");
  }

  private static void assertRecallAndPrecision(
      Set<String> truth, Set<String> reported, String kind) {
    Set<String> hit = new HashSet<>(reported);
    hit.retainAll(truth);
    double recall = (double) hit.size() / truth.size();
    double precision = reported.isEmpty() ? 0 : (double) hit.size() / reported.size();
    assertTrue(
        recall >= 0.99 && precision >= 0.99,
        kind + ": recall " + recall + ", precision " + precision);
  }

  @Test
  void rerunsBackfillsAndRebuildsGiveTheEvidenceOfACleanRun(SparkSession spark, @TempDir Path dir)
      throws Exception {
    // batch 5 replays batch 3, so a late batch 3 changes what batch 5 replays
    Dataset<Row> clean = Lakes.adultBatches(spark, 6, 800);
    Dataset<Row> rows =
        clean.unionByName(
            clean
                .where(col("batch").equalTo(3).and(draw("row_id", 4, 10).lt(2)))
                .withColumn("row_id", col("row_id").plus(REPLAY_IDS))
                .withColumn("batch", lit(5)));
    Lakes.write(rows, dir.resolve("clean/census"));
    Path cleanConfig = Lakes.config(dir.resolve("clean"), dataset(""));
    assertEquals(0, Lakes.assay("duplicates", "-c", cleanConfig.toString()).exitCode());

    Path backfilled = dir.resolve("backfilled");
    Lakes.write(rows.where(col("batch").notEqual(3)), backfilled.resolve("census"));
    Path config = Lakes.config(backfilled, dataset(""));
    assertEquals(0, Lakes.assay("duplicates", "-c", config.toString()).exitCode());
    assertTrue(
        spark
            .read()
            .format("delta")
            .load(backfilled.resolve("integrity/duplicates").toString())
            .where(col("partition").equalTo("5").and(col("kind").equalTo("REPLAY")))
            .isEmpty(),
        "nothing to replay yet");
    Lakes.write(rows.where(col("batch").equalTo(3)), backfilled.resolve("census"));
    Lakes.Cli backfill = Lakes.assay("duplicates", "-c", config.toString());
    assertEquals(0, backfill.exitCode(), backfill.err());
    assertTrue(
        backfill.out().contains("fingerprinted 4 partition(s)"),
        "3 and the later 4, 5, 6: " + backfill.out());
    assertEquals(
        0,
        Lakes.assay("duplicates", "-c", config.toString(), "-d", "census", "-p", "5").exitCode());
    assertSameResults(spark, dir.resolve("clean"), backfilled);

    Lakes.Cli rebuild = Lakes.assay("duplicates", "-c", config.toString(), "--rebuild-index");
    assertEquals(0, rebuild.exitCode(), rebuild.err());
    assertTrue(rebuild.out().contains("index rebuilt"), rebuild.out());
    assertSameResults(spark, dir.resolve("clean"), backfilled);
  }

  private static void assertSameResults(SparkSession spark, Path expected, Path actual) {
    for (String table : List.of("duplicates", "duplicate_index", "duplicate_summary")) {
      Dataset<Row> a =
          spark
              .read()
              .format("delta")
              .load(expected.resolve("integrity/" + table).toString())
              .drop("run_id");
      Dataset<Row> b =
          spark
              .read()
              .format("delta")
              .load(actual.resolve("integrity/" + table).toString())
              .drop("run_id");
      if (table.equals("duplicate_summary")) {
        a = a.select("partition", "rows", "duplicate_rows", "replayed_rows", "conflict_rows");
        b = b.select("partition", "rows", "duplicate_rows", "replayed_rows", "conflict_rows");
      }
      assertTrue(a.count() > 0, table);
      DataFrameAssert.assertSameRows(a, b);
    }
  }

  @Test
  void naturalRecurrenceInLowEntropyCensusDataIsNotAnAlarm(SparkSession spark, @TempDir Path dir)
      throws Exception {
    // five categorical columns and the label: most rows repeat, inside and across batches
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 6, 2000)
            .select(
                "row_id",
                "batch",
                "sex",
                "race",
                "relationship",
                "workclass",
                "marital_status",
                "income");
    Lakes.write(rows, dir.resolve("census"));
    Path config =
        Lakes.config(
            dir,
            "  - name: census\n    table: census\n    partition_column: batch\n"
                + "    id_columns: [row_id]\n    label_column: income\n    features:\n"
                + "      categorical: [sex, race, relationship, workclass, marital_status]\n");
    Lakes.Cli cli = Lakes.assay("duplicates", "-c", config.toString());
    assertEquals(0, cli.exitCode(), cli.err());
    List<Row> summary =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/duplicate_summary").toString())
            .orderBy("partition")
            .collectAsList();
    assertEquals(6, summary.size());
    for (Row r : summary) {
      assertTrue((Long) r.getAs("duplicate_rows") > 1000, "most rows repeat: " + r);
      assertTrue(!r.getAs("status").equals("FAIL"), "natural recurrence must not FAIL: " + r);
      assertTrue(
          (Boolean) r.getAs("low_entropy") && ((String) r.getAs("note")).contains("low-entropy"),
          r.toString());
    }
    assertTrue((Long) summary.get(5).getAs("replayed_rows") > 1000, "and replays are natural too");
    Row evidence =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/duplicates").toString())
            .where(col("partition").equalTo("6"))
            .first();
    assertTrue(
        ((String) evidence.getAs("note")).contains("low-entropy"),
        "the evidence says so too: " + evidence);
  }

  @Test
  void adultsOwnDuplicatesDoNotFailCleanPartitions(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 8, 4070), dir.resolve("census"));
    Path config = Lakes.config(dir, dataset(""));
    assertEquals(0, Lakes.assay("duplicates", "-c", config.toString()).exitCode());
    Dataset<Row> summary =
        spark.read().format("delta").load(dir.resolve("integrity/duplicate_summary").toString());
    long duplicates =
        summary.agg(org.apache.spark.sql.functions.sum("duplicate_rows")).first().getLong(0)
            + summary.agg(org.apache.spark.sql.functions.sum("replayed_rows")).first().getLong(0);
    assertTrue(duplicates > 0, "Adult has exact duplicate rows");
    assertEquals(
        0, summary.where(col("status").notEqual("OK")).count(), "no clean batch is flagged");
  }
}
