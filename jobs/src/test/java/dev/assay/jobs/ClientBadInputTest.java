package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.FederatedAdult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken client updates: each input error names the round, the client and the fix, exits 2 and
 * writes nothing; bad values inside an update flag that client and spare the others. Also the
 * awkward but valid: double updates, and clients that skip rounds.
 */
@ExtendWith(SparkExtension.class)
class ClientBadInputTest {
  static final FederatedAdult.Settings SMALL =
      new FederatedAdult.Settings(12, 4, 256, 3, 0, 0, 0, 0, 0);

  static Dataset<Row> updates(SparkSession spark, Path dir) {
    Path table = dir.resolve("clean");
    if (!Files.exists(table)) {
      FederatedAdult.writeUpdates(
          spark, FederatedAdult.simulate(SMALL).updates(), table.toString());
    }
    return spark.read().format("delta").load(table.toString());
  }

  static Path lake(Dataset<Row> rows, Path dir) throws Exception {
    rows.write()
        .format("delta")
        .mode("overwrite")
        .partitionBy("round")
        .save(dir.resolve("fl").toString());
    return Lakes.config(dir, ClientAnomaliesTest.DATASET);
  }

  static void assertNothingWritten(SparkSession spark, Path dir) {
    Path results = dir.resolve("integrity/client_anomalies");
    assertTrue(
        !Files.exists(results) || spark.read().format("delta").load(results.toString()).isEmpty(),
        "no client_anomalies rows");
    Path runs = dir.resolve("integrity/runs");
    assertTrue(
        !Files.exists(runs)
            || spark
                .read()
                .format("delta")
                .load(runs.toString())
                .where(col("status").equalTo("SUCCEEDED"))
                .isEmpty(),
        "no successful run recorded");
  }

  static Lakes.Cli invalid(SparkSession spark, Path dir, Dataset<Row> rows, String... expected)
      throws Exception {
    Path config = lake(rows, dir);
    Lakes.Cli run = Lakes.assay("client-anomalies", "-c", config.toString());
    assertEquals(2, run.exitCode(), run.out() + run.err());
    for (String text : expected) {
      assertTrue(run.err().contains(text), "expected '" + text + "' in: " + run.err());
    }
    assertNothingWritten(spark, dir);
    return run;
  }

  @Test
  void aClientTwiceInARoundIsAnErrorNamingRoundAndClient(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = updates(spark, dir);
    invalid(
        spark,
        dir,
        rows.unionByName(rows.where(col("round").equalTo(2).and(col("client_id").equalTo("c005")))),
        "round=2",
        "client c005 appears more than once",
        "deduplicate");
  }

  @Test
  void updatesOfDifferentSizesAreAnErrorNamingTheOddClients(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        updates(spark, dir)
            .withColumn(
                "update",
                when(
                        col("round").equalTo(3).and(col("client_id").equalTo("c007")),
                        expr("slice(`update`, 1, 200)"))
                    .otherwise(col("update")));
    invalid(spark, dir, rows, "round=3", "most have 256 values", "c007 (200)");
  }

  @Test
  void aNullClientIdIsAnError(SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows =
        updates(spark, dir)
            .withColumn(
                "client_id",
                when(col("client_id").equalTo("c001"), lit(null).cast("string"))
                    .otherwise(col("client_id")));
    invalid(spark, dir, rows, "null client_id", "Every update needs its client id");
  }

  @Test
  void wrongTypesAndMissingColumnsAreNamedBeforeAnyRead(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = updates(spark, dir);
    invalid(
        spark,
        dir.resolve("a"),
        rows.withColumn("update", expr("transform(`update`, x -> cast(x as string))")),
        "datasets[0].update_column",
        "array<string>",
        "expected array<float> or array<double>");
    invalid(
        spark,
        dir.resolve("b"),
        rows.withColumn("update", expr("cast(`update` as string)")),
        "datasets[0].update_column",
        "has type string");
    invalid(
        spark,
        dir.resolve("c"),
        rows.withColumnRenamed("client_id", "client"),
        "datasets[0].client_column",
        "column 'client_id' not found",
        "client (string)");
  }

