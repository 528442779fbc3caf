package dev.assay.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.DemoLake;
import dev.assay.jobs.explore.FeatureHistograms;
import dev.assay.jobs.explore.IntegrityLake;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read-only API notebooks and the report use, on the demo lake. */
@ExtendWith(SparkExtension.class)
class IntegrityLakeTest {
  @Test
  void statementsThatWouldChangeATableAreRefusedAndQueriesRun(SparkSession spark) throws Exception {
    Path config = Lakes.demo(spark);
    long before = IntegrityLake.open(spark, ConfigLoader.load(config)).read("verdicts").count();
    for (String statement :
        List.of(
            "DELETE FROM integrity.verdicts",
            "DROP TABLE integrity.verdicts",
            "WITH x AS (SELECT * FROM integrity.verdicts) INSERT INTO integrity.verdicts SELECT * FROM x",
            "CREATE TABLE integrity.x AS SELECT 1",
            "/* SELECT */ UPDATE integrity.verdicts SET verdict = 'PASS'")) {
      Lakes.Cli run = Lakes.assay("sql", "-c", config.toString(), statement);
      assertEquals(2, run.exitCode(), statement + ": " + run.err());
      assertTrue(run.err().contains("Only queries"), run.err());
    }
    Lakes.Cli query =
        Lakes.assay(
            "sql",
            "-c",
            config.toString(),
            "--format",
            "csv",
            "/* how many failed */\n(SELECT count(*) AS n FROM integrity.verdicts WHERE verdict = 'FAIL')");
    assertEquals(0, query.exitCode(), query.err());
    assertEquals(
        before, IntegrityLake.open(spark, ConfigLoader.load(config)).read("verdicts").count());
  }

  @Test
  void reopeningBesideTemporaryViewsNamedLikeIntegrityTablesWorks(SparkSession spark)
      throws Exception {
    Path config = Lakes.demo(spark);
    spark.sql("SELECT 1 AS x").createOrReplaceTempView("verdicts");
    try {
      IntegrityLake.open(spark, ConfigLoader.load(config));
      IntegrityLake lake = IntegrityLake.open(spark, ConfigLoader.load(config));
      assertEquals("integrity.verdicts", lake.table("verdicts"));
      assertTrue(
          lake.rows("SELECT * FROM integrity.verdicts WHERE dataset = 'adult'").size()
              == DemoLake.ALL_DAYS);
      AssayException tooMany =
          assertThrows(
              AssayException.class,
              () -> lake.rows("SELECT * FROM range(" + (IntegrityLake.MAX_ROWS + 1) + ")"));
      assertTrue(
          tooMany.getMessage().contains("more than " + IntegrityLake.MAX_ROWS),
          tooMany.getMessage());
    } finally {
      spark.catalog().dropTempView("verdicts");
    }
  }

  @Test
  void histogramsOfTheUnitBugDayShowAgeMovedOutOfTheBaselinesBins(SparkSession spark)
      throws Exception {
    IntegrityLake lake = IntegrityLake.open(spark, ConfigLoader.load(Lakes.demo(spark)), false);
    FeatureHistograms age =
        FeatureHistograms.read(lake, "adult", DemoLake.UNIT_BUG_DAY.toString(), "age");
    assertTrue(
        !age.baselinePartitions().isEmpty() && !age.baselinePartitions().contains(age.partition()));
    List<Double> now = age.currentShares();
    List<Double> before = age.baselineShares();
    int top =
        age.labels()
            .indexOf(
                age.labels().stream().filter(l -> l.startsWith(">= ")).findFirst().orElseThrow());
    // ages in months land in the overflow bin: almost all rows now, a tail of the baseline
    assertTrue(
        now.get(top) > 0.9 && before.get(top) < 0.3, age.labels() + " " + now + " " + before);
    assertEquals(1.0, now.stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    FeatureHistograms workclass =
        FeatureHistograms.read(lake, "adult", DemoLake.BACKDOOR_DAY.toString(), "workclass");
    assertEquals("categorical", workclass.kind());
    assertTrue(
        workclass.labels().contains(DemoLake.BACKDOOR_WORKCLASS), workclass.labels().toString());
    assertThrows(
        AssayException.class, () -> FeatureHistograms.read(lake, "adult", "2026-11-09", "no_such"));
  }
}
