package dev.assay.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.checks.RowChecksum;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.table.RowChecksums;
import dev.assay.jobs.checks.ChecksJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Times 20 constraints of every kind the one pass measures (size with an anomaly strategy,
 * completeness, uniqueness of an id, distinctness of a column pair, min, max, mean, stddev, a KLL
 * quantile, allowed values, a pattern, a SQL predicate, provenance and a spark_xxhash64 row
 * checksum) against a bare scan aggregating every column they read, in the same run.
 */
public final class ChecksBenchmark {
  private final SparkSession spark;
  private final long rows;
  private final int partitions;
  private final int repeats;

  public ChecksBenchmark(SparkSession spark, long rows, int partitions, int repeats) {
    this.spark = spark;
    this.rows = rows;
    this.partitions = partitions;
    this.repeats = repeats;
  }

  static final String CHECKS =
      """
      checks:
        - check: bench
          constraints:
            - size: {anomaly: {strategy: relative_rate, min_ratio: 0.5, max_ratio: 2.0}}
            - complete: id
            - unique: [id]
            - completeness: {column: f1, min: 0.9}
            - completeness: {column: f5, min: 0.9}
            - completeness: {column: c0, min: 0.9}
            - complete: source
            - min: {column: f0, min: 0}
            - max: {column: f2, max: 1000}
            - mean: {column: f3, min: -100, max: 100}
            - stddev: {column: f4, max: 1000}
            - quantile: {column: f6, quantile: 0.5, max: 1000}
            - mean: {column: f9, anomaly: {strategy: normal, k: 4}}
            - max: {column: f8, max: 1000}
            - allowed_values: {column: c0, values: [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19]}
            - pattern: {column: c1, regex: "^v[0-9]+$"}
            - satisfies: {name: ranges, predicate: "f7 > -1000 AND f8 < 1000"}
            - provenance: {columns: [source]}
            - distinctness: {columns: [c0, source], max: 1}
            - checksum: {column: checksum, algorithm: spark_xxhash64, columns: [id, f0, c0]}
      """;

  /** Runs the benchmark in {@code dir}; returns {bare seconds, checks seconds}. */
  public double[] run(Path dir, PrintStream out) throws IOException {
    Path table = dir.resolve("checks_table");
    JobBenchmark.generateOnce(
        table,
        "checks-v2 " + rows + " " + partitions,
        this::generate,
        String.format(
            "%,d rows x 10 numeric + 2 categorical + id, source, checksum in %d partitions",
            rows, partitions),
        out);
    JobBenchmark.deleteIntegrity(dir.resolve("integrity"));
    Path configFile = dir.resolve("checks.yaml");
    Files.writeString(
        configFile,
        "integrity:\n  path: integrity\ndatasets:\n  - name: bench\n"
            + "    table: checks_table\n    partition_column: ds\n    features:\n      numeric: [f0]\n"
            + CHECKS.indent(4));
    AssayConfig config = ConfigLoader.load(configFile);
    JobRunner runner = new JobRunner(spark, config);
    BestTime bareTime = new BestTime();
    BestTime checksTime = new BestTime();
    for (int r = 0; r < repeats; r++) {
      double b = bareTime.time(() -> bareScan(table.toString()));
      double c =
          checksTime.time(
              () -> runner.run(new ChecksJob(), config.dataset("bench"), PartitionSelection.all()));
      out.printf(
          "round %d: bare scan %.2f s, checks (20 constraints) %.2f s, ratio %.2f%n",
          r + 1, b, c, c / b);
    }
    double bare = bareTime.seconds();
    double best = checksTime.seconds();
    out.printf(
        "best: bare scan %.2f s, checks %.2f s, checks / bare scan = %.2fx%n",
        bare, best, best / bare);
    return new double[] {bare, best};
  }

  private Dataset<Row> generate() {
    List<Column> columns = new ArrayList<>();
    columns.add(col("id"));
    columns.add(
        date_add(
                lit(java.sql.Date.valueOf("2026-11-01")),
                floor(col("id").multiply(partitions).divide(rows)).cast("int"))
            .as("ds"));
    for (int i = 0; i < 10; i++) {
      Column value = i % 3 == 0 ? exp(randn(i)) : randn(i).multiply(10 + i).plus(i);
      columns.add(
          i % 4 == 1
              ? when(rand(1000 + i).lt(0.05), lit(null)).otherwise(value).as("f" + i)
              : value.as("f" + i));
    }
    columns.add(concat(lit("v"), floor(rand(2000).multiply(20)).cast("string")).as("c0"));
    columns.add(concat(lit("v"), floor(rand(2001).multiply(1000)).cast("string")).as("c1"));
    columns.add(concat(lit("s"), floor(rand(3000).multiply(8)).cast("string")).as("source"));
    Dataset<Row> data = spark.range(rows).select(columns.toArray(Column[]::new));
    return data.withColumn(
        "checksum",
        RowChecksums.compute(
            RowChecksum.Algorithm.SPARK_XXHASH64, data.schema(), List.of("id", "f0", "c0")));
  }

  /** One aggregation over every column the checks read. */
  private void bareScan(String table) {
    Dataset<Row> data = spark.read().format("delta").load(table);
    List<Column> aggregates =
        new ArrayList<>(List.of(sum(col("id")), sum(col("checksum").cast("double"))));
    for (int i = 0; i < 10; i++) {
      aggregates.add(sum(col("f" + i)));
    }
    for (String text : List.of("c0", "c1", "source")) {
      aggregates.add(sum(length(col(text))));
    }
    data.groupBy("ds").agg(count(lit(1)), aggregates.toArray(Column[]::new)).collectAsList();
  }
}
