package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Awkward labels get their documented behaviour, never a crash. */
@ExtendWith(SparkExtension.class)
class LabelBadInputTest {
  private static final String DATASET =
      "  - name: census\n    table: census\n    partition_column: batch\n"
          + "    id_columns: [row_id]\n    label_column: income\n    segment_columns: [source]\n"
          + "    features:\n      numeric: [age, hours_per_week]\n      categorical: [education, sex]\n";

  private static Row global(SparkSession spark, Path dir, int batch) {
    return LabelIntegrityTest.table(spark, dir, "label_drift")
        .where(col("partition").equalTo(String.valueOf(batch)).and(col("segment_column").isNull()))
        .head();
  }

  @Test
  void nullNewAndSingleClassLabelsAndTinySegmentsAreJudgedAsDocumented(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Column every10th = col("row_id").mod(10).equalTo(0);
    Dataset<Row> rows =
        Lakes.adultBatches(spark, 7, 1200)
            .withColumn(
                "source",
                when(col("row_id").mod(400).equalTo(0), lit("tiny")).otherwise(col("source")))
            .withColumn(
                "income",
                when(col("batch").equalTo(4).and(every10th), lit(null).cast(DataTypes.StringType))
                    .when(col("batch").equalTo(5).and(every10th), lit(">50K."))
                    .when(col("batch").equalTo(6), lit("<=50K"))
                    .when(col("batch").equalTo(7), lit(null).cast(DataTypes.StringType))
                    .otherwise(col("income")));
    long nullsInBatch4 = rows.where(col("batch").equalTo(4).and(col("income").isNull())).count();
    Lakes.write(rows, dir.resolve("census"));
    Path config = Lakes.config(dir, DATASET);
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());

    Row nulls = global(spark, dir, 4);
    assertEquals(nullsInBatch4, (long) nulls.getAs("null_labels"));
    assertEquals("WARN", nulls.getAs("status"), nulls.toString());
    assertTrue(
        ((String) nulls.getAs("reason")).contains("null_label_share_change"), nulls.toString());

    Row unseen = global(spark, dir, 5);
    assertEquals("FAIL", unseen.getAs("status"), unseen.toString());
    assertTrue(
        ((String) unseen.getAs("reason")).contains("classes not in the baseline: [>50K.]"),
        unseen.toString());

    Row single = global(spark, dir, 6);
    assertEquals("FAIL", single.getAs("status"), single.toString());
    assertTrue(((String) single.getAs("reason")).contains("share of label"), single.toString());

    Row allNull = global(spark, dir, 7);
    assertEquals("FAIL", allNull.getAs("status"), allNull.toString());
    assertTrue(
        ((String) allNull.getAs("reason")).contains("have a null income"), allNull.toString());

    List<Row> tiny =
        LabelIntegrityTest.table(spark, dir, "label_drift")
            .where(col("segment_value").equalTo("tiny"))
            .collectAsList();
    assertTrue(tiny.size() >= 5, tiny.toString());
    for (Row segment : tiny) {
      assertEquals("OK", segment.getAs("status"));
      String note = segment.getAs("note");
      assertTrue(note.startsWith("not judged") || note.startsWith("bootstrap"), note);
    }
    for (int clean = 1; clean <= 3; clean++) {
      assertEquals("OK", global(spark, dir, clean).getAs("status"));
    }
  }

  @Test
  void aDatasetWithOneClassEverywhereIsNotFlagged(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Lakes.write(
        Lakes.adultBatches(spark, 3, 600).withColumn("income", lit("<=50K")),
        dir.resolve("census"));
    Lakes.Cli run = Lakes.assay("nightly", "-c", Lakes.config(dir, DATASET).toString());
    assertEquals(0, run.exitCode(), run.err());
    List<Row> flagged =
        LabelIntegrityTest.table(spark, dir, "label_drift")
            .where(col("status").notEqual("OK"))
            .collectAsList();
    assertTrue(flagged.isEmpty(), flagged.toString());
    assertTrue(
        LabelIntegrityTest.table(spark, dir, "class_conditional_drift")
            .where(col("status").notEqual("OK"))
            .isEmpty());
  }

  @Test
  void aMissingAnnotationsTableIsABadConfigAndWritesNoLabelResults(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(Lakes.adultBatches(spark, 2, 300), dir.resolve("census"));
    Path config =
        Lakes.config(
            dir,
            DATASET
                + "    labels:\n      annotations:\n        table: no_such_table\n"
                + "        item_column: row_id\n        annotator_column: annotator\n        label_column: label\n");
    Lakes.Cli run = Lakes.assay("label-drift", "-c", config.toString(), "-d", "census");
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("datasets[0].labels.annotations.table"), run.err());
    assertTrue(run.err().contains("no Delta table of annotations"), run.err());
    Path labelDrift = dir.resolve("integrity/label_drift");
    assertTrue(
        !Files.exists(labelDrift) || LabelIntegrityTest.table(spark, dir, "label_drift").isEmpty());
  }

  @Test
  void labelSettingsAreValidated(@TempDir Path dir) throws Exception {
    String noLabel =
        DATASET.replace("    label_column: income\n    segment_columns: [source]\n", "")
            + "    labels:\n      triggers:\n        purity: 0.9\n";
    Lakes.Cli run =
        Lakes.assay("label-drift", "-c", Lakes.config(dir, noLabel).toString(), "-d", "census");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("datasets[0].labels") && run.err().contains("label_column"), run.err());

    String lowPurity = DATASET + "    labels:\n      triggers:\n        purity: 0.3\n";
    run = Lakes.assay("label-drift", "-c", Lakes.config(dir, lowPurity).toString(), "-d", "census");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("datasets[0].labels.triggers.purity"), run.err());

    String badKappa = DATASET + "    thresholds:\n      kappa_fail: 0.9\n      kappa_warn: 0.8\n";
    run = Lakes.assay("label-drift", "-c", Lakes.config(dir, badKappa).toString(), "-d", "census");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("kappa_fail"), run.err());
  }
}
