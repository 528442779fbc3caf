package dev.assay.jobs.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.assay.common.checks.AnomalyStrategy;
import dev.assay.common.checks.AnomalyStrategy.Point;
import dev.assay.common.checks.Assertion;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Metric;
import dev.assay.common.records.CheckResultRecord;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A constraint's measurement judged to its check_results record, without Spark. */
@Tag("fast")
class ConstraintJudgeTest {
  private final ConstraintJudge judge = new ConstraintJudge("orders", "run-1");

  private static final Check COMPLETE =
      Check.error("loader").hasCompleteness("amount", Assertion.atLeast(0.95));

  private CheckResultRecord completeness(Check check, double value, long failing) {
    return judge.judge(
        "2026-01-02",
        check,
        check.constraints().get(0),
        new Measurement(value, 1000, failing, ""),
        List.of(),
        1);
  }

  @Test
  void aFailedAssertionOfAnErrorCheckFails() {
    CheckResultRecord result = completeness(COMPLETE, 0.9, 100);
    assertEquals(
        new CheckResultRecord(
            "orders",
            "2026-01-02",
            "run-1",
            "loader",
            "completeness(amount)",
            "error",
            "completeness",
            "amount",
            0.9,
            1000L,
            100L,
            ">= 0.95",
            null,
            null,
            null,
            List.of(),
            null,
            "loader/completeness(amount) = 0.9, expected >= 0.95 (100 of 1000 rows fail)",
            "FAIL",
            "checks: loader/completeness(amount) = 0.9, expected >= 0.95 (100 of 1000 rows fail)"),
        result);
  }

  @Test
  void theBoundOfAnAssertionPasses() {
    CheckResultRecord result = completeness(COMPLETE, 0.95, 50);
    assertEquals("OK", result.status());
    assertNull(result.reason());
    assertEquals(
        "completeness(amount) = 0.95 (50 of 1000 rows fail) passes >= 0.95", result.message());
  }

  @Test
  void aWarningCheckWarnsAndItsHintIsInTheMessageOnly() {
    Check check =
        Check.warning("loader")
            .hasCompleteness("amount", Assertion.atLeast(0.95))
            .hint("see the ETL log");
    CheckResultRecord result = completeness(check, 0.949, 51);
    assertEquals("WARN", result.status());
    assertEquals("see the ETL log", result.hint());
    assertEquals(
        "loader/completeness(amount) = 0.949, expected >= 0.95 (51 of 1000 rows fail) Hint: see the ETL log",
        result.message());
    assertEquals(
        "checks: loader/completeness(amount) = 0.949, expected >= 0.95 (51 of 1000 rows fail)",
        result.reason());
  }

  @Test
  void aMetricWithoutAValueTakesTheCheckLevel() {
    CheckResultRecord result =
        judge.judge(
            "2026-01-02",
            COMPLETE,
            COMPLETE.constraints().get(0),
            new Measurement(Double.NaN, 0, -1, "no rows"),
            List.of(),
            1);
    assertEquals("FAIL", result.status());
    assertEquals("checks: loader/completeness(amount) has no value (no rows)", result.reason());
    assertEquals("completeness(amount) has no value: no rows", result.message());
    assertNull(result.value());
    assertNull(result.failingRows(), "-1: not applicable");
  }

  private static final Check SIZE =
      Check.error("loader")
          .hasAnomaly(new Metric.Size(), new AnomalyStrategy.AbsoluteChange(100, 100));

  private CheckResultRecord size(double rows, List<Point> history) {
    return judge.judge(
        "2026-01-03",
        SIZE,
        SIZE.constraints().get(0),
        new Measurement(rows, (long) rows, -1, ""),
        history,
        2);
  }

  @Test
  void aValueOutsideTheRangeOfItsHistoryIsAnAnomaly() {
    // the previous trusted size 1000, change -100..+100: expected [900, 1100]
    CheckResultRecord result =
        size(1150, List.of(new Point(0, "2026-01-01", 990), new Point(1, "2026-01-02", 1000)));
    assertEquals("FAIL", result.status());
    assertEquals(
        "checks: loader/size = 1150 is an anomaly (absolute_change): expected [900, 1100] from change"
            + " -100..+100 from 1000 in partition 2026-01-02",
        result.reason());
    assertEquals(900.0, result.expectedLow());
    assertEquals(1100.0, result.expectedHigh());
    assertEquals(List.of("2026-01-02"), result.history());
    assertEquals("absolute_change", result.anomalyStrategy());
    assertNull(result.assertion());
  }

  @Test
  void theEdgeOfTheRangeIsNormal() {
    CheckResultRecord result = size(1100, List.of(new Point(1, "2026-01-02", 1000)));
    assertEquals("OK", result.status());
    assertEquals(
        "size = 1100 passes; absolute_change: expected [900, 1100] from change -100..+100 from 1000"
            + " in partition 2026-01-02",
        result.message());
  }

  @Test
  void aHistoryTooShortPassesWithoutARange() {
    CheckResultRecord result = size(5000, List.of());
    assertEquals("OK", result.status());
    assertNull(result.expectedLow());
    assertEquals(List.of(), result.history());
    assertEquals(
        "size = 5000 passes; absolute_change: history too short to judge: 0 trusted earlier partition(s),"
            + " 1 needed",
        result.message());
  }
}
