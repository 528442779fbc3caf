package dev.assay.jobs;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.SuiteLakes;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of one old partition, injected by the red team into real suite tables: on the
 * high-entropy table (every Adult row, 24 days) 5% of a day FAILs with its rows quarantined at
 * precision and recall of at least 0.95; on the growing-recurrence table (Adult cut to a few
 * small-range columns, where ever more rows repeat an earlier day's) 10% FAILs. No clean day of
 * either is flagged by the duplicates job.
 */
@ExtendWith(SparkExtension.class)
class ReplaySignatureTest {
  private static final Path TESTDATA =
      Path.of(System.getProperty("assay.project.dir", ".."), "testdata");

  /**
   * The red team's shadow of a suite table after its duplicates job, and the table's days in order.
   */
  private record Replayed(Path shadow, List<String> days) {}

  /**
   * Builds the suite table, replays {@code rate} of its 3rd day into its 20th, runs the duplicates
   * job.
   */
  private static Replayed replayed(SparkSession spark, Path dir, String table, double rate) {
    SuiteLakes.build(spark, TESTDATA, dir, table, 1);
    Path config = SuiteLakes.build(spark, TESTDATA, dir, table, 2);
    List<String> days =
        spark
            .read()
            .format("delta")
            .load(dir.resolve(table).resolve("lake").toString())
            .select(col("ds").cast("string"))
            .distinct()
            .orderBy("ds")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    Path shadow = dir.resolve("shadow");
    Lakes.Cli redteam =
        Lakes.assay(
            "redteam",
            "-c",
            config.toString(),
            "-d",
            table,
            "--out",
            shadow.toString(),
            "--attack",
            "replay:from=" + days.get(2) + ",rate=" + rate + ",partitions=" + days.get(19));
    assertEquals(0, redteam.exitCode(), redteam.err());
    Lakes.Cli run = Lakes.assay("duplicates", "-c", shadow.resolve("assay.yaml").toString());
    assertEquals(0, run.exitCode(), run.err());
    return new Replayed(shadow, days);
  }

  /**
   * Asserts the target day FAILs on the replay signature naming the source, and no other day is
   * flagged.
   */
  private static void assertOnlyTheReplayedDayFails(
      SparkSession spark, Path shadow, String table, List<String> days) {
    List<Row> summary =
        spark
            .read()
            .format("delta")
            .load(shadow.resolve("lake/_integrity/duplicate_summary").toString())
            .where(col("dataset").equalTo(table))
            .collectAsList();
    assertEquals(days.size(), summary.size());
    for (Row row : summary) {
      String partition = row.getAs("partition");
      String status = row.getAs("status");
      if (partition.equals(days.get(19))) {
        assertEquals("FAIL", status, String.valueOf(row.<String>getAs("reason")));
        String reason = row.getAs("reason");
        assertTrue(
            reason.contains("replay_source_excess(partition)")
                && reason.contains("found only in partition " + days.get(2)),
            reason);
        assertEquals(days.get(2), row.getAs("replay_source"));
      } else {
        assertEquals("OK", status, partition + ": " + row.getAs("reason"));
      }
    }
  }

  @Test
  void fivePercentOfAnOldDayReplayedUnderNewIdsFailsAndItsRowsAreQuarantined(
      SparkSession spark, @TempDir Path dir) {
    Replayed replayed = replayed(spark, dir, "adult", 0.05);
    Path shadow = replayed.shadow();
    List<String> days = replayed.days();
    assertOnlyTheReplayedDayFails(spark, shadow, "adult", days);

    Set<String> injected = new HashSet<>();
    spark
        .read()
        .format("delta")
        .load(shadow.resolve("lake/ground_truth").toString())
        .where(col("effect").equalTo("added"))
        .select("row_id")
        .collectAsList()
        .forEach(r -> injected.add(r.getString(0)));
    Set<String> quarantined = new HashSet<>();
    spark
        .read()
        .format("delta")
        .load(shadow.resolve("lake/quarantine/adult").toString())
        .where(
            col("ds")
                .cast("string")
                .equalTo(days.get(19))
                .and(array_contains(col("_assay_kinds"), "REPLAY")))
        .select(col("row_id").cast("string"))
        .collectAsList()
        .forEach(r -> quarantined.add(r.getString(0)));
    Set<String> found = new HashSet<>(quarantined);
    found.retainAll(injected);
    double precision = (double) found.size() / quarantined.size();
    double recall = (double) found.size() / injected.size();
    System.out.printf(
        "replay of 5%% on adult: %d injected, %d quarantined as REPLAY, precision %.3f, recall %.3f%n",
        injected.size(), quarantined.size(), precision, recall);
    assertTrue(injected.size() > 40, "the attack added " + injected.size() + " rows");
    assertTrue(precision >= 0.95, "precision " + precision);
    assertTrue(recall >= 0.95, "recall " + recall);
  }

  @Test
  void tenPercentReplayedOnATableWhoseRowsRecurMoreEveryDayFails(
      SparkSession spark, @TempDir Path dir) {
    Replayed replayed = replayed(spark, dir, "adult_census", 0.10);
    assertOnlyTheReplayedDayFails(spark, replayed.shadow(), "adult_census", replayed.days());
  }
}
