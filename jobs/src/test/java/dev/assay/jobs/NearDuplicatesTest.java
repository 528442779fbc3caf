package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.assay.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near-duplicates scored against real ground truth: Febrl's generated duplicates (rec-N-org and
 * rec-N-dup-k are one person) and, when the shared data is present, the DBLP-ACM perfect mapping.
 * Precision and recall are over pairs; each verified pair is reported once in a NEAR_DUPLICATE
 * group.
 */
@ExtendWith(SparkExtension.class)
class NearDuplicatesTest {
  static final Path SHARED = Path.of("..", "..", "shared", "data");

  record Score(long truth, long predicted, long hits) {
    double recall() {
      return truth == 0 ? 0 : (double) hits / truth;
    }

    double precision() {
      return predicted == 0 ? 0 : (double) hits / predicted;
    }

    String describe(String name) {
      return String.format(
          Locale.ROOT,
          "%s: %d true pairs, %d reported, recall %.3f, precision %.3f",
          name,
          truth,
          predicted,
          recall(),
          precision());
    }
  }

  static Dataset<Row> febrl(SparkSession spark, Path csv) {
    Dataset<Row> raw =
        spark
            .read()
            .option("header", "true")
            .option("ignoreLeadingWhiteSpace", "true")
            .option("ignoreTrailingWhiteSpace", "true")
            .csv(csv.toString());
    for (String name : raw.columns()) {
      raw = raw.withColumnRenamed(name, name.trim());
    }
    return raw.withColumn("batch", lit(1));
  }

  /** Runs duplicates with near-duplicate search on {@code rows} and scores the reported pairs. */
  static Score score(
      Path dir,
      Dataset<Row> rows,
      String idColumn,
      String near,
      Set<String> truth,
      java.util.function.Predicate<String> counted)
      throws Exception {
    rows.write().format("delta").partitionBy("batch").save(dir.resolve("records").toString());
    Path config =
        Lakes.config(
            dir,
            "  - name: records\n    table: records\n    partition_column: batch\n"
                + "    id_columns: ["
                + idColumn
                + "]\n    features:\n      categorical: auto\n"
                + "    duplicates:\n      sample_ids: 100\n      max_groups: 1000000\n      near: "
                + near
                + "\n");
    Lakes.Cli cli = Lakes.assay("duplicates", "-c", config.toString());
    assertEquals(0, cli.exitCode(), cli.err());
    Set<String> reported = new HashSet<>();
    SparkSession spark = rows.sparkSession();
    for (Row group :
        spark
            .read()
            .format("delta")
            .load(dir.resolve("integrity/duplicates").toString())
            .where(col("kind").equalTo("NEAR_DUPLICATE"))
            .collectAsList()) {
      List<String> ids = group.getList(group.fieldIndex("sample_ids"));
      for (int i = 1; i < ids.size(); i++) {
        String pair = pair(ids.get(0), ids.get(i));
        if (counted.test(pair)) {
          reported.add(pair);
        }
      }
    }
    Set<String> hits = new HashSet<>(reported);
    hits.retainAll(truth);
    return new Score(truth.size(), reported.size(), hits.size());
  }

  static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  /** Pairs of Febrl records that share their rec-N number. */
  static Set<String> febrlTruth(Dataset<Row> rows) {
    java.util.Map<String, List<String>> people = new java.util.HashMap<>();
    rows.select("rec_id")
        .collectAsList()
        .forEach(
            r ->
                people
                    .computeIfAbsent(r.getString(0).split("-")[1], k -> new java.util.ArrayList<>())
                    .add(r.getString(0)));
    Set<String> truth = new HashSet<>();
    for (List<String> ids : people.values()) {
      for (int i = 0; i < ids.size(); i++) {
        for (int j = i + 1; j < ids.size(); j++) {
          truth.add(pair(ids.get(i), ids.get(j)));
        }
      }
    }
    return truth;
  }

  @Test
  void febrlDuplicatesAreFoundAtTheDefaultThreshold(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = febrl(spark, Path.of("..", "testdata", "febrl", "dataset1.csv"));
    assertEquals(1000, rows.count());
    Score score = score(dir, rows, "rec_id", "{}", febrlTruth(rows), p -> true);
    System.out.println("NEAR-DUPLICATES " + score.describe("Febrl dataset1 (testdata)"));
    assertEquals(500, score.truth());
    assertTrue(
        score.recall() >= 0.9 && score.precision() >= 0.95, score.describe("Febrl dataset1"));
    Dataset<Row> summary =
        spark.read().format("delta").load(dir.resolve("integrity/duplicate_summary").toString());
    assertEquals(
        score.hits() * 2,
        (long) summary.first().getAs("near_duplicate_rows"),
        "each true pair is two rows with a near duplicate");
  }

  @Test
  void sharedFebrlSetsAndDblpAcm(SparkSession spark, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isDirectory(SHARED.resolve("febrl")), "../shared/data is not present");
    for (String set : List.of("dataset2.csv", "dataset3.csv")) {
      Dataset<Row> rows = febrl(spark, SHARED.resolve("febrl").resolve(set));
      Score score = score(dir.resolve(set), rows, "rec_id", "{}", febrlTruth(rows), p -> true);
      System.out.println("NEAR-DUPLICATES " + score.describe("Febrl " + set));
      assertTrue(score.recall() >= 0.8 && score.precision() >= 0.9, score.describe(set));
    }
    Column[] columns = {col("id"), col("title"), col("authors"), col("year")};
    Dataset<Row> dblp =
        spark
            .read()
            .option("header", "true")
            .csv(SHARED.resolve("dblp-acm/DBLP2.csv").toString())
            .select(columns)
            .withColumn("id", concat(lit("dblp:"), col("id")));
    Dataset<Row> acm =
        spark
            .read()
            .option("header", "true")
            .csv(SHARED.resolve("dblp-acm/ACM.csv").toString())
            .select(columns)
            .withColumn("id", concat(lit("acm:"), col("id")));
    Set<String> truth = new HashSet<>();
    spark
        .read()
        .option("header", "true")
        .csv(SHARED.resolve("dblp-acm/DBLP-ACM_perfectMapping.csv").toString())
        .collectAsList()
        .forEach(r -> truth.add(pair("dblp:" + r.getString(0), "acm:" + r.getString(1))));
    Dataset<Row> both = dblp.unionByName(acm).withColumn("batch", lit(1));
    for (String threshold : List.of("0.5", "0.6", "0.7")) {
      Score score =
          score(
              dir.resolve("dblp-acm-" + threshold),
              both,
              "id",
              "{threshold: " + threshold + "}",
              truth,
              p -> p.contains("acm:") && p.contains("dblp:"));
      System.out.println(
          "NEAR-DUPLICATES "
              + score.describe("DBLP-ACM title+authors+year, threshold " + threshold));
      assertTrue(
          score.precision() >= 0.7 && score.recall() >= 0.5,
          score.describe("DBLP-ACM " + threshold));
    }
  }
}
