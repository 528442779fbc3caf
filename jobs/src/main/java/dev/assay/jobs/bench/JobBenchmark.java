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

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.jobs.label.LabelDriftJob;
import dev.assay.jobs.profile.ProfileJob;
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
 * Generates a Delta table once, then times a bare scan (one aggregation over every column the job
 * reads) and the job over the same partitions in the same JVM, and reports their ratio. The table
 * has numeric features f0.., categorical c0.., a label that depends on f0 and c0, and a segment
 * column with 8 sources.
 */
public final class JobBenchmark {
  /** The jobs that can be timed. */
  public static final List<String> JOBS = List.of("profile", "label-drift");

  static final int SOURCES = 8;

  private final SparkSession spark;
  private final String job;
  private final long rows;
  private final int numeric;
  private final int categorical;
  private final int partitions;
  private final int repeats;

  public JobBenchmark(
      SparkSession spark,
      String job,
      long rows,
      int numeric,
      int categorical,
      int partitions,
      int repeats) {
    this.spark = spark;
    this.job = job;
    this.rows = rows;
    this.numeric = numeric;
    this.categorical = categorical;
    this.partitions = partitions;
    this.repeats = repeats;
  }

  /** Runs the benchmark in {@code dir}; returns {bare seconds, job seconds}. */
  public double[] run(Path dir, PrintStream out) throws IOException {
    Path table = dir.resolve("bench_table");
    generateOnce(
        table,
        "v2 " + rows + " " + numeric + " " + categorical + " " + partitions,
        this::generate,
        String.format(
            "%,d rows x %d numeric + %d categorical in %d partitions",
            rows, numeric, categorical, partitions),
        out);
    deleteIntegrity(dir.resolve("integrity"));
    Path configFile = dir.resolve("bench.yaml");
    StringBuilder features = new StringBuilder("numeric: [");
    for (int i = 0; i < numeric; i++) {
      features.append(i == 0 ? "" : ", ").append("f").append(i);
    }
    features.append("]\n      categorical: [");
    for (int i = 0; i < categorical; i++) {
      features.append(i == 0 ? "" : ", ").append("c").append(i);
    }
    features.append("]");
    Files.writeString(
        configFile,
        "integrity:\n  path: integrity\ndatasets:\n  - name: bench\n"
            + "    table: bench_table\n    partition_column: ds\n    label_column: label\n"
            + "    segment_columns: [source]\n    features:\n      "
            + features
            + "\n");
    AssayConfig config = ConfigLoader.load(configFile);
    JobRunner runner = new JobRunner(spark, config);
    double first =
        BestTime.of(
            () -> runner.run(new ProfileJob(), config.dataset("bench"), PartitionSelection.all()));
    out.printf("first profile run, freezing histogram edges: %.2f s%n", first);
    Job timed = job.equals("profile") ? new ProfileJob() : new LabelDriftJob();
    boolean labels = timed instanceof LabelDriftJob;
    BestTime bareTime = new BestTime();
    BestTime jobTime = new BestTime();
    for (int r = 0; r < repeats; r++) {
      double b = bareTime.time(() -> bareScan(table.toString(), labels));
      double p =
          jobTime.time(() -> runner.run(timed, config.dataset("bench"), PartitionSelection.all()));
      out.printf("round %d: bare scan %.2f s, %s %.2f s, ratio %.2f%n", r + 1, b, job, p, p / b);
    }
    double bare = bareTime.seconds();
    double best = jobTime.seconds();
    out.printf(
        "best: bare scan %.2f s, %s %.2f s, %s / bare scan = %.2fx%n",
        bare, job, best, job, best / bare);
    return new double[] {bare, best};
  }

  /**
   * Writes {@code table} (partitioned by ds) unless a table of the same {@code sizes} description
   * was generated there earlier.
   */
  static void generateOnce(
      Path table,
      String sizes,
      java.util.function.Supplier<Dataset<Row>> rows,
      String description,
      PrintStream out)
      throws IOException {
    generateOnce(table, "ds", sizes, rows, description, out);
  }

  /**
   * Writes the rows partitioned by {@code partitionColumn}, unless the same sizes were generated
   * there before.
   */
  static void generateOnce(
      Path table,
      String partitionColumn,
      String sizes,
      java.util.function.Supplier<Dataset<Row>> rows,
      String description,
      PrintStream out)
      throws IOException {
    Path marker = table.resolveSibling(table.getFileName() + ".sizes");
    if (Files.exists(marker) && Files.readString(marker).equals(sizes)) {
      out.printf("reusing the table generated earlier in %s%n", table);
      return;
    }
    double seconds =
        BestTime.of(
            () ->
                rows.get()
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .partitionBy(partitionColumn)
                    .save(table.toString()));
    Files.writeString(marker, sizes);
    out.printf("generated %s (%.1f s)%n", description, seconds);
  }

  static void deleteIntegrity(Path integrity) throws IOException {
    if (Files.exists(integrity)) {
      try (var walk = Files.walk(integrity)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private Dataset<Row> generate() {
    List<Column> columns = new ArrayList<>();
    columns.add(
        date_add(
                lit(java.sql.Date.valueOf("2026-11-01")),
                floor(col("id").multiply(partitions).divide(rows)).cast("int"))
            .as("ds"));
    for (int i = 0; i < numeric; i++) {
      Column value = i % 3 == 0 ? exp(randn(i)) : randn(i).multiply(10 + i).plus(i);
      columns.add(
          i % 4 == 1
              ? when(rand(1000 + i).lt(0.05), lit(null)).otherwise(value).as("f" + i)
              : value.as("f" + i));
    }
    for (int i = 0; i < categorical; i++) {
      int cardinality = i % 2 == 0 ? 20 : 1000;
      columns.add(
          concat(lit("v"), floor(rand(2000 + i).multiply(cardinality)).cast("string")).as("c" + i));
    }
    columns.add(concat(lit("s"), floor(rand(3000).multiply(SOURCES)).cast("string")).as("source"));
    Column score =
        col("f0")
            .plus(randn(3001))
            .plus(
                categorical > 0
                    ? when(col("c0").equalTo("v1"), lit(2.0)).otherwise(lit(0.0))
                    : lit(0.0));
    return spark
        .range(rows)
        .select(columns.toArray(Column[]::new))
        .withColumn("label", when(score.gt(1.5), lit("pos")).otherwise(lit("neg")));
  }

  private void bareScan(String table, boolean labels) {
    Dataset<Row> data = spark.read().format("delta").load(table);
    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < numeric; i++) {
      aggregates.add(sum(col("f" + i)));
    }
    for (int i = 0; i < categorical; i++) {
      aggregates.add(sum(length(col("c" + i))));
    }
    if (labels) {
      aggregates.add(sum(length(col("label"))));
      aggregates.add(sum(length(col("source"))));
    }
    data.groupBy("ds").agg(count(lit(1)), aggregates.toArray(Column[]::new)).collectAsList();
  }
}
