package dev.assay.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.DemoLake;
import dev.assay.jobs.explore.IntegrityLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code assay sql} and the notebooks' {@code sql()} as a security boundary: a corpus of hostile
 * statements (writes hidden by comments and CTEs, host files, reflection, commands, unicode tricks)
 * is refused with a bad-input error and changes nothing, and every query the README and docs show
 * still runs.
 */
@ExtendWith(SparkExtension.class)
class ReadOnlySqlTest {
  private static final Path REPOSITORY = Path.of(System.getProperty("assay.project.dir", ".."));
  private static final String VERDICTS =
      "SELECT dataset, partition, verdict, reasons FROM integrity.verdicts"
          + " ORDER BY dataset, partition";

  @Test
  void hostileStatementsAreRefusedAndChangeNothing(SparkSession spark) throws Exception {
    Path config = Lakes.demo(spark);
    IntegrityLake lake = IntegrityLake.open(spark, ConfigLoader.load(config));
    String before = lake.rows(VERDICTS).toString();
    String unitBug = DemoLake.UNIT_BUG_DAY.toString();
    List<String> hostile =
        List.of(
            "/* /* */ SELECT */ UPDATE integrity.verdicts SET verdict = 'PASS', reasons = array() WHERE dataset = 'adult'"
                + " AND partition = '"
                + unitBug
                + "'",
            "FROM integrity.verdicts v INSERT INTO integrity.verdicts SELECT * WHERE v.partition = '2026-11-10'",
            "WITH x AS (SELECT * FROM integrity.verdicts) INSERT INTO integrity.verdicts SELECT * FROM x",
            "SELECT value, reflect('java.lang.System', 'getProperty', 'user.name') FROM text.`/etc/passwd`",
            "SELECT value FROM text.`/etc/passwd`",
            "SELECT * FROM TEXT.`/etc/passwd`",
            "SELECT * FROM `text`.`/etc/passwd`",
            "SELECT * FROM csv.`/etc/passwd`",
            "SELECT * FROM json.`/etc`",
            "SELECT * FROM parquet.`/tmp`",
            "SELECT * FROM orc.`/tmp`",
            "SELECT * FROM binaryFile.`/etc/passwd`",
            "SELECT * FROM delta.`/tmp`",
            "SELECT * FROM read_files('/etc/passwd', format => 'text')",
            "SELECT * FROM IDENTIFIER('text.`/etc/passwd`')",
            "SELECT reflect('java.lang.System', 'getProperty', 'user.name')",
            "SELECT java_method('java.lang.System', 'getProperty', 'java.home')",
            "SELECT try_reflect('java.lang.System', 'getenv', 'HOME')",
            "SELECT system.builtin.reflect('java.lang.System', 'getenv', 'HOME')",
            "SELECT (SELECT max(value) FROM text.`/etc/passwd`) AS leaked",
            "SELECT * FROM integrity.verdicts WHERE EXISTS (SELECT 1 FROM csv.`/etc/passwd`)",
            "WITH p AS (SELECT * FROM text.`/etc/passwd`) SELECT * FROM p",
            "SELECT v.verdict, p.value FROM integrity.verdicts v, text.`/etc/passwd` p",
            "SELECT * FROM integrity.verdicts LATERAL VIEW explode(array(java_method('java.lang.System',"
                + " 'getenv', 'HOME'))) t AS home",
            "INSERT OVERWRITE DIRECTORY '/tmp/assay-leak' USING csv SELECT * FROM integrity.verdicts",
            "INSERT INTO integrity.verdicts SELECT * FROM integrity.verdicts",
            "/* SELECT */ CREATE TABLE integrity.x AS SELECT 1 AS x",
            "-- SELECT\nCREATE TABLE integrity.y USING delta AS SELECT * FROM integrity.verdicts",
            "SELECT 1; DELETE FROM integrity.verdicts",
            "SELECT * FROM integrity.verdicts\u037e DELETE FROM integrity.verdicts",
            "\uff35\uff30\uff24\uff21\uff34\uff25 integrity.verdicts SET verdict = 'PASS'",
            "SELECT\u200b * FROM integrity.verdicts; UPDATE integrity.verdicts SET verdict = 'PASS'",
            "MERGE INTO integrity.verdicts t USING integrity.verdicts s ON t.partition = s.partition"
                + " WHEN MATCHED THEN UPDATE SET verdict = 'PASS'",
            "UPDATE integrity.verdicts SET verdict = 'PASS'",
            "DELETE FROM integrity.verdicts",
            "DROP TABLE integrity.verdicts",
            "TRUNCATE TABLE integrity.verdicts",
            "ALTER TABLE integrity.verdicts SET TBLPROPERTIES ('delta.appendOnly' = 'false')",
            "CREATE FUNCTION leak AS 'java.lang.String'",
            "CREATE TEMPORARY FUNCTION leak AS 'java.lang.String'",
            "CREATE TEMPORARY VIEW verdicts2 AS SELECT * FROM text.`/etc/passwd`",
            "CACHE TABLE integrity.verdicts",
            "SET spark.sql.ansi.enabled = false",
            "ADD JAR /tmp/leak.jar",
            "REFRESH TABLE integrity.verdicts",
            "EXPLAIN UPDATE integrity.verdicts SET verdict = 'PASS'",
            "EXECUTE IMMEDIATE 'DELETE FROM integrity.verdicts'",
            "DECLARE VARIABLE leak STRING DEFAULT 'x'",
            "RESTORE TABLE integrity.verdicts TO VERSION AS OF 0",
            "VACUUM integrity.verdicts RETAIN 0 HOURS",
            "OPTIMIZE integrity.verdicts",
            "SHOW TABLES");
    List<String> accepted = new ArrayList<>();
    for (String statement : hostile) {
      try {
        lake.sql(statement).limit(1).collectAsList();
        accepted.add(statement);
      } catch (AssayException e) {
        assertEquals(
            dev.assay.common.ExitCode.INVALID, e.exitCode(), statement + ": " + e.getMessage());
        assertTrue(
            e.getMessage().startsWith("Only queries are allowed here")
                || e.getMessage().startsWith("Invalid SQL"),
            statement + ": " + e.getMessage());
        assertFalse(
            e.getMessage().contains("root:"),
            "no host file content in the error: " + e.getMessage());
      }
    }
    assertEquals(List.of(), accepted, "hostile statements that ran");
    assertTrue(hostile.size() >= 30);
    assertEquals(
        before,
        IntegrityLake.open(spark, ConfigLoader.load(config)).rows(VERDICTS).toString(),
        "the verdicts are unchanged");
    assertFalse(Files.exists(Path.of("/tmp/assay-leak")));
  }

