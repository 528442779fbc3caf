package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.RawWasserstein;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.DemoLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * wasserstein_norm against the raw values (issue 18, item 4): real Adult rows aged 21 to 35 in four
 * batches, batch 4 with 40% of its rows shifted (age + 2, fnlwgt + 50,000). The expected values are
 * computed here from the raw rows, by brute force, never from the job's states.
 */
@ExtendWith(SparkExtension.class)
class WassersteinDriftTest {
  private static final int SHIFTED = 4;
  private static final int FNLWGT_SHIFT = 50_000;

  /**
   * fnlwgt has thousands of distinct values, so its W1 comes from the decile histogram with one
   * point per bin, which underestimates a shift: by 5% on fnlwgt (0.007 of 0.142 from the raw
   * values) and by 24% on the age shift (0.04), docs/feature-drift.md. 0.08 bounds both.
   */
  private static final double HISTOGRAM_TOLERANCE = 0.08;

  @TempDir static Path dir;
  private static Dataset<Row> rows;

  @BeforeAll
  static void profileAndJudge(SparkSession spark) throws Exception {
    Column shifted =
        col("batch").equalTo(SHIFTED).and(pmod(xxhash64(col("row_id")), lit(100)).lt(40));
    Dataset<Row> adult =
        spark
            .createDataFrame(DemoLake.adultRows(), DemoLake.SCHEMA)
            .where(col("age").between(21, 35))
            .withColumn("batch", col("row_id").mod(4).plus(1).cast("int"))
            .drop("ds")
            .withColumn("age", when(shifted, col("age").plus(2)).otherwise(col("age")))
            .withColumn(
                "fnlwgt", when(shifted, col("fnlwgt").plus(FNLWGT_SHIFT)).otherwise(col("fnlwgt")));
    rows = spark.createDataFrame(adult.collectAsList(), adult.schema());
    Lakes.write(rows, dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age, fnlwgt]", "[sex]"));
    for (String job : List.of("profile", "feature-drift")) {
      Lakes.Cli cli = Lakes.assay(job, "-c", config.toString());
      assertEquals(0, cli.exitCode(), job + ": " + cli.err());
    }
  }

