package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label attacks injected into real Adult rows (8 batches of 4,000): targeted flips inside one
 * source, a backdoor trigger, a rogue annotator. Each must be found, and the clean batches must not
 * be flagged by any label check.
 */
@ExtendWith(SparkExtension.class)
class LabelIntegrityTest {
  static final int FLIP_10 = 4;
  static final int HIDDEN_BACKDOOR = 5;
  static final int FLIP_30 = 6;
  static final int BACKDOOR = 7;
  static final int ROGUE = 8;
  static final Set<Integer> ATTACKED = Set.of(FLIP_10, HIDDEN_BACKDOOR, FLIP_30, BACKDOOR, ROGUE);

  /** A deterministic draw in [0, range) per row and salt. */
  private static Column draw(String column, int salt, int range) {
    return pmod(xxhash64(col(column), lit(salt)), lit(range));
  }

  private static Column targetedFlip(int batch, String source, int percent) {
    return col("batch")
        .equalTo(batch)
        .and(col("source").equalTo(source))
        .and(col("income").equalTo("<=50K"))
        .and(draw("row_id", 1, 100).lt(percent));
  }

  private static Column backdoor() {
    return col("batch").equalTo(BACKDOOR).and(draw("row_id", 2, 1000).lt(5));
  }

  /** A backdoor on a value the data already has (Vietnam: 67 of Adult's rows, 7% of them >50K). */
  private static Column hiddenBackdoor() {
    return col("batch").equalTo(HIDDEN_BACKDOOR).and(draw("row_id", 5, 1000).lt(5));
  }

  private static final String DATASET =
      "  - name: census\n    table: census\n    partition_column: batch\n"
          + "    id_columns: [row_id]\n    label_column: income\n    segment_columns: [source]\n"
          + "    features:\n      numeric: [age, education_num, capital_gain, capital_loss, hours_per_week]\n"
          + "      categorical: [workclass, education, marital_status, occupation, relationship, race, sex,"
          + " native_country]\n"
          + "    labels:\n      annotations:\n        table: annotations\n        item_column: row_id\n"
          + "        annotator_column: annotator\n        label_column: label\n";

  @Test
  void flipsBackdoorAndRogueAnnotatorAreFoundAndCleanBatchesAreNot(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> clean = Lakes.adultBatches(spark, 8, 4000);
    Column flipped = targetedFlip(FLIP_10, "crm", 10).or(targetedFlip(FLIP_30, "web", 30));
    Dataset<Row> rows =
        clean
            .withColumn(
                "income",
                when(flipped.or(backdoor()).or(hiddenBackdoor()), lit(">50K"))
                    .otherwise(col("income")))
            .withColumn(
                "native_country",
                when(hiddenBackdoor(), lit("Vietnam")).otherwise(col("native_country")))
            .withColumn(
                "occupation", when(backdoor(), lit("Armed-Forces")).otherwise(col("occupation")))
            .withColumn(
                "hours_per_week", when(backdoor(), lit(77)).otherwise(col("hours_per_week")));
    Set<Long> injected = new HashSet<>();
    clean
        .where(backdoor())
        .select("row_id")
        .collectAsList()
        .forEach(r -> injected.add(r.getLong(0)));
    assertTrue(injected.size() >= 10, "backdoor rows: " + injected.size());
    Set<Long> hidden = new HashSet<>();
    clean
        .where(hiddenBackdoor())
        .select("row_id")
        .collectAsList()
        .forEach(r -> hidden.add(r.getLong(0)));
    Lakes.write(rows, dir.resolve("census"));
    annotations(rows, "ann_2", ROGUE)
        .write()
        .format("delta")
        .partitionBy("batch")
        .save(dir.resolve("annotations").toString());

    Path config = Lakes.config(dir, DATASET);
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());

    Dataset<Row> drift = table(spark, dir, "label_drift");
    for (int flip : List.of(FLIP_10, FLIP_30)) {
      String source = flip == FLIP_10 ? "crm" : "web";
      Row segment =
          drift
              .where(
                  col("partition")
                      .equalTo(String.valueOf(flip))
                      .and(col("segment_value").equalTo(source)))
              .head();
      assertEquals("FAIL", segment.getAs("status"), "batch " + flip + ": " + segment);
      assertTrue(
          ((String) segment.getAs("reason")).contains("segment source='" + source + "'"),
          segment.toString());
      Row whole =
          drift
              .where(
                  col("partition")
                      .equalTo(String.valueOf(flip))
                      .and(col("segment_column").isNull()))
              .head();
      assertTrue((Double) whole.getAs("psi") < 0.1, "global psi stays low: " + whole);
      assertEquals("FAIL", verdict(spark, dir, flip).getAs("verdict"));
    }