  @Test
  void theIssuesProbesExitTwoOnTheCommandLineAndTheGateStillBlocks(SparkSession spark)
      throws Exception {
    Path config = Lakes.demo(spark);
    String unitBug = DemoLake.UNIT_BUG_DAY.toString();
    for (String probe :
        List.of(
            "/* /* */ SELECT */ UPDATE integrity.verdicts SET verdict = 'PASS', reasons = array() WHERE dataset = 'adult'"
                + " AND partition = '"
                + unitBug
                + "'",
            "FROM integrity.verdicts v INSERT INTO integrity.verdicts SELECT * WHERE v.partition = '2026-11-10'",
            "SELECT value, reflect('java.lang.System', 'getProperty', 'user.name') FROM text.`/etc/passwd`")) {
      Lakes.Cli run = Lakes.assay("sql", "-c", config.toString(), probe);
      assertEquals(2, run.exitCode(), probe + ": " + run.out() + run.err());
      assertTrue(run.err().contains("Only queries are allowed here"), run.err());
      assertFalse(run.out().contains("root:"), run.out());
    }
    Lakes.Cli gate = Lakes.assay("gate", "-c", config.toString(), "-d", "adult", "-p", unitBug);
    assertNotEquals(0, gate.exitCode(), "the unit-bug day stays blocked: " + gate.out());
    assertTrue(gate.out().contains("\"FAIL\""), gate.out());
  }

  @Test
  void everyQueryTheReadmeAndDocsShowRuns(SparkSession spark) throws Exception {
    IntegrityLake lake = IntegrityLake.open(spark, ConfigLoader.load(Lakes.demo(spark)));
    Pattern shown =
        Pattern.compile("assay sql -c demo/assay\\.yaml (?:--format \\w+ )?\"([^\"]+)\"");
    List<String> queries = new ArrayList<>();
    List<Path> pages = new ArrayList<>(List.of(REPOSITORY.resolve("README.md")));
    try (var docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    for (Path page : pages) {
      Matcher m = shown.matcher(Files.readString(page));
      while (m.find()) {
        queries.add(m.group(1));
      }
    }
    assertTrue(queries.size() >= 8, "queries found: " + queries);
    for (String query : queries) {
      try {
        lake.sql(query).limit(5).collectAsList();
      } catch (AssayException e) {
        fail("a documented query is refused or fails: " + query + ": " + e.getMessage());
      }
    }
    // a CTE joined with a dataset view: the failed days' rows
    long rows =
        lake.rows(
                "WITH failed AS (SELECT * FROM integrity.verdicts WHERE dataset = 'adult' AND verdict ="
                    + " 'FAIL') SELECT count(*) FROM failed JOIN adult ON CAST(adult.ds AS STRING) = failed.partition")
            .get(0)
            .getLong(0);
    assertTrue(rows > 0, "rows of failed days: " + rows);
  }
}
