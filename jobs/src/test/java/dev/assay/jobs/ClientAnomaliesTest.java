package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.FederatedAdult;
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

/**
 * Client updates from real FedAvg training of logistic regression on Adult (50 non-IID clients, 12
 * rounds, 1024 weights), with boosted, sign-flipped, sybil, label-flipping and "a little is enough"
 * clients in every round. The ground truth is the simulator's.
 */
@ExtendWith(SparkExtension.class)
class ClientAnomaliesTest {
  static final String DATASET =
      "  - name: fl\n    kind: client_updates\n    table: fl\n    partition_column: round\n"
          + "    client_column: client_id\n    update_column: update\n";

  static Dataset<Row> anomalies(SparkSession spark, Path dir) {
    return spark.read().format("delta").load(dir.resolve("integrity/client_anomalies").toString());
  }

  /** Per attack: {client-rounds, flagged}. */
  static Map<String, long[]> flaggedByAttack(
      SparkSession spark, Path dir, List<FederatedAdult.ClientUpdate> updates) {
    Map<String, String> attack = new HashMap<>();
    updates.forEach(
        u -> attack.put(u.round() + "/" + u.clientId(), u.attack().name().toLowerCase()));
    Map<String, long[]> counts = new HashMap<>();
    for (Row row :
        anomalies(spark, dir)
            .where(col("layer").isNull())
            .select("partition", "client_id", "flagged")
            .collectAsList()) {
      long[] c =
          counts.computeIfAbsent(
              attack.get(row.getString(0) + "/" + row.getString(1)), k -> new long[2]);
      c[0]++;
      c[1] += row.getBoolean(2) ? 1 : 0;
    }
    return counts;
  }

  static double rate(Map<String, long[]> counts, String attack) {
    long[] c = counts.get(attack);
    return (double) c[1] / c[0];
  }

  @Test
  void boostedSignFlippedAndSybilClientsAreFlaggedAtRecall099AndHonestOnesAtUnder1Percent(
      SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Simulation sim = FederatedAdult.simulate(FederatedAdult.Settings.demo());
    FederatedAdult.writeUpdates(spark, sim.updates(), dir.resolve("fl").toString());
    Path config = Lakes.config(dir, DATASET);
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());

    Map<String, long[]> counts = flaggedByAttack(spark, dir, sim.updates());
    assertEquals(
        12 * 50,
        counts.values().stream().mapToLong(c -> c[0]).sum(),
        "one row per round and client");
    for (String attack : List.of("boost", "sign_flip", "sybil")) {
      assertTrue(rate(counts, attack) >= 0.99, attack + " recall " + rate(counts, attack));
    }
    assertTrue(
        rate(counts, "honest") <= 0.01, "honest false-positive rate " + rate(counts, "honest"));
    System.out.printf(
        "client-anomalies on the demo federation: label_flip %.3f, little_is_enough %.3f, honest %.4f%n",
        rate(counts, "label_flip"), rate(counts, "little_is_enough"), rate(counts, "honest"));

