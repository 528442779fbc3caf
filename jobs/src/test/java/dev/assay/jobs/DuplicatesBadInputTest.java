package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Bad config and awkward data for the duplicates job: clear errors that write nothing, or
 * documented handling.
 */
@ExtendWith(SparkExtension.class)
class DuplicatesBadInputTest {

  @Test
  void badSettingsAndUnhashableColumnsExitTwoAndWriteNothing(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 2, 300)
            .withColumn("tags", org.apache.spark.sql.functions.map(col("sex"), col("race")));
    Lakes.write(rows, dir.resolve("census"));
    String base = Lakes.batchesDataset("[age, fnlwgt]", "[sex, race]");
    Map<String, String> cases =
        Map.of(
            "",
            "fingerprint.exclude: [tags]",
            "    fingerprint:\n      exclude: [tags]\n    duplicates:\n      near:\n        columns: [nope]\n",
            "datasets[0].duplicates.near.columns[0]",
            "    fingerprint:\n      exclude: [tags]\n    duplicates:\n      near:\n        threshold: 1.5\n",
            "datasets[0].duplicates.near.threshold",
            "    fingerprint:\n      exclude: [tags]\n    duplicates:\n      quarantine:\n        table: q\n"
                + "        kinds: [REPLAYS]\n",
            "unknown kind 'REPLAYS'; expected one of",
            "    fingerprint:\n      exclude: [tags]\n    duplicates:\n      max_groups: 0\n",
            "datasets[0].duplicates.max_groups");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path config = Lakes.config(dir, base + c.getKey());
      Lakes.Cli cli = Lakes.assay("duplicates", "-c", config.toString());
      assertEquals(2, cli.exitCode(), c.getKey() + cli.out() + cli.err());
      assertTrue(
          cli.err().contains(c.getValue()), "expected '" + c.getValue() + "' in: " + cli.err());
      assertFalse(
          Files.exists(dir.resolve("integrity/duplicate_summary")),
          "nothing written: " + c.getKey());
    }
    Path noIds =
        Lakes.config(
            dir,
            base.replace("    id_columns: [row_id]\n", "")
                + "    fingerprint:\n      exclude: [tags, row_id]\n    duplicates:\n      quarantine:\n        table: q\n");
    Lakes.Cli cli = Lakes.assay("duplicates", "-c", noIds.toString());
    assertEquals(2, cli.exitCode());
    assertTrue(
        cli.err().contains("datasets[0].duplicates.quarantine") && cli.err().contains("id_columns"),
        cli.err());
    Path good = Lakes.config(dir, base + "    fingerprint:\n      exclude: [tags]\n");
    Lakes.Cli flags =
        Lakes.assay(
            "duplicates", "-c", good.toString(), "-d", "census", "-p", "1", "--rebuild-index");
    assertEquals(2, flags.exitCode());
    assertTrue(flags.err().contains("--rebuild-index processes every partition"), flags.err());
  }

  @Test
  void hostilePartitionValuesNullsAndNanAreHandled(SparkSession spark, @TempDir Path dir)
      throws Exception {
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("day", DataTypes.StringType)
            .add("x", DataTypes.DoubleType)
            .add("name", DataTypes.StringType)
            .add("y", DataTypes.StringType);
    String[] days = {"a'b", "c\\d", "e\"f;DROP"};
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < days.length; d++) {
      for (int i = 0; i < 200; i++) {
        int content = d * 1000 + i;
        rows.add(
            RowFactory.create(
                d + "-" + i, days[d], (double) content, "n" + content, i % 2 == 0 ? "p" : "q"));
      }
    }
    // day 2 repeats two rows of day 1 (one relabelled) and holds two identical rows with NaN and
    // null
    rows.add(RowFactory.create("r1", days[1], 5.0, "n5", "q"));
    rows.add(RowFactory.create("r2", days[1], 6.0, "n6", "q"));
    rows.add(RowFactory.create("nan1", days[1], Double.NaN, null, "p"));
    rows.add(RowFactory.create("nan2", days[1], Double.NaN, null, "p"));
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .partitionBy("day")
        .save(dir.resolve("t").toString());
    Path config =
        Lakes.config(
            dir,
            "  - name: t\n    table: t\n    partition_column: day\n    id_columns: [id]\n"
                + "    label_column: y\n    features:\n      numeric: [x]\n      categorical: [name]\n");
    Lakes.Cli cli = Lakes.assay("duplicates", "-c", config.toString(), "--all");
    assertEquals(0, cli.exitCode(), cli.err());
    Lakes.Cli again = Lakes.assay("duplicates", "-c", config.toString(), "-d", "t", "-p", days[1]);
    assertEquals(0, again.exitCode(), again.err());
    Dataset<Row> evidence =
        spark.read().format("delta").load(dir.resolve("integrity/duplicates").toString());
    assertEquals(List.of("r1"), ids(evidence, days[1], "REPLAY"), "i=5 is 'q' on day 1 too");
    assertEquals(List.of("r2"), ids(evidence, days[1], "LABEL_CONFLICT"), "i=6 is 'p' on day 1");
    assertEquals(List.of("nan1", "nan2"), ids(evidence, days[1], "DUPLICATE"));
    assertEquals(
        days[0],
        evidence.where(col("kind").equalTo("REPLAY")).first().getAs("first_seen_partition"));
    long indexRows =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/duplicate_index").toString())
            .count();
    assertEquals(
        200 + 203 + 200,
        indexRows,
        "one row per distinct content and partition, re-run not doubled");
  }

  private static List<String> ids(Dataset<Row> evidence, String partition, String kind) {
    List<String> ids = new ArrayList<>();
    evidence
        .where(col("partition").equalTo(partition).and(col("kind").equalTo(kind)))
        .collectAsList()
        .forEach(r -> r.getList(r.fieldIndex("sample_ids")).forEach(id -> ids.add((String) id)));
    ids.sort(String::compareTo);
    return ids;
  }

  @Test
  void theIncrementalRunReadsEachNewRowOnce(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> once = Lakes.adultBatches(spark, 6, 500);
    // every row twice, so the new rows outnumber every other read: the index's rows are distinct
    // contents
    Dataset<Row> all = once.unionByName(once.withColumn("row_id", col("row_id").plus(1_000_000)));
    Lakes.write(all.where(col("batch").leq(2)), dir.resolve("census"));
    Path config = Lakes.config(dir, Lakes.batchesDataset("[age, fnlwgt]", "[sex, education]"));
    assertEquals(0, Lakes.assay("duplicates", "-c", config.toString()).exitCode());
    Lakes.write(all.where(col("batch").gt(2)), dir.resolve("census"));
    long newRows = all.where(col("batch").gt(2)).count();
    OnePassAndRecoveryTest.Reads reads =
        OnePassAndRecoveryTest.ReadCounter.count(
            spark,
            newRows,
            () -> {
              Lakes.Cli cli = Lakes.assay("duplicates", "-c", config.toString());
              assertEquals(0, cli.exitCode(), cli.err());
              assertTrue(cli.out().contains("against 2 indexed partition(s)"), cli.out());
            });
    // the new rows are read by one Spark job; the others read the cached records or the (smaller)
    // index
    assertEquals(List.of(newRows), reads.big(), "records read by jobs: " + reads.byJob());
  }
}
