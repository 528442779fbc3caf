package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.assay.jobs.cli.Assay;
import dev.assay.jobs.demo.DemoLake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Test lakes built from the real Adult sample, and an in-process CLI runner. */
public final class Lakes {
  private Lakes() {}

  /** The result of one CLI call. */
  public record Cli(int exitCode, String out, String err) {}

  private static Path demoConfig;
  private static String demoNightlyOutput;

  /**
   * The demo lake after {@code nightly --all}, built once per build in target/demo-lake; tests only
   * read it. Test JVMs run in parallel forks, so the first to get the lock builds it and the others
   * reuse it: the {@code .complete} marker, written last, holds the build's id ({@code
   * assay.build.id}, one per Maven run) and is followed by what nightly printed. notebooks/run
   * (later in the build) reuses a complete lake too. Returns its config.
   */
  public static synchronized Path demo(SparkSession spark) throws IOException {
    if (demoConfig == null) {
      Path dir = Path.of("target/demo-lake").toAbsolutePath();
      Path marker = dir.resolve(".complete");
      String build =
          "built by the jobs tests, build "
              + System.getProperty("assay.build.id", "unknown")
              + "\n";
      Files.createDirectories(dir.getParent());
      try (java.nio.channels.FileChannel lock =
              java.nio.channels.FileChannel.open(
                  dir.getParent().resolve("demo-lake.lock"),
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.WRITE);
          var held = lock.lock()) {
        if (Files.exists(marker)
            && Files.readString(marker).startsWith(build)
            && !build.contains("unknown")) {
          demoNightlyOutput = Files.readString(marker).substring(build.length());
          demoConfig = dir.resolve("assay.yaml");
          return demoConfig;
        }
        if (Files.exists(dir)) {
          try (var paths = Files.walk(dir)) {
            paths
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(path -> path.toFile().delete());
          }
        }
        Path config = DemoLake.build(spark, dir);
        Cli run = assay("nightly", "-c", config.toString(), "--all");
        if (run.exitCode() != 0) {
          throw new IllegalStateException("nightly on the demo lake failed: " + run.err());
        }
        Files.writeString(marker, build + run.out());
        demoConfig = config;
        demoNightlyOutput = run.out();
      }
    }
    return demoConfig;
  }

  /** What {@code nightly} printed when {@link #demo} built the demo lake. */
  public static synchronized String demoNightlyOutput(SparkSession spark) throws IOException {
    demo(spark);
    return demoNightlyOutput;
  }

  public static Cli assay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Assay.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Adult rows in {@code batches} integer batches (by row number modulo, unlike the demo's hash),
   * about {@code perBatch} rows each, as a Delta table partitioned by {@code batch}.
   */
  public static Dataset<Row> adultBatches(SparkSession spark, int batches, int perBatch) {
    List<Row> rows = DemoLake.adultRows();
    return spark
        .createDataFrame(rows, DemoLake.SCHEMA)
        .where(col("row_id").lt(batches * perBatch))
        .withColumn("batch", col("row_id").mod(batches).plus(1).cast("int"))
        .drop("ds");
  }

  public static void write(Dataset<Row> rows, Path table) {
    rows.write().format("delta").mode("append").partitionBy("batch").save(table.toString());
  }

  /** Multiplies a numeric feature in one batch: a unit bug. */
  public static Dataset<Row> scaled(Dataset<Row> rows, int batch, String feature, int factor) {
    return rows.withColumn(
        feature,
        when(col("batch").equalTo(batch), col(feature).multiply(factor))
            .otherwise(col(feature))
            .cast("int"));
  }

  public static Path config(Path dir, String datasetBlock) throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("assay.yaml");
    Files.writeString(config, "integrity:\n  path: integrity\ndatasets:\n" + datasetBlock);
    return config;
  }

  public static String batchesDataset(String numeric, String categorical) {
    return "  - name: census\n    table: census\n    partition_column: batch\n    id_columns: [row_id]\n"
        + "    label_column: income\n    features:\n      numeric: "
        + numeric
        + "\n      categorical: "
        + categorical
        + "\n";
  }
}
