package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.checks.Assertion;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.RowChecksum;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.checks.ChecksJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks job on real Adult rows in 8 batches of 600, each row with a SHA-256 checksum computed
 * here, independently of Assay, from docs/checks.md's recipe. Batch 5 has a null-rate spike
 * (workclass null in 40% of rows), batch 6 a row-count collapse (a fifth of its rows), batch 7 one
 * row edited after its checksum was taken; batches 1-4 and 8 are clean.
 */
@ExtendWith(SparkExtension.class)
class ChecksTest {
  static final String CONTRACT =
      """
        checks:
          - check: contract
            level: error
            constraints:
              - size: {anomaly: {strategy: relative_rate, min_ratio: 0.5, max_ratio: 2.0}}
              - completeness: {column: workclass, anomaly: {strategy: absolute_change, max_decrease: 0.06, max_increase: 0.06}}
              - checksum: {column: row_checksum}
              - complete: age
              - unique: [row_id]
          - check: profile
            level: warning
            constraints:
              - distinctness: {columns: [education, sex], max: 1}
              - uniqueness: {columns: [education, occupation], min: 0}
              - min: {column: age, min: 0}
              - max: {column: age, max: 200}
              - mean: {column: hours_per_week, min: 0}
              - stddev: {column: fnlwgt, min: 0}
              - quantile: {column: fnlwgt, quantile: 0.9, min: 0}
              - allowed_values: {column: race, values: [White, Black, Asian-Pac-Islander, Amer-Indian-Eskimo], min: 0}
              - pattern: {column: native_country, regex: "^United", min: 0}
              - satisfies: {name: usual_hours, predicate: "hours_per_week BETWEEN 1 AND 60", min: 0}
              - provenance: {columns: [source, occupation], min: 0}
        checks_quarantine:
          table: quarantine
        """;

  /** Builds the lake; returns the row id of the tampered row. */
  static long writeLake(SparkSession spark, Path table, boolean poisoned) throws Exception {
    Dataset<Row> batches = Lakes.adultBatches(spark, 8, 600);
    StructType schema = batches.schema().add("row_checksum", DataTypes.StringType);
    int workclass = batches.schema().fieldIndex("workclass");
    int age = batches.schema().fieldIndex("age");
    int batch = batches.schema().fieldIndex("batch");
    List<Row> rows = new ArrayList<>();
    long tampered = -1;
    for (Row row : batches.orderBy("row_id").collectAsList()) {
      Object[] values = new Object[row.length() + 1];
      for (int i = 0; i < row.length(); i++) {
        values[i] = row.get(i);
      }
      long id = row.getLong(0);
      int b = row.getInt(batch);
      if (poisoned && b == 5 && id % 5 < 2) {
        values[workclass] = null;
      }
      if (poisoned && b == 6 && id % 20 >= 3) {
        continue;
      }
      values[row.length()] = sha256(values, batch);
      if (poisoned && b == 7 && tampered < 0) {
        values[age] = (Integer) values[age] + 1;
        tampered = id;
      }
      rows.add(RowFactory.create(values));
    }
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .partitionBy("batch")
        .save(table.toString());
    return tampered;
  }

  /** docs/checks.md's sha256: values but the partition, as text, null as \N, joined by U+001F. */
  static String sha256(Object[] values, int skip) throws Exception {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < values.length - 1; i++) {
      if (i != skip) {
        parts.add(values[i] == null ? "\\N" : values[i].toString());
      }
    }
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  static Path config(Path dir) throws Exception {
    return Lakes.config(
        dir,
        "  - name: census\n    table: census\n    partition_column: batch\n"
            + "    id_columns: [row_id]\n    features:\n      numeric: [age]\n"
            + CONTRACT.indent(4));
  }

  static Map<String, Row> results(SparkSession spark, Path dir) {
    Map<String, Row> byKey = new HashMap<>();
    for (Row row :
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/check_results").toString())
            .collectAsList()) {
      String key =
          row.getAs("partition") + "|" + row.getAs("check") + "/" + row.getAs("constraint");
      assertFalse(byKey.containsKey(key), "one row per constraint and partition: " + key);
      byKey.put(key, row);
    }
    return byKey;
  }

