package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.checks.RowChecksum;
import dev.assay.common.table.RowChecksums;
import dev.assay.common.testing.DataFrameAssert;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.FederatedAdult;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
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
 * Red team then evaluate on real Adult batches and a real FedAvg federation: attacks found, clean
 * data not.
 */
@ExtendWith(SparkExtension.class)
class RedTeamTest {
  private static final String CONTRACT =
      """
          checks:
            - check: contract
              level: error
              constraints:
                - max: {column: age, max: 120}
                - unique: [row_id]
                - checksum: {column: row_checksum, algorithm: sha256}
          checks_quarantine: {table: quarantine/census_checks}
      """;

  /**
   * Ten batches of about 400 real Adult rows, each with the SHA-256 checksum it got at ingestion.
   */
  private static Path censusLake(SparkSession spark, Path dir) throws Exception {
    Dataset<Row> rows = Lakes.adultBatches(spark, 10, 400);
    List<String> content = new ArrayList<>(List.of(rows.schema().fieldNames()));
    content.remove("batch");
    Lakes.write(
        rows.withColumn(
            "row_checksum",
            RowChecksums.compute(RowChecksum.Algorithm.SHA256, rows.schema(), content)),
        dir.resolve("census"));
    return Lakes.config(
        dir,
        Lakes.batchesDataset("[age, hours_per_week, capital_loss]", "[workclass, sex, education]")
            + "    segment_columns: [source]\n    fingerprint: {exclude: [row_id, row_checksum]}\n"
            + "    duplicates: {quarantine: {table: quarantine/census}}\n"
            + "    baseline: {strategy: trusted, partitions: 4}\n"
            + CONTRACT);
  }

  private static final List<String> ATTACKS =
      List.of(
          "label_flip:rate=0.6,segment=source:partner_b,partitions=5",
          "backdoor:trigger=workclass:Never-worked|capital_loss:1234,support=15,target=>50K,partitions=7",
          "replay:from=1,rate=0.2,relabel=0.3,partitions=9",
          "checksum_tamper:column=hours_per_week,rate=0.02,partitions=10");

  @Test
  void
      segmentFlipBackdoorReplayAndTamperAreAllCaughtWithReplayRecallAtLeast90PctZeroFalseFailsAndTheOriginalUntouched(
          SparkSession spark, @TempDir Path dir) throws Exception {
    Path config = censusLake(spark, dir);
    String table = dir.resolve("census").toString();
    long versionBefore = DeltaTable.forPath(spark, table).history(1).head().getLong(0);
    List<Row> before = spark.read().format("delta").load(table).orderBy("row_id").collectAsList();

    Path shadow = dir.resolve("shadow");
    Lakes.Cli redteam = redteam(config, shadow, 1, ATTACKS);
    assertEquals(0, redteam.exitCode(), redteam.err());
    Lakes.Cli evaluate =
        Lakes.assay(
            "evaluate", "-c", config.toString(), "-d", "census", "--shadow", shadow.toString());
    assertEquals(0, evaluate.exitCode(), evaluate.err());

    Map<String, Row> scores = scorecard(spark, shadow);
    for (String id : List.of("a1_label_flip", "a2_backdoor", "a3_replay", "a4_checksum_tamper")) {
      assertTrue(
          scores.get(id).<Boolean>getAs("detected"),
          id + " was not caught: " + scores.get(id) + "\n" + evaluate.out());
    }
    // Row-level evidence: the trigger's rows (label-drift), the replays (duplicates quarantine),
    // the
    // tampered rows (checks quarantine); attacks at the source carry valid checksums, so they are
    // not
    // found through the checksum.
    assertEquals(
        1.0,
        scores.get("a2_backdoor").<Double>getAs("recall"),
        1e-9,
        "backdoor rows in trigger evidence");
    assertTrue(
        scores.get("a3_replay").<Double>getAs("recall") >= 0.9,
        "replays quarantined: " + scores.get("a3_replay"));
    assertEquals(
        1.0,
        scores.get("a4_checksum_tamper").<Double>getAs("recall"),
        1e-9,
        "tampered rows quarantined");
    assertTrue(
        scores.get("a1_label_flip").<Double>getAs("recall") < 0.5,
        "flipped labels at the source keep valid checksums, so they are not row-level evidence");
    Row clean = scores.get("clean");
    assertEquals(
        List.of("1", "2", "3", "4", "6", "8"), clean.getList(clean.fieldIndex("partitions")));
    assertTrue(
        clean.getList(clean.fieldIndex("flagged_partitions")).isEmpty(), "false alarms: " + clean);

    assertEquals(
        versionBefore,
        DeltaTable.forPath(spark, table).history(1).head().getLong(0),
        "original version");
    assertEquals(
        before,
        spark.read().format("delta").load(table).orderBy("row_id").collectAsList(),
        "original rows");
  }