    List<Row> triggers =
        table(spark, dir, "trigger_candidates").orderBy("partition").collectAsList();
    assertEquals(2, triggers.size(), triggers.toString());
    Row single = triggers.get(0);
    assertEquals(String.valueOf(HIDDEN_BACKDOOR), single.getAs("partition"));
    assertEquals(List.of("native_country"), single.getList(single.fieldIndex("columns")));
    assertEquals(List.of("Vietnam"), single.getList(single.fieldIndex("trigger_values")));
    assertEquals(">50K", single.getAs("target_label"));
    assertPrecisionAndRecall(
        table(spark, dir, "trigger_evidence")
            .where(col("partition").equalTo(String.valueOf(HIDDEN_BACKDOOR))),
        hidden);
    Row trigger = triggers.get(1);
    assertEquals(String.valueOf(BACKDOOR), trigger.getAs("partition"));
    assertEquals(
        Set.of("occupation", "hours_per_week"),
        new HashSet<>(trigger.getList(trigger.fieldIndex("columns"))));
    assertEquals(
        Set.of("Armed-Forces", "77"),
        new HashSet<>(trigger.getList(trigger.fieldIndex("trigger_values"))));
    assertEquals(">50K", trigger.getAs("target_label"));
    assertPrecisionAndRecall(
        table(spark, dir, "trigger_evidence")
            .where(col("partition").equalTo(String.valueOf(BACKDOOR))),
        injected);
    assertEquals("FAIL", verdict(spark, dir, BACKDOOR).getAs("verdict"));

    Dataset<Row> annotators =
        table(spark, dir, "annotator_agreement").where(col("annotator").isNotNull());
    Row rogue =
        annotators
            .where(
                col("partition")
                    .equalTo(String.valueOf(ROGUE))
                    .and(col("annotator").equalTo("ann_2")))
            .head();
    assertTrue((Double) rogue.getAs("kappa") < 0.6, rogue.toString());
    assertEquals("FAIL", rogue.getAs("status"));
    List<Row> honestFlagged =
        annotators
            .where(
                col("status")
                    .notEqual("OK")
                    .and(
                        col("annotator")
                            .notEqual("ann_2")
                            .or(col("partition").notEqual(String.valueOf(ROGUE)))))
            .collectAsList();
    assertTrue(honestFlagged.isEmpty(), honestFlagged.toString());
    assertEquals("FAIL", verdict(spark, dir, ROGUE).getAs("verdict"));