  private static Row drift(SparkSession spark, String feature) {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("integrity/feature_drift").toString())
        .where(
            col("partition").equalTo(String.valueOf(SHIFTED)).and(col("feature").equalTo(feature)))
        .head();
  }

  private static Row profile(SparkSession spark, int batch, String feature) {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("integrity/feature_profiles").toString())
        .where(col("partition").equalTo(String.valueOf(batch)).and(col("feature").equalTo(feature)))
        .head();
  }

  private static double[] values(String feature, List<String> batches) {
    return rows
        .where(col("batch").cast("string").isin(batches.toArray()))
        .select(col(feature).cast("double"))
        .collectAsList()
        .stream()
        .mapToDouble(r -> r.getDouble(0))
        .toArray();
  }

  /** The raw-value W1 of the shifted batch against its stored baseline, over the baseline's σ. */
  private static double expectedNorm(Row drift, String feature) {
    List<String> baseline = drift.getList(drift.fieldIndex("baseline"));
    assertFalse(baseline.isEmpty(), "batch " + SHIFTED + " has a baseline");
    assertFalse(baseline.contains(String.valueOf(SHIFTED)));
    double[] current = values(feature, List.of(String.valueOf(SHIFTED)));
    double[] base = values(feature, baseline);
    return RawWasserstein.distance(current, base) / RawWasserstein.stddev(base);
  }

  @Test
  void aTwoYearAgeShiftOnFortyPercentOfRowsMatchesTheRawValues(SparkSession spark) {
    Row drift = drift(spark, "age");
    double expected = expectedNorm(drift, "age");
    double stored = drift.getAs("wasserstein_norm");
    // Exact counts make this the raw-value distance up to rounding; the issue asked for 2%.
    assertEquals(expected, stored, 1e-9 * expected, "wasserstein_norm(age) of batch " + SHIFTED);
    assertTrue(expected > 0.1, "the shift is past the 0.1 warn threshold: " + expected);
  }

  @Test
  void aLowCardinalityFeatureStoresItsExactValueCounts(SparkSession spark) {
    Row profile = profile(spark, SHIFTED, "age");
    List<Row> exact = profile.getList(profile.fieldIndex("exact_values"));
    assertNotNull(exact, "age has at most 100 distinct values");
    Map<Double, Long> stored = new TreeMap<>();
    exact.forEach(entry -> stored.put(entry.getDouble(0), entry.getLong(1)));
    Map<Double, Long> raw = new TreeMap<>();
    for (double age : values("age", List.of(String.valueOf(SHIFTED)))) {
      raw.merge(age, 1L, Long::sum);
    }
    assertEquals(raw, stored);
    assertEquals(
        List.copyOf(stored.keySet()),
        exact.stream().map(e -> e.getDouble(0)).toList(),
        "stored in increasing value order");
  }

  @Test
  void aFeatureWithMoreThanOneHundredValuesFallsBackToItsHistogramWithinTheDocumentedTolerance(
      SparkSession spark) {
    for (int batch = 1; batch <= 4; batch++) {
      Row profile = profile(spark, batch, "fnlwgt");
      assertTrue(
          profile.isNullAt(profile.fieldIndex("exact_values")),
          "fnlwgt of batch " + batch + " has too many distinct values for exact counts");
    }
    Row drift = drift(spark, "fnlwgt");
    double expected = expectedNorm(drift, "fnlwgt");
    double stored = drift.getAs("wasserstein_norm");
    assertEquals(
        expected,
        stored,
        HISTOGRAM_TOLERANCE,
        "wasserstein_norm(fnlwgt) of batch "
            + SHIFTED
            + " from the histogram, against "
            + expected
            + " from the raw values");
  }

  /**
   * Rows written before exact_values existed read it as null: the baseline's batches lose their
   * exact counts, so age falls back to the histogram, and the new profile's write adds the column.
   */
  @Test
  void profilesWrittenBeforeExactValuesExistedStillRead(SparkSession spark, @TempDir Path old)
      throws Exception {
    Lakes.write(rows.where(col("batch").lt(SHIFTED)), old.resolve("census"));
    Path config = Lakes.config(old, Lakes.batchesDataset("[age, fnlwgt]", "[sex]"));
    assertEquals(0, Lakes.assay("profile", "-c", config.toString()).exitCode());
    String profiles = old.resolve("integrity/feature_profiles").toString();
    Dataset<Row> stored = spark.read().format("delta").load(profiles);
    Dataset<Row> before =
        spark.createDataFrame(stored.collectAsList(), stored.schema()).drop("exact_values");
    before
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(profiles);
    assertFalse(
        List.of(spark.read().format("delta").load(profiles).columns()).contains("exact_values"));

    Lakes.write(rows.where(col("batch").equalTo(SHIFTED)), old.resolve("census"));
    for (String job : List.of("profile", "feature-drift")) {
      Lakes.Cli cli = Lakes.assay(job, "-c", config.toString());
      assertEquals(0, cli.exitCode(), job + ": " + cli.err());
    }
    Dataset<Row> after =
        spark.read().format("delta").load(profiles).where(col("feature").equalTo("age"));
    assertEquals(3, after.where(col("exact_values").isNull()).count(), "old rows read as null");
    assertEquals(
        1, after.where(col("exact_values").isNotNull()).count(), "the new row has its counts");
    Row drift =
        spark
            .read()
            .format("delta")
            .load(old.resolve("integrity/feature_drift").toString())
            .where(
                col("partition")
                    .equalTo(String.valueOf(SHIFTED))
                    .and(col("feature").equalTo("age")))
            .head();
    assertEquals(
        expectedNorm(drift, "age"), (double) drift.getAs("wasserstein_norm"), HISTOGRAM_TOLERANCE);
  }
}