  @Test
  void theSameSeedGivesTheSameShadowAndAnotherSeedAnother(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Path config = censusLake(spark, dir);
    List<String> attacks =
        List.of(
            "label_flip:rate=0.1,partitions=3",
            "duplicate_burst:rate=0.05,partitions=4",
            "null_injection:column=workclass,rate=0.2,partitions=5");
    assertEquals(0, redteam(config, dir.resolve("a"), 7, attacks).exitCode());
    // A re-run into an earlier output empties it first: no old verdicts are left to score against
    // new truth.
    Files.createDirectories(dir.resolve("b/lake/_integrity/verdicts"));
    Files.writeString(dir.resolve("b/.assay-redteam"), "an earlier run\n");
    assertEquals(0, redteam(config, dir.resolve("b"), 7, attacks).exitCode());
    assertFalse(
        Files.exists(dir.resolve("b/lake/_integrity")),
        "an earlier run's integrity tables are removed");
    assertEquals(0, redteam(config, dir.resolve("c"), 8, attacks).exitCode());
    for (String part : List.of("lake/census", "lake/ground_truth")) {
      DataFrameAssert.assertSameRows(
          delta(spark, dir.resolve("a").resolve(part)),
          delta(spark, dir.resolve("b").resolve(part)));
    }
    Dataset<Row> truthA = delta(spark, dir.resolve("a/lake/ground_truth"));
    Dataset<Row> truthC = delta(spark, dir.resolve("c/lake/ground_truth"));
    assertTrue(truthA.count() > 50, "attacks touched rows: " + truthA.count());
    assertNotEquals(0, truthA.exceptAll(truthC).count(), "another seed chooses other rows");
    // Ground truth matches the shadow: flipped rows differ from the original label, nulls are
    // nulls.
    Dataset<Row> shadow = delta(spark, dir.resolve("a/lake/census"));
    long nulls = shadow.where(col("batch").equalTo(5).and(col("workclass").isNull())).count();
    long injected = truthA.where(col("attack").equalTo("null_injection")).count();
    long natural =
        delta(spark, dir.resolve("census"))
            .where(col("batch").equalTo(5).and(col("workclass").isNull()))
            .count();
    assertEquals(natural + injected, nulls, "nulls in the attacked batch = natural + injected");
  }

