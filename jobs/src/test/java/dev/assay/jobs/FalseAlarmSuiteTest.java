package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.SuiteLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The false-alarm suite: clean public tables with real partition-to-partition variation (weather,
 * sampling, growing history), loaded in two batches with a nightly run after each. No partition may
 * FAIL and at most 10% may WARN. Lakes stay in target/false-alarm-suite/TABLE for `assay sql`
 * afterwards.
 */
@ExtendWith(SparkExtension.class)
class FalseAlarmSuiteTest {
  private static final double MAX_WARN_SHARE = 0.10;

  /** Partition values in order: dates as text, batch numbers numerically. */
  private static final Comparator<String> ORDER =
      Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

  @ParameterizedTest
  @ValueSource(strings = {"flights", "adult", "adult_census", "randhie"})
  void cleanPartitionsGetNoFailAndFewWarnsOverTwoIncrementalNightlyRuns(
      String table, SparkSession spark) throws Exception {
    long start = System.nanoTime();
    Path dir = Path.of("target/false-alarm-suite").toAbsolutePath();
    delete(dir.resolve(table));
    Path testdata = Path.of(System.getProperty("assay.project.dir", ".."), "testdata");
    for (int load = 1; load <= 2; load++) {
      Path config = SuiteLakes.build(spark, testdata, dir, table, load);
      Lakes.Cli nightly = Lakes.assay("nightly", "-c", config.toString());
      assertEquals(0, nightly.exitCode(), "nightly after load " + load + ":\n" + nightly.err());
    }

    Path home = dir.resolve(table);
    List<String> partitions =
        spark
            .read()
            .format("delta")
            .load(home.resolve("lake").toString())
            .select(col(SuiteLakes.partitionColumn(table)).cast("string"))
            .distinct()
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .sorted(ORDER)
            .toList();
    Map<String, Row> verdicts = new TreeMap<>(ORDER);
    for (Row row :
        spark
            .read()
            .format("delta")
            .load(home.resolve("_integrity/verdicts").toString())
            .where(col("dataset").equalTo(table))
            .collectAsList()) {
      verdicts.put(row.getAs("partition"), row);
    }
    Map<String, Long> counts =
        verdicts.values().stream()
            .collect(
                Collectors.groupingBy(
                    row -> row.<String>getAs("verdict"), TreeMap::new, Collectors.counting()));
    long fails = counts.getOrDefault("FAIL", 0L);
    long warns = counts.getOrDefault("WARN", 0L);
    System.out.printf(
        "false-alarm suite: %s: %d partitions, PASS %d, WARN %d, FAIL %d, %.0f s%n",
        table,
        partitions.size(),
        counts.getOrDefault("PASS", 0L),
        warns,
        fails,
        (System.nanoTime() - start) / 1e9);

    String alarms =
        alarms(verdicts) + "(inspect: bin/assay sql -c " + home.resolve("assay.yaml") + " \"...\")";
    assertEquals(partitions, new ArrayList<>(verdicts.keySet()), "every partition has a verdict");
    assertEquals(0, fails, table + ": FAIL on clean partitions\n" + alarms);
    assertTrue(
        warns <= MAX_WARN_SHARE * partitions.size(),
        table + ": " + warns + " WARN of " + partitions.size() + " clean partitions\n" + alarms);
  }

  /** Each FAIL or WARN partition with its reasons, one per line. */
  private static String alarms(Map<String, Row> verdicts) {
    StringBuilder out = new StringBuilder();
    for (Row row : verdicts.values()) {
      if (!"PASS".equals(row.getAs("verdict"))) {
        out.append(row.<String>getAs("verdict"))
            .append(' ')
            .append(row.<String>getAs("partition"))
            .append('\n');
        for (Object reason : row.getList(row.fieldIndex("reasons"))) {
          out.append("    ").append(reason).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static void delete(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
