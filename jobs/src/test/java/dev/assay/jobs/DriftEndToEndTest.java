package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.DataFrameAssert;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.DemoLake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class DriftEndToEndTest {

  private static Map<String, Row> verdicts(SparkSession spark, Path integrity) {
    return verdicts(spark, integrity, "census");
  }

  private static Map<String, Row> verdicts(SparkSession spark, Path integrity, String dataset) {
    Map<String, Row> out = new HashMap<>();
    for (Row row :
        spark
            .read()
            .format("delta")
            .load(integrity.resolve("verdicts").toString())
            .where(org.apache.spark.sql.functions.col("dataset").equalTo(dataset))
            .collectAsList()) {
      out.put(row.getAs("partition"), row);
    }
    return out;
  }

  @Test
  void demoLakePassesCleanPartitionsAndFailsPoisonedOnesNamingTheFeature(SparkSession spark)
      throws Exception {
    Path dir = Lakes.demo(spark).getParent();
    Map<String, Row> verdicts = verdicts(spark, dir.resolve("lake/_integrity"), "adult");
    assertEquals(DemoLake.ALL_DAYS, verdicts.size());
    verdicts.forEach(
        (partition, row) -> {
          String verdict = row.getAs("verdict");
          List<String> reasons = row.getList(row.fieldIndex("reasons"));
          if (partition.equals(DemoLake.UNIT_BUG_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(reasons.stream().anyMatch(r -> r.contains("psi(age)")), reasons.toString());
          } else if (partition.equals(DemoLake.SHIFTED_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream().anyMatch(r -> r.contains("psi(education)")), reasons.toString());
          } else if (partition.equals(DemoLake.FLIP_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream()
                    .anyMatch(r -> r.contains("segment source='" + DemoLake.FLIP_SOURCE + "'")),
                reasons.toString());
          } else if (partition.equals(DemoLake.BACKDOOR_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream()
                    .anyMatch(
                        r ->
                            r.contains("backdoor trigger candidate")
                                && r.contains("workclass = '" + DemoLake.BACKDOOR_WORKCLASS + "'")
                                && r.contains("capital_loss = " + DemoLake.BACKDOOR_CAPITAL_LOSS)
                                && r.contains("label '" + DemoLake.BACKDOOR_LABEL + "'")),
                reasons.toString());
          } else if (partition.equals(DemoLake.ROGUE_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream()
                    .anyMatch(r -> r.contains("annotator '" + DemoLake.ROGUE_ANNOTATOR + "'")),
                reasons.toString());
            assertTrue(
                reasons.stream()
                    .noneMatch(
                        r ->
                            r.contains("annotator 'ann_") && !r.contains(DemoLake.ROGUE_ANNOTATOR)),
                reasons.toString());
          } else if (partition.equals(DemoLake.REPLAY_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream().anyMatch(r -> r.contains("replay_rate_excess")),
                reasons.toString());
            assertTrue(
                reasons.stream().anyMatch(r -> r.contains("conflict_rate_excess")),
                reasons.toString());
          } else if (partition.equals(DemoLake.BURST_DAY.toString())) {
            assertEquals("FAIL", verdict);
            assertTrue(
                reasons.stream().anyMatch(r -> r.contains("duplicate_rate_excess")),
                reasons.toString());
          } else {
            assertEquals("PASS", verdict, partition + " " + reasons);
          }
        });
    String printed = Lakes.demoNightlyOutput(spark);
    assertTrue(printed.contains("FAIL"), printed);
    // every replayed row of the replay day is evidence, with the day it was first seen
    Dataset<Row> evidence =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/_integrity/duplicates").toString())
            .where(
                org.apache
                    .spark
                    .sql
                    .functions
                    .col("partition")
                    .equalTo(DemoLake.REPLAY_DAY.toString()));
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (Row r : evidence.collectAsList()) {
      if (DemoLake.REPLAY_SOURCE_DAY.toString().equals(r.getAs("first_seen_partition"))) {
        r.getList(r.fieldIndex("sample_ids")).forEach(id -> reported.add((String) id));
      }
    }
    long replayed =
        DemoLake.poisonedRows().stream()
            .filter(r -> r.getLong(0) >= 200_000 && r.getLong(0) < 300_000)
            .count();
    assertTrue(replayed > 200, "replayed rows: " + replayed);
    assertEquals(
        replayed,
        reported.size(),
        "replayed rows reported as REPLAY or LABEL_CONFLICT from " + DemoLake.REPLAY_SOURCE_DAY);

    // checks: the contract FAILs the unit-bug, shifted and tampered days only, and quarantines
    // exactly the
    // backdoor rows, whose content no longer matches the checksum taken at ingestion
    Map<String, List<String>> failedChecks = new java.util.TreeMap<>();
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/_integrity/check_results").toString())
            .where("dataset = 'adult' AND status <> 'OK'")
            .collectAsList()) {
      failedChecks
          .computeIfAbsent(r.getAs("partition"), k -> new ArrayList<>())
          .add(r.getAs("constraint"));
    }
    assertEquals(
        Map.of(
            DemoLake.UNIT_BUG_DAY.toString(),
            List.of("max(age)"),
            DemoLake.SHIFTED_DAY.toString(),
            List.of("size"),
            DemoLake.BACKDOOR_DAY.toString(),
            List.of("checksum(row_checksum)")),
        failedChecks);
    List<Long> backdoorIds = new ArrayList<>();
    for (Row r : DemoLake.poisonedRows()) {
      if (r.getDate(17).toLocalDate().equals(DemoLake.BACKDOOR_DAY)
          && DemoLake.BACKDOOR_WORKCLASS.equals(r.getString(2))
          && r.getInt(12) == DemoLake.BACKDOOR_CAPITAL_LOSS) {
        backdoorIds.add(r.getLong(0));
      }
    }
    List<Long> quarantined = new ArrayList<>();
    spark
        .read()
        .format("delta")
        .load(dir.resolve("lake/quarantine/adult_checks").toString())
        .select("row_id")
        .collectAsList()
        .forEach(r -> quarantined.add(r.getLong(0)));
    java.util.Collections.sort(backdoorIds);
    java.util.Collections.sort(quarantined);
    assertTrue(backdoorIds.size() >= 10, "backdoor rows: " + backdoorIds);
    assertEquals(backdoorIds, quarantined);

    // fl_updates: rounds before the attackers turn pass, the rest fail, naming the attackers
    Map<String, Row> rounds = verdicts(spark, dir.resolve("lake/_integrity"), "fl_updates");
    assertEquals(12, rounds.size());
    rounds.forEach(
        (round, row) ->
            assertEquals(
                Integer.parseInt(round) < DemoLake.FL_ATTACK_ROUND ? "PASS" : "FAIL",
                row.getAs("verdict"),
                round + " " + row.getList(row.fieldIndex("reasons"))));
    Dataset<Row> truth =
        spark.read().format("delta").load(dir.resolve("lake/fl_ground_truth").toString());
    Dataset<Row> scores =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/_integrity/client_anomalies").toString());
    Dataset<Row> joined =
        scores.join(
            truth,
            scores
                .col("partition")
                .equalTo(truth.col("round").cast("string"))
                .and(scores.col("client_id").equalTo(truth.col("client_id"))));
    assertEquals(
        0, joined.where("attack = 'honest' AND flagged").count(), "no honest client flagged");
    assertEquals(
        6 * 7,
        joined.where("attack IN ('boost', 'sign_flip', 'sybil') AND flagged").count(),
        "boosted, sign-flipped and sybil clients flagged in every attacked round");
  }

  @Test
  void unseenLakeFailsTheCorruptedBatchOnlyAndNamesTheFeature(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = Lakes.scaled(Lakes.adultBatches(spark, 9, 600), 7, "hours_per_week", 60);
    Lakes.write(rows, dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("auto", "auto"));
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());
    Map<String, Row> verdicts = verdicts(spark, dir.resolve("integrity"));
    assertEquals(9, verdicts.size());
    for (int batch = 1; batch <= 9; batch++) {
      Row row = verdicts.get(String.valueOf(batch));
      List<String> reasons = row.getList(row.fieldIndex("reasons"));
      if (batch == 7) {
        assertEquals("FAIL", row.getAs("verdict"));
        assertTrue(
            reasons.stream().anyMatch(r -> r.contains("psi(hours_per_week)")), reasons.toString());
        assertTrue(reasons.stream().noneMatch(r -> r.contains("psi(age)")), reasons.toString());
      } else {
        assertTrue(!row.getAs("verdict").equals("FAIL"), "batch " + batch + " " + reasons);
      }
    }
    // Batch 8 was judged after the failed batch 7: its trusted baseline must leave 7 out.
    Row drift =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/feature_drift").toString())
            .where(col("partition").equalTo("8").and(col("feature").equalTo("age")))
            .head();
    assertTrue(!drift.getList(drift.fieldIndex("baseline")).contains("7"), drift.toString());
  }

  @Test
  void poisonedFirstPartitionFailsInsteadOfBecomingTheReference(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows = Lakes.scaled(Lakes.adultBatches(spark, 6, 700), 1, "capital_gain", 100);
    Lakes.write(Lakes.scaled(rows, 1, "hours_per_week", 3), dir.resolve("census"));
    Path config =
        Lakes.config(
            dir, Lakes.batchesDataset("[age, hours_per_week, capital_gain]", "[sex, race]"));
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString(), "--all");
    assertEquals(0, run.exitCode(), run.err());
    Map<String, Row> verdicts = verdicts(spark, dir.resolve("integrity"));
    Row first = verdicts.get("1");
    assertEquals("FAIL", first.getAs("verdict"), first.toString());
    assertTrue(
        first.getList(first.fieldIndex("reasons")).toString().contains("psi(hours_per_week)"),
        first.toString());
    for (int batch = 2; batch <= 6; batch++) {
      Row row = verdicts.get(String.valueOf(batch));
      assertEquals("PASS", row.getAs("verdict"), row.toString());
    }
    assertTrue(
        verdicts
            .get("2")
            .getList(verdicts.get("2").fieldIndex("reasons"))
            .toString()
            .contains("bootstrap: agrees with most"));
  }

  @Test
  void driftValuesMatchTheTextbookFormulasOnTheStoredBins(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(
        Lakes.scaled(Lakes.adultBatches(spark, 5, 500), 5, "age", 2), dir.resolve("census"));
    Path config =
        Lakes.config(
            dir, Lakes.batchesDataset("[age, fnlwgt, hours_per_week]", "[education, race]"));
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString()).exitCode());
    Dataset<Row> profiles =
        spark.read().format("delta").load(dir.resolve("integrity/feature_profiles").toString());
    List<Row> drift =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/feature_drift").toString())
            .where(col("psi").isNotNull())
            .collectAsList();
    assertTrue(drift.size() >= 4 * 5, "drift rows: " + drift.size());
    for (Row row : drift) {
      String feature = row.getAs("feature");
      List<String> baseline = row.getList(row.fieldIndex("baseline"));
      Map<String, Long> current = counts(profiles, row.getAs("partition"), feature);
      Map<String, Long> base = new HashMap<>();
      for (String b : baseline) {
        counts(profiles, b, feature).forEach((k, v) -> base.merge(k, v, Long::sum));
      }
      if (row.getAs("kind").equals("categorical")) {
        foldUnsharedIntoOther(base, current);
      }
      double[][] pq = aligned(base, current);
      String where = row.getAs("partition") + "/" + feature;
      assertEquals(psi(pq[0], pq[1]), (double) row.getAs("psi"), 1e-9, where);
      assertEquals(js(pq[0], pq[1]), (double) row.getAs("js_distance"), 1e-9, where);
    }
  }

  @Test
  void nightlyAllTwiceLeavesTheSameRows(SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 4, 400), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age, hours_per_week]", "[sex]"));
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString(), "--all").exitCode());
    Map<String, Dataset<Row>> first = snapshot(spark, dir);
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString(), "--all").exitCode());
    Map<String, Dataset<Row>> second = snapshot(spark, dir);
    first.forEach(
        (table, rows) -> {
          DataFrameAssert.assertSameRows(rows, second.get(table));
          DataFrameAssert.assertUniqueKeys(
              second.get(table),
              table.equals("verdicts")
                  ? new String[] {"partition"}
                  : new String[] {"partition", "feature"});
        });
  }

  @Test
  void verdictAloneRejudgesPartitionsAJobRanOnAfterTheirVerdict(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 3, 300), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age]", "[sex]"));
    String c = config.toString();
    for (String job : List.of("profile", "feature-drift", "duplicates", "label-drift", "verdict")) {
      assertEquals(0, Lakes.assay(job, "-c", c).exitCode(), job);
    }
    assertTrue(
        Lakes.assay("verdict", "-c", c).out().contains("no pending partitions"),
        "verdicts newer than every job result are not pending");
    String second = "2";
    assertEquals(0, Lakes.assay("feature-drift", "-c", c, "-d", "census", "-p", second).exitCode());
    Lakes.Cli verdict = Lakes.assay("verdict", "-c", c);
    assertEquals(0, verdict.exitCode(), verdict.err());
    assertTrue(
        verdict.out().contains("decided 1 verdict(s)"),
        "only the re-run partition is re-judged: " + verdict.out());
    List<Row> latest =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/runs").toString())
            .where("job = 'verdict' AND status = 'SUCCEEDED'")
            .orderBy(col("started_at").desc())
            .limit(1)
            .select("partitions")
            .collectAsList();
    assertEquals(
        List.of(second),
        latest.get(0).getList(0),
        "the last verdict run judged partition " + second);
  }

  private static Map<String, Dataset<Row>> snapshot(SparkSession spark, Path dir) {
    Map<String, Dataset<Row>> tables = new HashMap<>();
    for (String table : List.of("feature_profiles", "feature_drift", "verdicts")) {
      Dataset<Row> rows =
          spark
              .read()
              .format("delta")
              .load(dir.resolve("integrity/" + table).toString())
              .drop("run_id", "decided_at", "kll_sketch", "hll_sketch");
      tables.put(table, spark.createDataFrame(rows.collectAsList(), rows.schema()));
    }
    return tables;
  }

  private static Map<String, Long> counts(Dataset<Row> profiles, String partition, String feature) {
    Row row =
        profiles
            .where(col("partition").equalTo(partition).and(col("feature").equalTo(feature)))
            .head();
    Map<String, Long> out = new HashMap<>();
    boolean numeric = row.getAs("kind").equals("numeric");
    if (numeric) {
      List<Row> bins = row.getList(row.fieldIndex("bins"));
      for (int i = 0; i < bins.size(); i++) {
        out.put("bin" + i, bins.get(i).getLong(2));
      }
    } else {
      for (Row c : row.<Row>getList(row.fieldIndex("categories"))) {
        out.put("v:" + c.getString(0), c.getLong(1));
      }
      out.put("other", row.getAs("other_count"));
    }
    return out;
  }

  /** The documented categorical buckets: values listed on both sides, the rest in "other". */
  private static void foldUnsharedIntoOther(Map<String, Long> a, Map<String, Long> b) {
    for (Map<String, Long> side : List.of(a, b)) {
      Map<String, Long> other = side == a ? b : a;
      for (String key : new java.util.ArrayList<>(side.keySet())) {
        if (!key.equals("other") && !other.containsKey(key)) {
          side.merge("other", side.remove(key), Long::sum);
        }
      }
    }
  }

  private static double[][] aligned(Map<String, Long> a, Map<String, Long> b) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    double[][] out = new double[2][keys.size()];
    double ta = a.values().stream().mapToLong(Long::longValue).sum();
    double tb = b.values().stream().mapToLong(Long::longValue).sum();
    int i = 0;
    for (String k : keys) {
      out[0][i] = a.getOrDefault(k, 0L) / ta;
      out[1][i] = b.getOrDefault(k, 0L) / tb;
      i++;
    }
    return out;
  }

  /** Textbook PSI with empty bins at 1e-4 (the Evidently convention). */
  private static double psi(double[] expected, double[] actual) {
    double total = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i], 0) == 0 ? 1e-4 : expected[i];
      double a = actual[i] == 0 ? 1e-4 : actual[i];
      total += (a - e) * Math.log(a / e);
    }
    return total;
  }

  /** scipy.spatial.distance.jensenshannon with base e. */
  private static double js(double[] p, double[] q) {
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      d += (p[i] > 0 ? p[i] * Math.log(p[i] / m) : 0) + (q[i] > 0 ? q[i] * Math.log(q[i] / m) : 0);
    }
    return Math.sqrt(d / 2);
  }
}