  @Test
  void badSpecsExitTwoNamingTheProblemAndWriteNothing(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Path config = censusLake(spark, dir);
    Map<String, String> cases = new HashMap<>();
    cases.put("label_flop:rate=0.1", "unknown attack 'label_flop'");
    cases.put("label_flip:rat=0.1", "unknown parameter 'rat'");
    cases.put("label_flip:rate=1.5", "rate=1.5 is not a fraction");
    cases.put("label_flip:rate=0.1,partitions=99", "batch=99 is not in");
    cases.put("null_injection:column=no_such_column", "column 'no_such_column' is not in");
    cases.put("null_injection:column=row_id", "is the partition or an id column");
    cases.put("boost:factor=10", "boost attacks client updates");
    cases.put("backdoor:trigger=age:old,target=>50K", "value 'old' is not a int");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path out = dir.resolve("out-" + Math.abs(c.getKey().hashCode()));
      Lakes.Cli cli = redteam(config, out, 1, List.of(c.getKey()));
      assertEquals(2, cli.exitCode(), c.getKey() + ": " + cli.err());
      assertTrue(cli.err().contains(c.getValue()), c.getKey() + " -> " + cli.err());
      assertFalse(
          Files.exists(out.resolve("redteam.json")),
          "no manifest after a failed run: " + c.getKey());
    }
    Lakes.Cli inside =
        redteam(config, dir.resolve("census/shadow"), 1, List.of("label_flip:rate=0.1"));
    assertEquals(2, inside.exitCode());
    assertTrue(inside.err().contains("overlaps"), inside.err());
    Path someoneElses = Files.createDirectories(dir.resolve("reports"));
    Files.writeString(someoneElses.resolve("q3.txt"), "keep me");
    Lakes.Cli occupied = redteam(config, someoneElses, 1, List.of("label_flip:rate=0.1"));
    assertEquals(2, occupied.exitCode());
    assertTrue(occupied.err().contains("holds other files"), occupied.err());
    assertEquals("keep me", Files.readString(someoneElses.resolve("q3.txt")));
    Lakes.Cli noShadow =
        Lakes.assay(
            "evaluate",
            "-c",
            config.toString(),
            "-d",
            "census",
            "--shadow",
            dir.resolve("nothing").toString());
    assertEquals(2, noShadow.exitCode());
    assertTrue(noShadow.err().contains("no redteam.json"), noShadow.err());
  }

  @Test
  void boostedSignFlippedAndSybilClientsAreAllFlaggedAtRecall100PctAndHonestRoundsPass(
      SparkSession spark, @TempDir Path dir) throws Exception {
    FederatedAdult.Settings honest = new FederatedAdult.Settings(20, 6, 256, 11, 0, 0, 0, 0, 0);
    FederatedAdult.writeUpdates(
        spark, FederatedAdult.simulate(honest).updates(), dir.resolve("fl").toString());
    Path config =
        Lakes.config(
            dir,
            "  - name: fl\n    kind: client_updates\n    table: fl\n"
                + "    partition_column: round\n    client_column: client_id\n    update_column: update\n");
    Lakes.Cli redteam =
        redteam(
            config,
            dir.resolve("shadow"),
            1,
            List.of(
                "boost:factor=10,clients=c001|c002,partitions=4",
                "sign_flip:clients=c003,partitions=5",
                "sybil:count=3,partitions=6"));
    assertEquals(0, redteam.exitCode(), redteam.err());
    Lakes.Cli evaluate =
        Lakes.assay(
            "evaluate",
            "-c",
            config.toString(),
            "-d",
            "fl",
            "--shadow",
            dir.resolve("shadow").toString());
    assertEquals(0, evaluate.exitCode(), evaluate.err());
    Map<String, Row> scores = scorecard(spark, dir.resolve("shadow"));
    for (String id : List.of("a1_boost", "a2_sign_flip", "a3_sybil")) {
      assertTrue(scores.get(id).<Boolean>getAs("detected"), id + ": " + evaluate.out());
      assertEquals(
          1.0,
          scores.get(id).<Double>getAs("recall"),
          1e-9,
          id + " clients flagged: " + evaluate.out());
    }
    Row clean = scores.get("clean");
    assertEquals(List.of("1", "2", "3"), clean.getList(clean.fieldIndex("partitions")));
    assertTrue(
        clean.getList(clean.fieldIndex("flagged_partitions")).isEmpty(),
        "honest rounds flagged: " + clean);
  }

  private static Lakes.Cli redteam(Path config, Path out, long seed, List<String> attacks) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "redteam",
                "-c",
                config.toString(),
                "-d",
                config.getParent().resolve("fl").toFile().exists() ? "fl" : "census",
                "--out",
                out.toString(),
                "--seed",
                String.valueOf(seed)));
    for (String attack : attacks) {
      args.add("--attack");
      args.add(attack);
    }
    return Lakes.assay(args.toArray(String[]::new));
  }

  private static Map<String, Row> scorecard(SparkSession spark, Path shadow) {
    Map<String, Row> out = new HashMap<>();
    for (Row row : delta(spark, shadow.resolve("lake/_integrity/scorecard")).collectAsList()) {
      out.put(row.getAs("attack_id"), row);
    }
    return out;
  }

  private static Dataset<Row> delta(SparkSession spark, Path path) {
    return spark.read().format("delta").load(path.toString());
  }
}