  @Test
  void valuesMatchIndependentSqlAndInjectedProblemsFailWithPreciseReasons(
      SparkSession spark, @TempDir Path dir) throws Exception {
    long tampered = writeLake(spark, dir.resolve("census"), true);
    Path config = config(dir);
    Lakes.Cli run = Lakes.assay("checks", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());

    Map<String, Row> results = results(spark, dir);
    assertEquals(8 * 16, results.size(), "16 constraints x 8 partitions");
    spark
        .read()
        .format("delta")
        .load(dir.resolve("census").toString())
        .createOrReplaceTempView("census");
    Map<String, Map<String, Double>> sql = new HashMap<>();
    for (Row r :
        spark
            .sql(
                """
        SELECT CAST(batch AS STRING) p, COUNT(*) size,
          COUNT(workclass) / COUNT(*) completeness_workclass,
          COUNT(age) / COUNT(*) completeness_age,
          MIN(age) min_age, MAX(age) max_age, AVG(hours_per_week) mean_hours, STDDEV_SAMP(fnlwgt) sd_fnlwgt,
          AVG(CASE WHEN race IS NULL OR race IN ('White', 'Black', 'Asian-Pac-Islander', 'Amer-Indian-Eskimo')
              THEN 1 ELSE 0 END) allowed_race,
          AVG(CASE WHEN native_country IS NULL OR native_country RLIKE '^United' THEN 1 ELSE 0 END) pattern_country,
          AVG(CASE WHEN hours_per_week BETWEEN 1 AND 60 THEN 1 ELSE 0 END) usual_hours,
          AVG(CASE WHEN source IS NOT NULL AND TRIM(source) <> '' AND occupation IS NOT NULL
              AND TRIM(occupation) <> '' THEN 1 ELSE 0 END) provenance
        FROM census GROUP BY batch""")
            .collectAsList()) {
      Map<String, Double> values = new HashMap<>();
      for (int i = 1; i < r.length(); i++) {
        values.put(r.schema().fieldNames()[i], ((Number) r.get(i)).doubleValue());
      }
      sql.put(r.getString(0), values);
    }
    Map<String, Double> unique = groupRatio(spark, "row_id", "c = 1", "row_id IS NOT NULL");
    Map<String, Double> uniquePair =
        groupRatio(
            spark,
            "education, occupation",
            "c = 1",
            "education IS NOT NULL OR occupation IS NOT NULL");
    Map<String, Double> distinctPair =
        groupRatio(spark, "education, sex", "true", "education IS NOT NULL OR sex IS NOT NULL");
    for (int b = 1; b <= 8; b++) {
      String p = String.valueOf(b);
      Map<String, Double> expected = sql.get(p);
      assertValue(results, p, "contract/size", expected.get("size"));
      assertValue(
          results, p, "contract/completeness(workclass)", expected.get("completeness_workclass"));
      assertValue(results, p, "contract/completeness(age)", expected.get("completeness_age"));
      assertValue(results, p, "contract/uniqueness(row_id)", unique.get(p));
      assertValue(results, p, "contract/checksum(row_checksum)", b == 7 ? 599.0 / 600 : 1.0);
      assertValue(results, p, "profile/uniqueness(education,occupation)", uniquePair.get(p));
      assertValue(results, p, "profile/distinctness(education,sex)", distinctPair.get(p));
      assertValue(results, p, "profile/min(age)", expected.get("min_age"));
      assertValue(results, p, "profile/max(age)", expected.get("max_age"));
      assertValue(results, p, "profile/mean(hours_per_week)", expected.get("mean_hours"));
      assertValue(results, p, "profile/stddev(fnlwgt)", expected.get("sd_fnlwgt"));
      assertValue(results, p, "profile/allowed_values(race)", expected.get("allowed_race"));
      assertValue(results, p, "profile/pattern(native_country)", expected.get("pattern_country"));
      assertValue(results, p, "profile/satisfies(usual_hours)", expected.get("usual_hours"));
      assertValue(results, p, "profile/provenance(source,occupation)", expected.get("provenance"));
      // The quantile comes from a KLL sketch: its rank must be within 2% of 0.9 (docs/checks.md).
      double q = results.get(p + "|profile/quantile(fnlwgt,0.9)").<Double>getAs("value");
      double rank =
          spark
              .sql(
                  "SELECT AVG(CASE WHEN fnlwgt <= "
                      + q
                      + " THEN 1.0 ELSE 0.0 END) FROM census WHERE batch = "
                      + b)
              .head()
              .getDecimal(0)
              .doubleValue();
      assertEquals(0.9, rank, 0.02, "rank of the 0.9 quantile in batch " + b);
    }

    // Clean batches: every constraint OK.
    for (int b : new int[] {1, 2, 3, 4, 8}) {
      for (Map.Entry<String, Row> e : results.entrySet()) {
        if (e.getKey().startsWith(b + "|")) {
          assertEquals(
              "OK",
              e.getValue().getAs("status"),
              e.getKey() + ": " + e.getValue().getAs("message"));
        }
      }
    }
    // Each injected problem FAILs its batch, with a reason naming the metric, value and
    // expectation.
    assertFail(results, "5|contract/completeness(workclass)", "is an anomaly (absolute_change)");
    assertFail(
        results,
        "6|contract/size",
        "contract/size = "
            + sql.get("6").get("size").longValue()
            + " is an anomaly (relative_rate): expected [300, 1200] from ratio 0.5..2 of 600 in partition 4");
    assertFail(results, "7|contract/checksum(row_checksum)", "expected == 1 (1 of 600 rows fail)");
    assertEquals(
        1,
        results.values().stream()
            .filter(
                r ->
                    "FAIL".equals(r.getAs("status")) && ((String) r.getAs("partition")).equals("7"))
            .count(),
        "only the checksum fails batch 7");

    // The tampered row, and only it, is quarantined, whole, with its constraint and run id.
    Dataset<Row> quarantine =
        spark.read().format("delta").load(dir.resolve("quarantine").toString());
    List<Row> quarantined = quarantine.where(col("batch").equalTo(7)).collectAsList();
    assertEquals(1, quarantined.size());
    assertEquals(tampered, quarantined.get(0).<Long>getAs("row_id"));
    assertEquals(
        List.of("contract/checksum(row_checksum)"),
        quarantined.get(0).getList(quarantined.get(0).fieldIndex("_assay_constraints")));
    // Batch 5's completeness failed, so its rows without workclass (injected or not) are
    // quarantined too.
    long nullWorkclass =
        spark
            .sql("SELECT COUNT(*) FROM census WHERE batch = 5 AND workclass IS NULL")
            .head()
            .getLong(0);
    assertTrue(nullWorkclass >= 240, "the injected nulls: " + nullWorkclass);
    assertEquals(nullWorkclass, quarantine.where(col("batch").equalTo(5)).count());
    assertEquals(0, quarantine.where(col("batch").isin(1, 2, 3, 4, 6, 8)).count());

    // Re-running replaces rows: same counts, no duplicates.
    assertEquals(0, Lakes.assay("checks", "-c", config.toString(), "--all").exitCode());
    assertEquals(8 * 16, results(spark, dir).size());
    assertEquals(
        nullWorkclass + 1,
        spark.read().format("delta").load(dir.resolve("quarantine").toString()).count());
    // Re-checking a clean partition when the quarantine exists writes nothing new and keeps the
    // other rows.
    Lakes.Cli clean = Lakes.assay("checks", "-c", config.toString(), "-d", "census", "-p", "1");
    assertEquals(0, clean.exitCode(), clean.err());
    assertEquals(
        nullWorkclass + 1,
        spark.read().format("delta").load(dir.resolve("quarantine").toString()).count());
  }