  @Test
  void nanInfinityAndNullUpdatesFlagTheirClientAndSpareTheOthers(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows =
        updates(spark, dir)
            .withColumn(
                "update",
                when(
                        col("round").equalTo(2).and(col("client_id").equalTo("c003")),
                        expr(
                            "transform(`update`, (x, i) -> case when i = 5 then float('NaN') when i = 9 then float('Infinity')"
                                + " else x end)"))
                    .when(col("round").equalTo(2).and(col("client_id").equalTo("c004")), lit(null))
                    .otherwise(col("update")));
    Path config = lake(rows, dir);
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());
    Dataset<Row> results =
        spark.read().format("delta").load(dir.resolve("integrity/client_anomalies").toString());
    List<String> flagged = new ArrayList<>();
    results
        .where(col("flagged"))
        .orderBy("client_id")
        .select("reason")
        .collectAsList()
        .forEach(r -> flagged.add(r.getString(0)));
    assertEquals(
        List.of(
            "client-anomalies: round 2: client c003 sent 2 NaN, Infinity or null value(s)",
            "client-anomalies: round 2: client c004 sent a null update"),
        flagged);
    assertEquals(12 * 4, results.count());
    assertEquals(
        10,
        results.where(col("partition").equalTo("2").and(col("norm").isNotNull())).count(),
        "the other clients of round 2 are scored");
    List<Row> verdicts =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/verdicts").toString())
            .orderBy("partition")
            .select("partition", "verdict")
            .collectAsList();
    assertEquals("[[1,PASS], [2,FAIL], [3,PASS], [4,PASS]]", verdicts.toString());
  }

  @Test
  void aRoundWithTooFewClientsWarnsInsteadOfJudging(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        updates(spark, dir)
            .where(col("round").notEqual(4).or(col("client_id").isin("c001", "c002", "c003")));
    Lakes.Cli run = Lakes.assay("nightly", "-c", lake(rows, dir).toString());
    assertEquals(0, run.exitCode(), run.err());
    Row round4 =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/verdicts").toString())
            .where(col("partition").equalTo("4"))
            .head();
    assertEquals("WARN", round4.getString(round4.fieldIndex("verdict")));
    assertTrue(
        round4
            .getList(round4.fieldIndex("reasons"))
            .toString()
            .contains("round 4 has 3 scorable client(s); within-round scores need min_clients 5"),
        round4.toString());
  }

  @Test
  void aModelThatChangesSizeBetweenRoundsIsAnError(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = updates(spark, dir);
    Path config = lake(rows.where(col("round").leq(2)), dir);
    assertEquals(0, Lakes.assay("client-anomalies", "-c", config.toString()).exitCode());
    rows.where(col("round").gt(2))
        .withColumn("update", expr("slice(`update`, 1, 128)"))
        .write()
        .format("delta")
        .mode("append")
        .save(dir.resolve("fl").toString());
    Lakes.Cli run = Lakes.assay("client-anomalies", "-c", config.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(
        run.err()
            .contains(
                "round=3: its updates have 128 values, but client c000's earlier updates had 256"),
        run.err());
    assertEquals(
        2 * 12,
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/client_anomalies").toString())
            .count(),
        "rounds 1 and 2 only");
  }

  @Test
  void doubleUpdatesScoreLikeFloatOnesAndClientsMaySkipRounds(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = updates(spark, dir);
    Dataset<Row> sparse = rows.where(expr("pmod(hash(client_id, `round`), 4) <> 0"));
    sparse.write().format("delta").partitionBy("round").save(dir.resolve("fl").toString());
    sparse
        .withColumn("update", expr("transform(`update`, x -> cast(x as double))"))
        .write()
        .format("delta")
        .partitionBy("round")
        .save(dir.resolve("fl_double").toString());
    Path config =
        Lakes.config(
            dir,
            ClientAnomaliesTest.DATASET
                + ClientAnomaliesTest.DATASET
                    .replace("name: fl", "name: fl_double")
                    .replace("table: fl", "table: fl_double"));
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());
    Dataset<Row> results =
        spark.read().format("delta").load(dir.resolve("integrity/client_anomalies").toString());
    long present = sparse.count();
    assertTrue(present < 12 * 4, "some clients skip rounds");
    assertEquals(present, results.where(col("dataset").equalTo("fl")).count());
    assertEquals(
        0,
        results.where(col("flagged")).count(),
        "an honest federation with absences raises nothing");
    Row worst =
        results
            .where(col("dataset").equalTo("fl"))
            .alias("f")
            .join(
                results.where(col("dataset").equalTo("fl_double")).alias("d"),
                col("f.partition")
                    .equalTo(col("d.partition"))
                    .and(col("f.client_id").equalTo(col("d.client_id"))))
            .selectExpr(
                "count(*)",
                "max(abs(f.norm - d.norm) / f.norm)",
                "max(abs(f.cosine_to_median - d.cosine_to_median))",
                "max(abs(f.krum_score - d.krum_score) / f.krum_score)",
                "sum(cast(f.history_rounds <> d.history_rounds as int))")
            .head();
    assertEquals(present, worst.getLong(0));
    assertTrue(
        worst.getDouble(1) < 1e-6 && worst.getDouble(2) < 1e-6 && worst.getDouble(3) < 1e-5,
        worst.toString());
    assertEquals(0L, worst.getLong(4));
    // history counts the rounds a client actually took part in
    Row last =
        results
            .where(col("dataset").equalTo("fl").and(col("partition").equalTo("4")))
            .orderBy("client_id")
            .select("client_id", "history_rounds")
            .head();
    long earlier =
        sparse.where(col("client_id").equalTo(last.getString(0)).and(col("round").lt(4))).count();
    assertEquals(earlier, last.getLong(1));
  }
}
