package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class GateAndBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode gate(int expectedExit, Path config, String... extra) throws Exception {
    String[] args = new String[4 + extra.length];
    args[0] = "gate";
    args[1] = "-c";
    args[2] = config.toString();
    args[3] = "-d";
    System.arraycopy(extra, 0, args, 4, extra.length);
    Lakes.Cli cli = Lakes.assay(args);
    assertEquals(expectedExit, cli.exitCode(), cli.out() + cli.err());
    return JSON.readTree(cli.out().trim());
  }

  @Test
  void gatePassesVerifiedDataAndBlocksFailedMissingAndChangedPartitions(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows = Lakes.scaled(Lakes.adultBatches(spark, 5, 1500), 4, "age", 12);
    Lakes.write(rows, dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age, hours_per_week]", "[sex]"));
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString()).exitCode());

    JsonNode pass = gate(0, config, "census", "-p", "2");
    assertEquals("PASS", pass.get("verdict").asText(), pass.toString());
    assertFalse(pass.get("blocked").asBoolean());
    long verifiedVersion = pass.get("input_version").asLong();

    JsonNode stale = gate(1, config, "census", "-p", "2", "--max-age", "0s");
    assertTrue(stale.get("reasons").toString().contains("older than --max-age"), stale.toString());
    assertEquals(
        0,
        gate(0, config, "census", "-p", "2", "--max-age", "24h", "--block-on", "warn")
            .get("input_version")
            .asLong());
    assertEquals(
        2,
        Lakes.assay("gate", "-c", config.toString(), "-d", "census", "--max-age", "soon")
            .exitCode());

    // SQL over the integrity tables and the dataset view, as JSON Lines.
    Lakes.Cli sql =
        Lakes.assay(
            "sql",
            "-c",
            config.toString(),
            "--format",
            "json",
            "SELECT v.partition, v.verdict, count(*) AS rows FROM integrity.verdicts v JOIN census c"
                + " ON cast(c.batch AS string) = v.partition GROUP BY v.partition, v.verdict ORDER BY v.partition");
    assertEquals(0, sql.exitCode(), sql.err());
    java.util.List<String> lines = sql.out().lines().toList();
    assertEquals(5, lines.size(), sql.out());
    assertEquals("FAIL", JSON.readTree(lines.get(3)).get("verdict").asText());
    assertEquals(1500, JSON.readTree(lines.get(0)).get("rows").asLong());
    assertEquals(
        2, Lakes.assay("sql", "-c", config.toString(), "SELECT * FROM integrity.nope").exitCode());

    // Every commit to the integrity tables carries the run's provenance.
    Row history =
        spark
            .sql("DESCRIBE HISTORY delta.`" + dir.resolve("integrity/verdicts") + "`")
            .orderBy(col("version").desc())
            .head();
    assertTrue(
        history.<String>getAs("userMetadata").contains("\"job\":\"verdict\""), history.toString());

    JsonNode fail = gate(1, config, "census", "-p", "4");
    assertEquals("FAIL", fail.get("verdict").asText());
    assertTrue(fail.get("reasons").toString().contains("psi(age)"), fail.toString());

    // A result row with a null status, written outside Assay, fails closed: the verdict becomes
    // FAIL.
    assertEquals("PASS", gate(0, config, "census", "-p", "3").get("verdict").asText());
    Path driftTable = dir.resolve("integrity/feature_drift");
    spark
        .read()
        .format("delta")
        .load(driftTable.toString())
        .where(col("partition").equalTo("3"))
        .limit(1)
        .withColumn("status", lit(null).cast("string"))
        .withColumn("reason", lit(null).cast("string"))
        .write()
        .format("delta")
        .mode("append")
        .save(driftTable.toString());
    assertEquals(
        0, Lakes.assay("verdict", "-c", config.toString(), "-d", "census", "-p", "3").exitCode());
    JsonNode nullStatus = gate(1, config, "census", "-p", "3");
    assertEquals("FAIL", nullStatus.get("verdict").asText(), nullStatus.toString());
    assertTrue(
        nullStatus
            .get("reasons")
            .toString()
            .contains("feature_drift: a result row with status null"),
        nullStatus.toString());

    // Without -d: one JSON line per dataset of the config, exit 1 when any is blocked; -p needs -d.
    String census =
        Lakes.batchesDataset("[age, hours_per_week]", "[sex]")
            .replace("table: census", "table: " + dir.resolve("census"));
    Path both = dir.resolve("both.yaml");
    java.nio.file.Files.writeString(
        both,
        "integrity:\n  path: integrity\ndatasets:\n"
            + census
            + census.replace("name: census", "name: census_copy"));
    Lakes.Cli all = Lakes.assay("gate", "-c", both.toString());
    assertEquals(1, all.exitCode(), all.err());
    List<String> decisions = all.out().lines().toList();
    assertEquals(2, decisions.size(), all.out());
    assertEquals("census", JSON.readTree(decisions.get(0)).get("dataset").asText());
    assertEquals("FAIL", JSON.readTree(decisions.get(0)).get("verdict").asText(), "batch 4 failed");
    assertEquals("census_copy", JSON.readTree(decisions.get(1)).get("dataset").asText());
    assertEquals(
        "MISSING", JSON.readTree(decisions.get(1)).get("verdict").asText(), "never judged");
    Lakes.Cli noDataset = Lakes.assay("gate", "-c", both.toString(), "-p", "2");
    assertEquals(2, noDataset.exitCode());
    assertTrue(noDataset.err().contains("-p needs -d"), noDataset.err());

    // A new batch with no verdict yet: blocked, fail closed.
    // (fresh Adult rows: rows already in batches 1-5 would be replays, which the duplicates job
    // flags)
    Lakes.write(
        Lakes.adultBatches(spark, 1, 9000)
            .where(col("row_id").geq(7500))
            .withColumn("batch", lit(6)),
        dir.resolve("census"));
    JsonNode missing = gate(1, config, "census", "-p", "6");
    assertEquals("MISSING", missing.get("verdict").asText());

    // Rows appended to the verified batch 2: its data changed after verification.
    Lakes.write(
        Lakes.adultBatches(spark, 5, 1500)
            .where(col("batch").equalTo(2))
            .limit(10)
            .withColumn("row_id", col("row_id").plus(lit(1_000_000L))),
        dir.resolve("census"));
    JsonNode changed = gate(1, config, "census", "-p", "2");
    assertTrue(
        changed.get("reasons").toString().contains("data changed after it was verified"),
        changed.toString());
    assertEquals(verifiedVersion, changed.get("input_version").asLong());

    // The next nightly processes the new batch, and batch 2 again since rows arrived in it after it
    // was judged.
    assertEquals(0, Lakes.assay("nightly", "-c", config.toString()).exitCode());
    List<Row> lastProfile =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/runs").toString())
            .where(col("job").equalTo("profile"))
            .orderBy(col("started_at").desc())
            .limit(1)
            .collectAsList();
    assertEquals(
        List.of("2", "6"), lastProfile.get(0).getList(lastProfile.get(0).fieldIndex("partitions")));
    assertEquals("PASS", gate(0, config, "census", "-p", "6").get("verdict").asText());
    assertEquals(0, gate(0, config, "census", "-p", "2").get("reasons").size());

    // An unreadable dataset table blocks (fail closed); a bad column in the config is exit 2.
    Path moved = Lakes.config(dir.resolve("elsewhere"), Lakes.batchesDataset("[age]", "[sex]"));
    assertEquals("UNKNOWN", gate(1, moved, "census").get("verdict").asText());

    JsonNode unknown = gate(2, config, "no_such_dataset");
    assertEquals("ERROR", unknown.get("verdict").asText());
    assertTrue(
        unknown.get("reasons").toString().contains("datasets are: census"), unknown.toString());
  }

  private static void assertInvalid(
      Path dir, String datasetBlock, String expectedStart, String... extraArgs) throws Exception {
    Path config = Lakes.config(dir, datasetBlock);
    String[] args = new String[3 + extraArgs.length];
    args[0] = "nightly";
    args[1] = "-c";
    args[2] = config.toString();
    System.arraycopy(extraArgs, 0, args, 3, extraArgs.length);
    Lakes.Cli cli = Lakes.assay(args);
    assertEquals(2, cli.exitCode(), cli.out() + cli.err());
    assertTrue(
        cli.err().contains(expectedStart), "expected '" + expectedStart + "' in: " + cli.err());
    assertFalse(Files.exists(dir.resolve("integrity/feature_profiles")), "nothing may be written");
  }

  @Test
  void badInputExitsTwoNamesTheKeyAndWritesNothing(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 3, 300)
            .withColumn("blank", lit(null).cast("double"))
            .withColumn("a'b`c--d", lit(1.0));
    Lakes.write(rows, dir.resolve("census"));
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age, amt]", "[sex]"),
        "datasets[0].features.numeric[1]: column 'amt' not found in");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age, workclass]", "[sex]"),
        "datasets[0].features.numeric[1]: column 'workclass' has type string");
    assertInvalid(
        dir, Lakes.batchesDataset("[age, blank]", "[sex]"), "feature 'blank' has no finite values");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age, \"x`; DROP TABLE u; --\"]", "[sex]"),
        "datasets[0].features.numeric[1]: column 'x`; DROP TABLE u; --' not found");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age]", "[sex]").replace("table: census", "table: missing"),
        "datasets[0].table: no Delta table at");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age]", "[sex]").replace("batch", "Batch"),
        "datasets[0].partition_column: column 'Batch' not found");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age]", "[sex]"),
        "Cannot find partition batch=99",
        "-d",
        "census",
        "-p",
        "99");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age]", "[sex]"),
        "--all and -p cannot be combined",
        "-d",
        "census",
        "-p",
        "1",
        "--all");
    assertInvalid(
        dir,
        Lakes.batchesDataset("[age]", "[sex]") + "    thresholds: {psi_fail: .inf}\n",
        "datasets[0].thresholds.psi_fail: expected a finite number");
    assertInvalid(
        dir,
        "  - name: census\n    table: census\n    partition_column: batch\n    features:\n"
            + "      numeric: [age]\n    colour: blue\n",
        "datasets[0].colour: unknown key");
    Lakes.Cli unknownCommand = Lakes.assay("profle");
    assertEquals(2, unknownCommand.exitCode());
  }

  @Test
  void hostileColumnNamesThatExistAreQuotedNotParsed(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(
        Lakes.adultBatches(spark, 2, 300).withColumn("a'b`c--d", col("age").plus(1)),
        dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[\"a'b`c--d\"]", "[sex]"));
    Lakes.Cli cli = Lakes.assay("profile", "-c", config.toString());
    assertEquals(0, cli.exitCode(), cli.err());
    long profiled =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/feature_profiles").toString())
            .where(col("feature").equalTo("a'b`c--d"))
            .count();
    assertEquals(2, profiled);
  }

  @Test
  void logFoldersLeftByKilledTableCreationsReadAsNoTableAndTheNextRunRecovers(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 2, 300), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age]", "[sex]"));
    // what a process killed while creating these tables leaves: a log folder without any commit
    for (String table : List.of("runs", "label_drift", "verdicts")) {
      Path log = Files.createDirectories(dir.resolve("integrity/" + table + "/_delta_log"));
      Files.setLastModifiedTime(log, FileTime.from(Instant.now().minusSeconds(3600)));
    }
    JsonNode before = gate(1, config, "census");
    assertEquals("MISSING", before.get("verdict").asText(), before.toString());

    Lakes.Cli nightly = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, nightly.exitCode(), nightly.out() + nightly.err());
    long verdicts =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/verdicts").toString())
            .where(col("dataset").equalTo("census"))
            .count();
    assertEquals(2, verdicts);
  }
}