  private static Map<String, Double> groupRatio(
      SparkSession spark, String keys, String counted, String where) {
    Map<String, Double> out = new HashMap<>();
    for (Row r :
        spark
            .sql(
                "SELECT p, SUM(CASE WHEN "
                    + counted
                    + " THEN 1 ELSE 0 END) / SUM(c) FROM (SELECT"
                    + " CAST(batch AS STRING) p, "
                    + keys
                    + ", COUNT(*) c FROM census WHERE "
                    + where
                    + " GROUP BY batch, "
                    + keys
                    + ") GROUP BY p")
            .collectAsList()) {
      out.put(r.getString(0), ((Number) r.get(1)).doubleValue());
    }
    return out;
  }

  private static void assertValue(
      Map<String, Row> results, String partition, String constraint, double expected) {
    Row row = results.get(partition + "|" + constraint);
    assertTrue(row != null, "missing result " + partition + "|" + constraint);
    assertEquals(
        expected,
        row.<Double>getAs("value"),
        Math.abs(expected) * 1e-12 + 1e-12,
        partition + " " + constraint);
  }

  private static void assertFail(Map<String, Row> results, String key, String reasonPart) {
    Row row = results.get(key);
    assertEquals("FAIL", row.getAs("status"), key);
    String reason = row.getAs("reason");
    assertTrue(reason.startsWith("checks: ") && reason.contains(reasonPart), key + ": " + reason);
  }

