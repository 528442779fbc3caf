package dev.assay.common.scan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.ConfigLoader;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.testing.AdultSample;
import dev.assay.common.testing.SparkExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile and label passes read column batches instead of rows when the plan is a plain file
 * scan; if a Spark or Delta upgrade changes the plan, they fall back to rows (same results, several
 * times slower). This test fails when that happens on a plain Parquet-backed Delta table, reading
 * it the way the passes do (DatasetTable.read of the pending partitions).
 */
@ExtendWith(SparkExtension.class)
class ColumnarScanPathTest {
  private static final List<String> NUMBERS = List.of("age", "hours", "fnlwgt");
  private static final List<String> TEXTS = List.of("education");

  @TempDir static Path dir;
  private static DatasetTable table;

  @BeforeAll
  static void writeTable(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("day", DataTypes.StringType)
            .add("age", DataTypes.IntegerType)
            .add("hours", DataTypes.DoubleType)
            .add("fnlwgt", DataTypes.LongType)
            .add("education", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    List<String[]> adult = AdultSample.rows(300);
    for (int i = 0; i < adult.size(); i++) {
      String[] r = adult.get(i);
      rows.add(
          RowFactory.create(
              i < 150 ? "2024-01-01" : "2024-01-02",
              Integer.parseInt(r[AdultSample.AGE]),
              Double.parseDouble(r[AdultSample.HOURS]),
              Long.parseLong(r[AdultSample.FNLWGT]),
              r[AdultSample.EDUCATION]));
    }
    Path path = dir.resolve("adult");
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .partitionBy("day")
        .save(path.toString());
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .save(dir.resolve("flat").toString());
    DatasetConfig config =
        ConfigLoader.parse(
                """
        integrity:
          path: integrity
        datasets:
          - name: adult
            table: %s
            partition_column: day
            features:
              numeric: [age, hours, fnlwgt]
              categorical: [education]
        """
                    .formatted(path),
                dir.resolve("assay.yaml"),
                dir,
                "sha")
            .dataset("adult");
    table = DatasetTable.open(spark, config);
  }

  @Test
  void aPlainDeltaTableIsReadAsColumnBatches() {
    for (List<String> pending :
        List.of(List.of("2024-01-01", "2024-01-02"), List.of("2024-01-02"))) {
      Optional<String> fallback =
          ColumnarScan.fallbackReason(table.read(pending), "day", NUMBERS, TEXTS);
      assertTrue(fallback.isEmpty(), () -> "columnar fast path not taken: " + fallback.get());
    }
  }

  @Test
  void aFilterOnADataColumnFallsBackNamingTheNode() {
    Dataset<Row> filtered = table.read(List.of("2024-01-01")).where("age > 30");
    Optional<String> fallback = ColumnarScan.fallbackReason(filtered, "day", NUMBERS, TEXTS);
    assertTrue(fallback.isPresent());
    assertTrue(fallback.get().contains("Filter"), fallback.get());
  }

  @Test
  void aTableNotPartitionedByThePartitionColumnFallsBackSayingSo(SparkSession spark) {
    Dataset<Row> flat =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("flat").toString())
            .where(functions.col("day").isin("2024-01-01"));
    Optional<String> fallback = ColumnarScan.fallbackReason(flat, "day", NUMBERS, TEXTS);
    assertTrue(fallback.isPresent());
    assertTrue(fallback.get().contains("not partitioned by day"), fallback.get());
  }

  @Test
  void aComputedColumnFallsBack() {
    Dataset<Row> computed =
        table.read(List.of("2024-01-01")).withColumn("age", functions.col("age").plus(1));
    assertTrue(ColumnarScan.fallbackReason(computed, "day", NUMBERS, TEXTS).isPresent());
  }
}