    Dataset<Row> verdicts =
        spark.read().format("delta").load(dir.resolve("integrity/verdicts").toString());
    assertEquals(
        12, verdicts.where(col("verdict").equalTo("FAIL")).count(), "attackers act in every round");
    String reasons =
        verdicts
            .where(col("partition").equalTo("3"))
            .select("reasons")
            .head()
            .getList(0)
            .toString();
    assertTrue(reasons.contains("client-anomalies: round 3: client c"), reasons);
    Row boosted =
        anomalies(spark, dir)
            .where(
                col("partition").equalTo("3").and(col("reasons").cast("string").contains("norm_z")))
            .select("reason")
            .head();
    assertTrue(
        boosted.getString(0).matches(".*client c\\d+ norm_z [0-9.]+ >= 6.*"), boosted.getString(0));
  }

  /**
   * Another population (partition 120 splits the rows into other clients; seed 120 picks the
   * attackers), not used to design the krum_z calibration, with attackers in every round. Its
   * largest honest clients sit far from the others in every round: scaled by each round's own
   * spread of ln Multi-Krum they reached krum_z 6 in 6 of 468 honest client-rounds (1.3%); on the
   * federation's typical spread they stay below. The reasons and notes say which spread was used.
   */
  @Test
  void anUnseenFederationWithAttackersInEveryRoundFlagsAtMost1PercentOfHonestClients(
      SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Settings settings =
        new FederatedAdult.Settings(50, 12, 1024, 120, 2, 2, 3, 2, 2);
    FederatedAdult.Simulation sim = FederatedAdult.simulate(settings, 1, 120);
    FederatedAdult.writeUpdates(spark, sim.updates(), dir.resolve("fl").toString());
    Lakes.Cli run = Lakes.assay("client-anomalies", "-c", Lakes.config(dir, DATASET).toString());
    assertEquals(0, run.exitCode(), run.err());

    Map<String, long[]> counts = flaggedByAttack(spark, dir, sim.updates());
    assertEquals(12 * 39, counts.get("honest")[0], "39 honest clients in 12 rounds");
    assertTrue(
        rate(counts, "honest") <= 0.01, "honest false-positive rate " + rate(counts, "honest"));
    for (String attack : List.of("boost", "sign_flip", "sybil")) {
      assertEquals(1.0, rate(counts, attack), attack + " recall");
    }
    System.out.printf(
        "client-anomalies on federation 120: label_flip %.3f, little_is_enough %.3f, honest %.4f%n",
        rate(counts, "label_flip"), rate(counts, "little_is_enough"), rate(counts, "honest"));
    List<Row> calibrated =
        anomalies(spark, dir)
            .where(
                col("note")
                    .contains("krum_z")
                    .or(col("reason").contains("krum_z").and(col("reason").contains("spread"))))
            .select("note", "reason")
            .collectAsList();
    assertTrue(
        calibrated.stream()
            .anyMatch(
                r ->
                    r.getString(0) != null
                        && r.getString(0)
                            .matches(
                                ".*client c\\d+ krum_z [0-9.]+ < 6 \\(ln Multi-Krum spread [0-9.]+: the federation's median over \\d+ earlier"
                                    + " round\\(s\\), above this round's [0-9.]+; [0-9.]+ on this round's\\).*")),
        "a client below 6 only on the federation's spread has a note: " + calibrated);
  }

  @Test
  void anHonestFederationPassesEveryRound(SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Simulation sim =
        FederatedAdult.simulate(FederatedAdult.Settings.demo().honest());
    FederatedAdult.writeUpdates(spark, sim.updates(), dir.resolve("fl").toString());
    Lakes.Cli run = Lakes.assay("nightly", "-c", Lakes.config(dir, DATASET).toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        List.of(),
        anomalies(spark, dir).where(col("flagged")).select("reason").collectAsList(),
        "no honest client flagged");
    assertEquals(
        12,
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/verdicts").toString())
            .where(col("verdict").equalTo("PASS"))
            .count());
  }

  @Test
  void theChunkedLayoutGivesTheRowLayoutsExactScoresAndPerLayerRows(
      SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Simulation sim = FederatedAdult.simulate(FederatedAdult.Settings.demo());
    List<FederatedAdult.ClientUpdate> firstRounds =
        sim.updates().stream().filter(u -> u.round() <= 4).toList();
    FederatedAdult.writeUpdates(spark, firstRounds, dir.resolve("fl").toString());
    FederatedAdult.writeChunks(spark, firstRounds, 300, dir.resolve("chunks").toString());
    Path config =
        Lakes.config(
            dir,
            DATASET
                + "  - name: chunks\n    kind: client_updates\n    table: chunks\n"
                + "    partition_column: round\n    client_column: client_id\n    update_column: values\n"
                + "    layer_column: layer\n    chunk_column: chunk\n    clients:\n      per_layer: true\n");
    Lakes.Cli run = Lakes.assay("client-anomalies", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());
    Dataset<Row> all = anomalies(spark, dir);
    Dataset<Row> rows = all.where(col("dataset").equalTo("fl")).alias("r");
    Dataset<Row> chunks =
        all.where(col("dataset").equalTo("chunks").and(col("layer").isNull())).alias("c");
    List<Row> pairs =
        rows.join(
                chunks,
                col("r.partition")
                    .equalTo(col("c.partition"))
                    .and(col("r.client_id").equalTo(col("c.client_id"))))
            .select(
                col("r.norm"),
                col("c.norm"),
                col("r.cosine_to_median"),
                col("c.cosine_to_median"),
                col("r.sign_agreement"),
                col("c.sign_agreement"),
                col("r.projection_z"),
                col("c.projection_z"),
                col("r.flagged"),
                col("c.flagged"),
                col("r.dim"),
                col("c.dim"))
            .collectAsList();
    assertEquals(4 * 50, pairs.size());
    int sameFlag = 0;
    for (Row p : pairs) {
      for (int i = 0; i < 8; i += 2) {
        assertEquals(
            p.getDouble(i),
            p.getDouble(i + 1),
            1e-6 * Math.max(1, Math.abs(p.getDouble(i))),
            p.toString());
      }
      assertEquals(1024L, p.getLong(10));
      assertEquals(1024L, p.getLong(11));
      sameFlag += p.getBoolean(8) == p.getBoolean(9) ? 1 : 0;
    }
    // Krum and sybil scores come from sketches, which hash chunked coordinates differently.
    assertTrue(sameFlag >= pairs.size() - 2, sameFlag + " of " + pairs.size() + " flags agree");

    Dataset<Row> layers = all.where(col("dataset").equalTo("chunks").and(col("layer").isNotNull()));
    assertEquals(4 * 50 * 2, layers.count(), "a bias row and a weights row per client and round");
    Dataset<Row> layerSquares =
        layers
            .groupBy("partition", "client_id")
            .agg(
                org.apache
                    .spark
                    .sql
                    .functions
                    .sum(col("norm").multiply(col("norm")))
                    .as("layer_squares"))
            .alias("l");
    Row worst =
        layerSquares
            .join(
                chunks,
                col("l.partition")
                    .equalTo(col("c.partition"))
                    .and(col("l.client_id").equalTo(col("c.client_id"))))
            .selectExpr("max(abs(layer_squares - c.norm * c.norm) / (c.norm * c.norm))", "count(*)")
            .head();
    assertEquals(4 * 50, worst.getLong(1));
    assertTrue(worst.getDouble(0) < 1e-9, "layer norms add up to the update's: " + worst);
  }

  @Test
  void incrementalRoundsScoreAsOneRunAndABackfillRescoresTheLaterRounds(
      SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Simulation sim = FederatedAdult.simulate(FederatedAdult.Settings.demo());
    FederatedAdult.writeUpdates(spark, sim.updates(), dir.resolve("all").toString());
    Dataset<Row> all = spark.read().format("delta").load(dir.resolve("all").toString());
    all.where(col("round").leq(6))
        .write()
        .format("delta")
        .partitionBy("round")
        .save(dir.resolve("fl").toString());
    Path config =
        Lakes.config(
            dir,
            DATASET + DATASET.replace("name: fl", "name: once").replace("table: fl", "table: all"));
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString()).exitCode());
    all.where(col("round").gt(6))
        .write()
        .format("delta")
        .mode("append")
        .save(dir.resolve("fl").toString());
    Lakes.Cli second = Lakes.assay("nightly", "-c", config.toString(), "-d", "fl");
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("in 6 round(s)"), second.out());

    String[] columns = {
      "norm",
      "norm_z",
      "cosine_to_median",
      "cosine_z",
      "projection_z",
      "sign_agreement",
      "krum_score",
      "krum_z",
      "flip_score",
      "sybil_score",
      "sybil_z",
      "history_norm_z",
      "history_cosine",
      "history_cosine_z",
      "score"
    };
    Dataset<Row> results = anomalies(spark, dir);
    Dataset<Row> incremental = results.where(col("dataset").equalTo("fl")).alias("i");
    Dataset<Row> once = results.where(col("dataset").equalTo("once")).alias("o");
    List<Row> joined =
        incremental
            .join(
                once,
                col("i.partition")
                    .equalTo(col("o.partition"))
                    .and(col("i.client_id").equalTo(col("o.client_id"))))
            .collectAsList();
    assertEquals(12 * 50, joined.size());
    Dataset<Row> both =
        incremental.join(
            once,
            col("i.partition")
                .equalTo(col("o.partition"))
                .and(col("i.client_id").equalTo(col("o.client_id"))));
    for (String column : columns) {
      Row worst =
          both.selectExpr(
                  "max(abs(coalesce(i." + column + ", 0) - coalesce(o." + column + ", 0)))",
                  "sum(cast(isnull(i." + column + ") <> isnull(o." + column + ") as int))")
              .head();
      assertTrue(worst.getDouble(0) < 1e-9, column + " differs by " + worst.getDouble(0));
      assertEquals(0L, worst.getLong(1), column + " is null in one run only");
    }

    Lakes.Cli backfill =
        Lakes.assay("client-anomalies", "-c", config.toString(), "-d", "fl", "-p", "3");
    assertEquals(0, backfill.exitCode(), backfill.err());
    assertTrue(
        backfill.out().contains("in 10 round(s)"),
        "rounds 3 to 12 are rescored: " + backfill.out());
    List<String> partitions = new ArrayList<>();
    spark
        .read()
        .format("delta")
        .load(dir.resolve("integrity/runs").toString())
        .where(col("dataset").equalTo("fl").and(col("job").equalTo("client-anomalies")))
        .orderBy(col("started_at").desc())
        .select("partitions")
        .head()
        .getList(0)
        .forEach(p -> partitions.add((String) p));
    assertEquals(List.of("3", "4", "5", "6", "7", "8", "9", "10", "11", "12"), partitions);
    assertEquals(
        12 * 50,
        anomalies(spark, dir).where(col("dataset").equalTo("fl")).count(),
        "replaced, not added");
  }
}