  @Test
  void onePassMeasuresEveryConstraintAndTheJavaDslMatchesYaml(SparkSession spark, @TempDir Path dir)
      throws Exception {
    writeLake(spark, dir.resolve("census"), false);
    AssayConfig loaded = ConfigLoader.load(config(dir));
    JobRunner runner = new JobRunner(spark, loaded);
    long rows = spark.read().format("delta").load(dir.resolve("census").toString()).count();
    OnePassAndRecoveryTest.Reads reads =
        OnePassAndRecoveryTest.ReadCounter.count(
            spark,
            rows / 10,
            () ->
                runner.run(
                    new ChecksJob(), loaded.dataset("census"), PartitionSelection.pending()));
    assertEquals(
        List.of(rows),
        reads.big(),
        "16 constraints x 8 partitions from one read: " + reads.byJob());

    Map<String, Row> yaml = results(spark, dir);
    Check dsl =
        Check.error("dsl")
            .isComplete("age")
            .isUnique("row_id")
            .hasMean("hours_per_week", v -> v > 0)
            .named("hours")
            .hasStandardDeviation("fnlwgt", Assertion.atLeast(0))
            .satisfies("hours_per_week BETWEEN 1 AND 60", "usual_hours", Assertion.atLeast(0))
            .hasValidChecksum("row_checksum", RowChecksum.Algorithm.SHA256)
            .hint("edited after ingestion");
    runner.run(new ChecksJob(List.of(dsl)), loaded.dataset("census"), PartitionSelection.all());
    // A run replaces the partitions' check results: only the DSL check's rows are left.
    Map<String, Row> results = results(spark, dir);
    assertEquals(8 * 6, results.size());
    for (int b = 1; b <= 8; b++) {
      Row hours = results.get(b + "|dsl/hours");
      assertEquals("OK", hours.getAs("status"));
      assertEquals("a custom assertion", hours.getAs("assertion"));
      assertEquals(
          yaml.get(b + "|profile/mean(hours_per_week)").<Double>getAs("value"),
          hours.<Double>getAs("value"));
      assertEquals(
          1.0,
          results.get(b + "|dsl/checksum(row_checksum)").<Double>getAs("value"),
          "clean checksums");
      assertEquals(
          "edited after ingestion", results.get(b + "|dsl/checksum(row_checksum)").getAs("hint"));
      assertEquals(
          yaml.get(b + "|profile/satisfies(usual_hours)").<Double>getAs("value"),
          results.get(b + "|dsl/satisfies(usual_hours)").<Double>getAs("value"));
    }
  }

  @Test
  void sparkXxhash64ChecksumsWrittenWithSparkSqlVerifyAndCatchAnEditedRow(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.adultBatches(spark, 2, 300).createOrReplaceTempView("adult_rows");
    // what an ingestion job following docs/checks.md writes, then one row edited in the lake
    // afterwards
    spark
        .sql("SELECT *, xxhash64(age, workclass, hours_per_week) AS xx FROM adult_rows")
        .createOrReplaceTempView("ingested");
    spark
        .sql(
            "SELECT row_id, CASE WHEN row_id = 3 THEN age + 1 ELSE age END AS age, workclass, hours_per_week,"
                + " batch, xx FROM ingested")
        .write()
        .format("delta")
        .partitionBy("batch")
        .save(dir.resolve("census").toString());
    Path config =
        Lakes.config(
            dir,
            "  - name: census\n    table: census\n    partition_column: batch\n"
                + "    features:\n      numeric: [age]\n");
    AssayConfig loaded = ConfigLoader.load(config);
    Check check =
        Check.error("ingestion")
            .hasValidChecksum(
                "xx",
                RowChecksum.Algorithm.SPARK_XXHASH64,
                List.of("age", "workclass", "hours_per_week"),
                Assertion.equalTo(1));
    new JobRunner(spark, loaded)
        .run(new ChecksJob(List.of(check)), loaded.dataset("census"), PartitionSelection.all());
    Map<String, Row> results = results(spark, dir);
    // row 3 is in batch 2 (row_id mod 2 + 1)
    assertEquals(1.0, results.get("1|ingestion/checksum(xx)").<Double>getAs("value"));
    assertEquals("OK", results.get("1|ingestion/checksum(xx)").getAs("status"));
    assertEquals(
        299.0 / 300, results.get("2|ingestion/checksum(xx)").<Double>getAs("value"), 1e-12);
    assertEquals("FAIL", results.get("2|ingestion/checksum(xx)").getAs("status"));
  }

