package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.testing.SparkExtension;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate as a security boundary. Every Delta operation on a verified partition gives its
 * documented decision (docs/security.md): data changes block, layout changes do not. Verdict rows
 * changed outside Assay block: always with a key, and without one unless the writer forged Assay's
 * provenance. A damaged integrity table is named. Each test works on its own copy of one lake (5
 * batches of real Adult rows, batch 5 in months: FAIL) after one nightly.
 */
@ExtendWith(SparkExtension.class)
class GateTamperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "0123456789abcdef0123456789abcdef-test-key";
  private static Path template;

  /** The lake after one signed nightly, built once; each test copies it. */
  private static synchronized Path template(SparkSession spark) throws IOException {
    if (template == null) {
      Path dir = Files.createTempDirectory("gate-tamper");
      Dataset<Row> rows = Lakes.scaled(Lakes.adultBatches(spark, 5, 400), 5, "age", 12);
      // two appends, so every batch has two files for OPTIMIZE to compact
      Lakes.write(rows.where(col("row_id").mod(2).equalTo(0)), dir.resolve("census"));
      Lakes.write(rows.where(col("row_id").mod(2).equalTo(1)), dir.resolve("census"));
      Files.writeString(dir.resolve("verdict.key"), KEY + "\n");
      String dataset = Lakes.batchesDataset("[age, hours_per_week]", "[sex]");
      Files.writeString(
          dir.resolve("signed.yaml"),
          "integrity:\n  path: integrity\n  verdict_key_file: verdict.key\ndatasets:\n" + dataset);
      Files.writeString(
          dir.resolve("unsigned.yaml"), "integrity:\n  path: integrity\ndatasets:\n" + dataset);
      Lakes.Cli nightly = Lakes.assay("nightly", "-c", dir.resolve("signed.yaml").toString());
      assertEquals(0, nightly.exitCode(), nightly.err());
      template = dir;
    }
    return template;
  }

  private static Path copy(SparkSession spark, Path to) throws IOException {
    Path from = template(spark);
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.sorted().toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return to;
  }

  private static JsonNode gate(int expectedExit, Path config, String partition) throws IOException {
    Lakes.Cli cli = Lakes.assay("gate", "-c", config.toString(), "-d", "census", "-p", partition);
    assertEquals(expectedExit, cli.exitCode(), cli.out() + cli.err());
    return JSON.readTree(cli.out().trim());
  }

  private static String census(Path dir) {
    return "delta.`" + dir.resolve("census") + "`";
  }

  private static long version(SparkSession spark, Path table) {
    return DeltaTable.forPath(spark, table.toString())
        .history(1)
        .select("version")
        .head()
        .getLong(0);
  }

  /** Runs an operation on batch 2 and asserts the gate blocks it, naming the operation. */
  private static void assertBlocks(SparkSession spark, Path dir, String operation, String... sql)
      throws IOException {
    assertBlocks(spark, dir, true, operation, sql);
  }

  private static void assertBlocks(
      SparkSession spark, Path dir, boolean onlyBatch2, String operation, String... sql)
      throws IOException {
    Path config = dir.resolve("signed.yaml");
    JsonNode before = gate(0, config, "2");
    assertEquals("PASS", before.get("verdict").asText(), before.toString());
    long verified = before.get("input_version").asLong();
    for (String statement : sql) {
      spark.sql(statement);
    }
    assertTrue(version(spark, dir.resolve("census")) > verified, "the operation committed");
    JsonNode after = gate(1, config, "2");
    assertTrue(after.get("blocked").asBoolean());
    String reasons = after.get("reasons").toString();
    assertTrue(
        reasons.contains("data changed after it was verified at version " + verified), reasons);
    assertTrue(reasons.contains("(" + operation), reasons);
    if (onlyBatch2) {
      assertEquals(0, gate(0, config, "1").get("reasons").size(), "batch 1 was not touched");
    }
  }

  /**
   * Runs a layout-only operation and asserts the gate still passes batch 2 at its verified version.
   */
  private static void assertPasses(SparkSession spark, Path dir, String... sql) throws IOException {
    Path config = dir.resolve("signed.yaml");
    long verified = gate(0, config, "2").get("input_version").asLong();
    for (String statement : sql) {
      spark.sql(statement);
    }
    assertTrue(version(spark, dir.resolve("census")) > verified, "the operation committed");
    JsonNode after = gate(0, config, "2");
    assertEquals("PASS", after.get("verdict").asText(), after.toString());
    assertEquals(verified, after.get("input_version").asLong());
  }

  @Test
  void appendToTheVerifiedPartitionBlocksAndAppendElsewhereDoesNot(
      SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    Dataset<Row> extra =
        Lakes.adultBatches(spark, 5, 400)
            .where(col("batch").equalTo(1))
            .limit(5)
            .withColumn("row_id", col("row_id").plus(lit(1_000_000L)));
    Lakes.write(extra, dir.resolve("census"));
    assertEquals(
        0, gate(0, dir.resolve("signed.yaml"), "2").get("reasons").size(), "batch 2 is untouched");
    JsonNode one = gate(1, dir.resolve("signed.yaml"), "1");
    assertTrue(one.get("reasons").toString().contains("(WRITE) changed its data"), one.toString());
  }

  @Test
  void deleteWithoutDeletionVectorsBlocks(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    assertBlocks(
        spark, dir, "DELETE", "DELETE FROM " + census(dir) + " WHERE batch = 2 AND age > 70");
  }

  @Test
  void deleteWithDeletionVectorsBlocksButEnablingThemDoesNot(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    assertPasses(
        spark,
        dir,
        "ALTER TABLE "
            + census(dir)
            + " SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    assertBlocks(
        spark,
        dir,
        "DELETE, with deletion vectors",
        "DELETE FROM " + census(dir) + " WHERE batch = 2 AND age > 70");
  }

  @Test
  void updateBlocks(SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    assertBlocks(
        spark,
        dir,
        "UPDATE",
        "UPDATE " + census(dir) + " SET income = '>50K' WHERE batch = 2 AND age = 30");
  }

  @Test
  void mergeBlocks(SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    assertBlocks(
        spark,
        dir,
        "MERGE",
        "MERGE INTO "
            + census(dir)
            + " t USING (SELECT row_id FROM "
            + census(dir)
            + " WHERE batch = 2 LIMIT 3) s ON t.row_id = s.row_id AND t.batch = 2"
            + " WHEN MATCHED THEN UPDATE SET t.hours_per_week = 99");
  }

  @Test
  void identicalOverwriteBlocks(SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    Path table = dir.resolve("census");
    List<Row> same =
        spark.read().format("delta").load(table.toString()).where("batch = 2").collectAsList();
    Dataset<Row> rows =
        spark.createDataFrame(same, spark.read().format("delta").load(table.toString()).schema());
    JsonNode before = gate(0, dir.resolve("signed.yaml"), "2");
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", "batch = 2")
        .save(table.toString());
    JsonNode after = gate(1, dir.resolve("signed.yaml"), "2");
    assertTrue(
        after.get("reasons").toString().contains("(WRITE) changed its data"), after.toString());
    assertEquals(before.get("input_version").asLong(), after.get("input_version").asLong());
  }

  @Test
  void restoreBlocks(SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    // back to the first of the two appends: batch 2 loses half its rows
    assertBlocks(
        spark, dir, false, "RESTORE", "RESTORE TABLE " + census(dir) + " TO VERSION AS OF 0");
  }

  @Test
  void optimizeZorderAndVacuumDoNotBlock(SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    assertPasses(spark, dir, "OPTIMIZE " + census(dir));
    assertPasses(spark, dir, "OPTIMIZE " + census(dir) + " ZORDER BY (age)");
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    spark.conf().set(check, "false");
    try {
      long before = version(spark, dir.resolve("census"));
      spark.sql("VACUUM " + census(dir) + " RETAIN 0 HOURS");
      JsonNode after = gate(0, dir.resolve("signed.yaml"), "2");
      assertEquals("PASS", after.get("verdict").asText(), after.toString());
      assertTrue(version(spark, dir.resolve("census")) >= before);
    } finally {
      spark.conf().unset(check);
    }
  }

  @Test
  void aLogThatCannotBeReadFromTheVerifiedVersionOnBlocks(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    long verified = gate(0, dir.resolve("signed.yaml"), "2").get("input_version").asLong();
    Dataset<Row> extra =
        Lakes.adultBatches(spark, 5, 400)
            .where(col("batch").equalTo(1))
            .limit(5)
            .withColumn("row_id", col("row_id").plus(lit(1_000_000L)));
    Lakes.write(extra, dir.resolve("census"));
    spark.sql("OPTIMIZE " + census(dir));
    // a checkpoint, then the log file of the append is gone (as log cleanup would do)
    spark.sql(
        "ALTER TABLE " + census(dir) + " SET TBLPROPERTIES ('delta.checkpointInterval' = '1')");
    spark.sql("OPTIMIZE " + census(dir) + " ZORDER BY (age)");
    Files.delete(dir.resolve(String.format("census/_delta_log/%020d.json", verified + 1)));
    JsonNode after = gate(1, dir.resolve("signed.yaml"), "2");
    assertTrue(
        after
            .get("reasons")
            .toString()
            .contains("cannot tell whether the data changed after verified version " + verified),
        after.toString());
  }

  @Test
  void aVerdictEditedOutsideAssayBlocksWithAKeyAndWithoutOne(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    Path signed = dir.resolve("signed.yaml");
    Path unsigned = dir.resolve("unsigned.yaml");
    String verdicts = "delta.`" + dir.resolve("integrity/verdicts") + "`";
    JsonNode fail = gate(1, signed, "5");
    assertEquals("FAIL", fail.get("verdict").asText(), fail.toString());
    assertTrue(fail.get("signed").asBoolean());
    JsonNode keyless = gate(1, unsigned, "5");
    assertTrue(
        keyless.get("reasons").toString().contains("is signed (key id"),
        "no silent downgrade: " + keyless);

    // with a key: an edit through plain Spark SQL breaks the signature
    spark.sql(
        "UPDATE " + verdicts + " SET verdict = 'PASS', reasons = array() WHERE partition = '5'");
    JsonNode keyed = gate(1, signed, "5");
    assertTrue(
        keyed.get("reasons").toString().contains("signature does not verify"), keyed.toString());

    // without a key (Assay writes unsigned rows): the edit's commit carries no Assay provenance
    assertEquals(
        0, Lakes.assay("verdict", "-c", unsigned.toString(), "-d", "census", "-p", "5").exitCode());
    JsonNode honest = gate(1, unsigned, "5");
    assertEquals("FAIL", honest.get("verdict").asText(), honest.toString());
    assertFalse(honest.get("signed").asBoolean());
    assertTrue(
        gate(1, signed, "5").get("reasons").toString().contains("signature does not verify"),
        "an unsigned row under a key");
    spark.sql(
        "UPDATE " + verdicts + " SET verdict = 'PASS', reasons = array() WHERE partition = '5'");
    JsonNode plain = gate(1, unsigned, "5");
    assertTrue(
        plain.get("reasons").toString().contains("changed outside Assay: verdicts table version"),
        plain.toString());

    // a forger who copies Assay's provenance into the commit passes the unsigned check: the key's
    // reason
    String provenance =
        spark
            .sql("DESCRIBE HISTORY " + verdicts)
            .where("userMetadata IS NOT NULL")
            .orderBy(col("version").desc())
            .head()
            .getAs("userMetadata");
    String runId = JSON.readTree(provenance).get("run_id").asText();
    String forged = "{\"run_id\":\"" + runId + "\",\"job\":\"verdict\",\"dataset\":\"census\"}";
    spark.conf().set("spark.databricks.delta.commitInfo.userMetadata", forged);
    try {
      spark.sql(
          "UPDATE "
              + verdicts
              + " SET verdict = 'PASS', run_id = '"
              + runId
              + "' WHERE partition = '5'");
    } finally {
      spark.conf().unset("spark.databricks.delta.commitInfo.userMetadata");
    }
    assertEquals(
        "PASS", gate(0, unsigned, "5").get("verdict").asText(), "the limit of unsigned verdicts");
    assertTrue(
        gate(1, signed, "5").get("reasons").toString().contains("signature does not verify"));

    // Assay's own verdict job writes and signs the truth again
    assertEquals(
        0, Lakes.assay("verdict", "-c", signed.toString(), "-d", "census", "-p", "5").exitCode());
    assertEquals("FAIL", gate(1, signed, "5").get("verdict").asText());
  }

  @Test
  void anAppendClaimingToBeCompactionBlocks(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    Dataset<Row> extra =
        Lakes.adultBatches(spark, 5, 400)
            .where(col("batch").equalTo(2))
            .limit(5)
            .withColumn("row_id", col("row_id").plus(lit(1_000_000L)));
    extra
        .write()
        .format("delta")
        .mode("append")
        .option("dataChange", "false")
        .save(dir.resolve("census").toString());
    JsonNode after = gate(1, dir.resolve("signed.yaml"), "2");
    assertTrue(
        after.get("reasons").toString().contains("(WRITE) changed its data"), after.toString());
  }

  @Test
  void trainingOnTheWholeTableBlocksOnAPartitionDeletedAfterItsVerdict(
      SparkSession spark, @TempDir Path dir) throws IOException {
    copy(spark, dir);
    // the failed batch 5 is deleted: every partition left passes, but the version to train from
    // still holds it
    spark.sql("DELETE FROM " + census(dir) + " WHERE batch = 5");
    Lakes.Cli whole =
        Lakes.assay("gate", "-c", dir.resolve("signed.yaml").toString(), "-d", "census");
    assertEquals(1, whole.exitCode(), whole.out());
    assertTrue(whole.out().contains("holds partition(s) [5] that were not verified"), whole.out());
    for (String batch : List.of("1", "2", "3", "4")) {
      assertEquals("PASS", gate(0, dir.resolve("signed.yaml"), batch).get("verdict").asText());
    }
  }

  @Test
  void aRolledBackOrDamagedVerdictsTableIsNamed(SparkSession spark, @TempDir Path dir)
      throws IOException {
    copy(spark, dir);
    Path config = dir.resolve("signed.yaml");
    Path log = dir.resolve("integrity/verdicts/_delta_log");
    assertEquals(
        0, Lakes.assay("verdict", "-c", config.toString(), "-d", "census", "-p", "2").exitCode());
    assertEquals("PASS", gate(0, config, "2").get("verdict").asText());

    // deleting the newest commit brings the earlier (validly signed) rows back: a rollback
    Path newest;
    try (Stream<Path> files = Files.list(log)) {
      newest =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    Path saved = dir.resolve("saved.json");
    Files.move(newest, saved);
    String number = newest.getFileName().toString().replace(".json", "");
    Files.deleteIfExists(log.resolve("." + number + ".json.crc"));
    Files.deleteIfExists(log.resolve(number + ".crc"));
    Files.deleteIfExists(log.resolve("." + number + ".crc.crc"));
    JsonNode rolledBack = gate(1, config, "2");
    assertTrue(
        rolledBack.get("reasons").toString().contains("rolled back or edited"),
        rolledBack.toString());

    // a damaged newest commit: the table is named, not read as missing
    Files.writeString(newest, "{not json\n");
    JsonNode damaged = gate(1, config, "2");
    assertEquals("UNKNOWN", damaged.get("verdict").asText(), damaged.toString());
    assertTrue(
        damaged.get("reasons").toString().contains("integrity table verdicts unreadable"),
        damaged.toString());
  }

  @Test
  void aPartitionTooSmallToJudgeIsNeverABootstrapPass(SparkSession spark, @TempDir Path dir)
      throws IOException {
    Lakes.write(Lakes.adultBatches(spark, 1, 1), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age]", "[sex]"));
    Lakes.Cli nightly = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, nightly.exitCode(), nightly.err());
    JsonNode warn = gate(0, config, "1");
    assertEquals("WARN", warn.get("verdict").asText(), warn.toString());
    assertTrue(
        warn.get("reasons").toString().contains("too few rows to judge: 1 rows < min_rows 100"),
        warn.toString());
    Lakes.Cli strict =
        Lakes.assay("gate", "-c", config.toString(), "-d", "census", "--block-on", "warn");
    assertEquals(1, strict.exitCode(), strict.out());
  }
}
