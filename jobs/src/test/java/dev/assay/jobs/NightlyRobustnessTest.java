package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.testing.DataFrameAssert;
import dev.assay.common.testing.SparkExtension;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nightlies as they really run: in their own JVMs, beside each other and beside writers, and killed
 * with SIGKILL. Nothing a killed or racing run leaves behind may be read as complete.
 */
@ExtendWith(SparkExtension.class)
class NightlyRobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code assay nightly} in its own JVM, as a scheduler starts it. */
  private static Process nightly(Path config, Path log) throws IOException {
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
            config.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static long version(SparkSession spark, Path table) {
    return DeltaTable.forPath(spark, table.toString())
        .history(1)
        .select("version")
        .head()
        .getLong(0);
  }

  private static JsonNode gate(Path config, String dataset, String partition) throws IOException {
    Lakes.Cli cli = Lakes.assay("gate", "-c", config.toString(), "-d", dataset, "-p", partition);
    assertTrue(cli.exitCode() == 0 || cli.exitCode() == 1, cli.out() + cli.err());
    JsonNode decision = JSON.readTree(cli.out().trim());
    assertEquals(cli.exitCode() == 1, decision.get("blocked").asBoolean());
    return decision;
  }

  private static Dataset<Row> fresh(SparkSession spark, int from) {
    return Lakes.adultBatches(spark, 1, 32_561).where(col("row_id").geq(from)).limit(150);
  }

  @Test
  void twoNightliesAtOnceWithRowsArrivingNeverExitTwoAndTheNextRunJudgesTheNewRows(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 3, 400), dir.resolve("census"));
    Lakes.write(
        Lakes.adultBatches(spark, 3, 700).where(col("row_id").geq(1200)), dir.resolve("census_b"));
    String census = Lakes.batchesDataset("[age, hours_per_week]", "[sex]");
    Path config =
        Lakes.config(
            dir,
            census
                + census
                    .replace("name: census", "name: census_b")
                    .replace("table: census", "table: census_b"));
    Process first = nightly(config, dir.resolve("first.log"));
    Process second = nightly(config, dir.resolve("second.log"));
    // rows arrive in judged batch 2 and in a new batch 4 while both run
    Path started = dir.resolve("integrity/feature_profiles/_delta_log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    int appended = 0;
    while (System.nanoTime() < deadline && (first.isAlive() || second.isAlive())) {
      if (Files.exists(started) && appended < 4) {
        Lakes.write(
            fresh(spark, 20_000 + 200 * appended)
                .withColumn("batch", lit(appended % 2 == 0 ? 2 : 4)),
            dir.resolve("census"));
        appended++;
      }
      Thread.sleep(2000);
    }
    assertTrue(
        first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS),
        "both nightlies ended");
    String logs =
        Files.readString(dir.resolve("first.log")) + Files.readString(dir.resolve("second.log"));
    assertTrue(appended > 0, "rows were appended during the runs: " + logs);
    assertTrue(
        first.exitValue() <= 1 && second.exitValue() <= 1,
        "a race is never bad input: exits "
            + first.exitValue()
            + ", "
            + second.exitValue()
            + "\n"
            + logs);

    // every dataset was processed; a partition is either judged at the table's newest version or
    // blocked
    long now = version(spark, dir.resolve("census"));
    for (String batch : List.of("1", "3")) {
      JsonNode decision = gate(config, "census_b", batch);
      assertTrue(
          !decision.get("blocked").asBoolean() && decision.get("input_version").asLong() == 0,
          "census_b " + batch + " was judged: " + decision + "\n" + logs);
    }
    List<String> landed = appended > 1 ? List.of("2", "4") : List.of("2");
    for (String batch : landed) {
      JsonNode decision = gate(config, "census", batch);
      assertTrue(
          decision.get("blocked").asBoolean() || decision.get("input_version").asLong() == now,
          "batch " + batch + " passed at an older version than its newest rows: " + decision);
    }

    // the next nightly judges the rows that arrived: clean Adult rows, so not blocked, at the
    // newest version
    Lakes.Cli next = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, next.exitCode(), next.err());
    for (String batch : landed) {
      JsonNode decision = gate(config, "census", batch);
      assertTrue(!decision.get("blocked").asBoolean(), decision.toString());
      assertEquals(now, decision.get("input_version").asLong());
    }
  }

  /**
   * Kills nightly with SIGKILL once {@code table} has a data commit, or returns when it ends first.
   */
  private static void killAfterCommitTo(Path config, Path dir, String table, int moment)
      throws Exception {
    Path firstData = dir.resolve("integrity/" + table + "/_delta_log/00000000000000000001.json");
    Path log = dir.resolve("killed-" + moment + ".log");
    Process process = nightly(config, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline && process.isAlive() && !Files.exists(firstData)) {
      Thread.sleep(20);
    }
    assertTrue(
        process.isAlive(),
        "moment "
            + moment
            + ": the run ended before "
            + table
            + " had a commit: "
            + Files.readString(log));
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void killedFiveTimesThenRerunEqualsACleanRunAndTheGateNeverPassesInBetween(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows = Lakes.scaled(Lakes.adultBatches(spark, 4, 300), 4, "age", 12);
    for (String lake : List.of("clean", "killed")) {
      Lakes.write(rows, dir.resolve(lake + "/census"));
    }
    Path clean =
        Lakes.config(dir.resolve("clean"), Lakes.batchesDataset("[age, hours_per_week]", "[sex]"));
    Path killed =
        Lakes.config(dir.resolve("killed"), Lakes.batchesDataset("[age, hours_per_week]", "[sex]"));
    Lakes.Cli run = Lakes.assay("nightly", "-c", clean.toString());
    assertEquals(0, run.exitCode(), run.err());

    // each kill lands in a later job: each re-run picks up what the one before left pending
    List<String> moments =
        List.of("feature_edges", "feature_drift", "label_drift", "duplicate_index", "verdicts");
    for (int m = 0; m < moments.size(); m++) {
      killAfterCommitTo(killed, dir.resolve("killed"), moments.get(m), m + 1);
      for (String batch : List.of("1", "2", "3", "4")) {
        assertTrue(
            gate(killed, "census", batch).get("blocked").asBoolean(),
            "after the kill in " + moments.get(m) + ", batch " + batch + " must not pass");
      }
    }
    Lakes.Cli rerun = Lakes.assay("nightly", "-c", killed.toString());
    assertEquals(0, rerun.exitCode(), rerun.err());

    int compared = 0;
    try (Stream<Path> tables = Files.list(dir.resolve("clean/integrity"))) {
      for (Path table : tables.sorted().toList()) {
        String name = table.getFileName().toString();
        if (name.equals("runs")) {
          continue;
        }
        DataFrameAssert.assertSameRows(
            content(spark, table), content(spark, dir.resolve("killed/integrity/" + name)));
        compared++;
      }
    }
    assertTrue(compared >= 8, "compared " + compared + " tables");
    assertEquals("FAIL", gate(killed, "census", "4").get("verdict").asText());
    assertEquals("PASS", gate(killed, "census", "2").get("verdict").asText());
  }

  /**
   * A table's rows without what differs between runs: run ids, times, signatures and sketch bytes.
   */
  private static Dataset<Row> content(SparkSession spark, Path table) {
    Dataset<Row> rows = spark.read().format("delta").load(table.toString());
    for (StructField field : rows.schema().fields()) {
      // sketch bytes are left out: KLL compaction is randomised, so equal inputs give different
      // bytes
      if (field.name().equals("run_id")
          || field.name().equals("signature")
          || field.name().equals("key_id")
          || field.dataType().equals(DataTypes.TimestampType)
          || field.dataType().equals(DataTypes.BinaryType)) {
        rows = rows.drop(field.name());
      }
    }
    return rows;
  }
}