  @Test
  void badChecksExitTwoWithTheKeyPathAndWriteNothing(SparkSession spark, @TempDir Path dir)
      throws Exception {
    writeLake(spark, dir.resolve("census"), false);
    String head =
        "  - name: census\n    table: census\n    partition_column: batch\n    features:\n"
            + "      numeric: [age]\n    checks:\n      - check: c\n        constraints:\n          - complete: age\n";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "          - completenes: {column: age, min: 1}\n",
        "datasets[0].checks[0].constraints[1]: unknown constraint 'completenes'");
    cases.put(
        "          - mean: {column: age, min: high}\n",
        "datasets[0].checks[0].constraints[1].mean.min: expected a number, found the string 'high'");
    cases.put(
        "          - max: {column: agee, max: 120}\n",
        "datasets[0].checks[0].constraints[1]: column 'agee' not found in");
    cases.put(
        "          - satisfies: {predicate: \"hours_per_week >>>> 3\"}\n",
        "datasets[0].checks[0].constraints[1]: invalid SQL predicate 'hours_per_week >>>> 3'");
    cases.put(
        "          - satisfies: {predicate: \"age + 1\"}\n",
        "datasets[0].checks[0].constraints[1]: the predicate 'age + 1' is int, not a boolean");
    cases.put(
        "          - satisfies: {predicate: \"sum(age) > 0\"}\n",
        "datasets[0].checks[0].constraints[1]: the predicate 'sum(age) > 0' is not a row-level condition");
    cases.put(
        "          - mean: {column: workclass, min: 0}\n",
        "datasets[0].checks[0].constraints[1]: mean needs a numeric column, and 'workclass' is string");
    cases.put(
        "          - checksum: {column: age}\n",
        "datasets[0].checks[0].constraints[1]: checksum column 'age' is int, which cannot hold a sha256 checksum");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path config = Lakes.config(dir.resolve("case" + i++), head + c.getKey());
      Files.writeString(
          config,
          Files.readString(config).replace("table: census", "table: " + dir.resolve("census")));
      Lakes.Cli cli = Lakes.assay("checks", "-c", config.toString());
      assertEquals(2, cli.exitCode(), c.getKey() + cli.err());
      assertTrue(
          cli.err().contains(c.getValue()), "expected '" + c.getValue() + "' in: " + cli.err());
      assertFalse(
          Files.exists(config.getParent().resolve("integrity/check_results/_delta_log")),
          "nothing written for " + c.getKey());
    }
  }

  @Test
  void suggestedChecksFromCleanPartitionsPassOnHeldOutCleanPartitions(
      SparkSession spark, @TempDir Path dir) throws Exception {
    writeLake(spark, dir.resolve("census"), false);
    Path base =
        Lakes.config(
            dir,
            "  - name: census\n    table: census\n    partition_column: batch\n"
                + "    features:\n      numeric: [age]\n");
    Path suggestions = dir.resolve("suggested.yaml");
    Lakes.Cli suggest =
        Lakes.assay(
            "suggest-checks",
            "-c",
            base.toString(),
            "-d",
            "census",
            "-p",
            "1",
            "-p",
            "2",
            "-p",
            "3",
            "-p",
            "4",
            "--level",
            "error",
            "--out",
            suggestions.toString());
    assertEquals(0, suggest.exitCode(), suggest.err());
    String yaml = Files.readString(suggestions);
    for (String expected :
        List.of(
            "- unique: [\"row_id\"]",
            "- complete: \"age\"",
            "- completeness: {column: \"workclass\"",
            "- allowed_values: {column: \"sex\"",
            "non_negative(capital_gain)",
            "- size: {anomaly:")) {
      assertTrue(yaml.contains(expected), "expected " + expected + " in\n" + yaml);
    }
    assertTrue(
        yaml.contains("# 4 trusted partition(s)")
            || yaml.startsWith("# assay suggest-checks: 4 trusted"),
        yaml);
    Path withChecks = dir.resolve("checked.yaml");
    Files.writeString(withChecks, Files.readString(base) + yaml.replaceAll("(?m)^", "    "));
    Lakes.Cli run = Lakes.assay("checks", "-c", withChecks.toString(), "-d", "census", "--all");
    assertEquals(0, run.exitCode(), run.err());
    List<Row> heldOut =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/check_results").toString())
            .where(col("partition").isin("5", "6", "7", "8"))
            .collectAsList();
    assertTrue(
        heldOut.size() > 4 * 20, "suggested constraints on held-out partitions: " + heldOut.size());
    for (Row row : heldOut) {
      assertEquals(
          "OK",
          row.getAs("status"),
          row.getAs("partition") + " " + row.getAs("constraint") + ": " + row.getAs("message"));
    }
  }
}