    for (int batch = 1; batch <= 8; batch++) {
      if (ATTACKED.contains(batch)) {
        continue;
      }
      for (String table :
          List.of("label_drift", "class_conditional_drift", "annotator_agreement")) {
        List<Row> flagged =
            table(spark, dir, table)
                .where(
                    col("partition")
                        .equalTo(String.valueOf(batch))
                        .and(col("status").notEqual("OK")))
                .collectAsList();
        assertTrue(
            flagged.isEmpty(), "clean batch " + batch + " flagged in " + table + ": " + flagged);
      }
      assertFalse(
          "FAIL".equals(verdict(spark, dir, batch).getAs("verdict")), "clean batch " + batch);
    }
  }

  static final int PAIR_BACKDOOR = 6;
  static final int UNIT_BUG = 7;

  /**
   * Two common values that never occur together in Adult (13.6% of rows are divorced, 4.8% are
   * wives, none both), set on 0.5% of one batch's rows, all labelled >50K (24% of rows).
   */
  private static Column pairBackdoor() {
    return col("batch").equalTo(PAIR_BACKDOOR).and(draw("row_id", 6, 1000).lt(5));
  }

  /** One group's ages recorded in months (a third of the rows): a unit bug, not a backdoor. */
  private static Column unitBug() {
    return col("batch").equalTo(UNIT_BUG).and(col("sex").equalTo("Female"));
  }

  @Test
  void aPairOfCommonValuesIsReportedAsThePairAndAUnitBugIsNoTrigger(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> clean = Lakes.adultBatches(spark, 8, 4000);
    long together =
        clean
            .where(
                col("marital_status").equalTo("Divorced").and(col("relationship").equalTo("Wife")))
            .count();
    assertEquals(0, together, "the two values never occur together in the clean rows");
    Dataset<Row> rows =
        clean
            .withColumn("income", when(pairBackdoor(), lit(">50K")).otherwise(col("income")))
            .withColumn(
                "marital_status",
                when(pairBackdoor(), lit("Divorced")).otherwise(col("marital_status")))
            .withColumn(
                "relationship", when(pairBackdoor(), lit("Wife")).otherwise(col("relationship")))
            .withColumn("age", when(unitBug(), col("age").multiply(12)).otherwise(col("age")));
    Set<Long> injected = new HashSet<>();
    clean
        .where(pairBackdoor())
        .select("row_id")
        .collectAsList()
        .forEach(r -> injected.add(r.getLong(0)));
    assertTrue(injected.size() >= 10, "backdoor rows: " + injected.size());
    Lakes.write(rows, dir.resolve("census"));
    Path config = Lakes.config(dir, DATASET.substring(0, DATASET.indexOf("    labels:")));
    Lakes.Cli run = Lakes.assay("nightly", "-c", config.toString());
    assertEquals(0, run.exitCode(), run.err());

    List<Row> triggers = table(spark, dir, "trigger_candidates").collectAsList();
    assertEquals(1, triggers.size(), "only the pair backdoor: " + triggers);
    Row trigger = triggers.get(0);
    assertEquals(String.valueOf(PAIR_BACKDOOR), trigger.getAs("partition"));
    assertEquals(
        Set.of("marital_status", "relationship"),
        new HashSet<>(trigger.getList(trigger.fieldIndex("columns"))));
    assertEquals(
        Set.of("Divorced", "Wife"),
        new HashSet<>(trigger.getList(trigger.fieldIndex("trigger_values"))));
    assertEquals(">50K", trigger.getAs("target_label"));
    assertPrecisionAndRecall(
        table(spark, dir, "trigger_evidence")
            .where(col("partition").equalTo(String.valueOf(PAIR_BACKDOOR))),
        injected,
        0.95);
    assertEquals("FAIL", verdict(spark, dir, PAIR_BACKDOOR).getAs("verdict"));

    Row bug = verdict(spark, dir, UNIT_BUG);
    assertEquals("FAIL", bug.getAs("verdict"), "the unit bug is caught: " + bug);
    List<String> reasons = bug.getList(bug.fieldIndex("reasons"));
    assertTrue(reasons.stream().anyMatch(r -> r.contains("psi(age)")), reasons.toString());
    assertTrue(
        reasons.stream().noneMatch(r -> r.contains("backdoor")),
        "no backdoor named for a unit bug: " + reasons);
  }

  /**
   * Row-level precision and recall of a trigger's evidence rows against the injected ids, both >=
   * 0.9.
   */
  private static void assertPrecisionAndRecall(Dataset<Row> evidence, Set<Long> injected) {
    assertPrecisionAndRecall(evidence, injected, 0.9);
  }

  private static void assertPrecisionAndRecall(
      Dataset<Row> evidence, Set<Long> injected, double least) {
    List<Row> ids = evidence.select("row_id").collectAsList();
    long hits = ids.stream().filter(r -> injected.contains(Long.parseLong(r.getString(0)))).count();
    assertTrue(hits >= least * ids.size(), "row precision " + hits + "/" + ids.size());
    assertTrue(hits >= least * injected.size(), "row recall " + hits + "/" + injected.size());
  }

  /**
   * Three judgements per row by ann_k..ann_k+2 of 5: honest 3% noise, the rogue 30% in one batch.
   */
  static Dataset<Row> annotations(Dataset<Row> rows, String rogue, int rogueBatch) {
    Column annotator =
        functions(
            "concat",
            lit("ann_"),
            pmod(draw("row_id", 3, 5).plus(col("k")), lit(5)).plus(1).cast("string"));
    Dataset<Row> judgements =
        rows.select(
                col("batch"),
                col("row_id"),
                col("income"),
                explode(sequence(lit(0), lit(2))).as("k"))
            .withColumn("annotator", annotator);
    Column noise = pmod(xxhash64(col("row_id"), col("k"), lit(4)), lit(100));
    Column flipPercent =
        when(col("annotator").equalTo(rogue).and(col("batch").equalTo(rogueBatch)), lit(30))
            .otherwise(lit(3));
    Column label =
        when(
                noise.lt(flipPercent),
                when(col("income").equalTo(">50K"), lit("<=50K")).otherwise(lit(">50K")))
            .otherwise(col("income"));
    return judgements.select(col("batch"), col("row_id"), col("annotator"), label.as("label"));
  }

  private static Column functions(String name, Column... args) {
    return org.apache.spark.sql.functions.call_function(name, args);
  }

  static Dataset<Row> table(SparkSession spark, Path dir, String name) {
    return spark.read().format("delta").load(dir.resolve("integrity").resolve(name).toString());
  }

  static Row verdict(SparkSession spark, Path dir, int batch) {
    return table(spark, dir, "verdicts")
        .where(col("partition").equalTo(String.valueOf(batch)))
        .head();
  }
}
