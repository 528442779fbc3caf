package dev.assay.jobs.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.assay.common.checks.AnomalyStrategy.Point;
import dev.assay.common.records.CheckResultRecord;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which earlier values of a constraint an anomaly strategy may learn from, without Spark. */
@Tag("fast")
class MetricHistoryTest {
  private static final List<String> DAYS = List.of("d0", "d1", "d2", "d3", "d4", "d5");

  private static CheckResultRecord stored(
      String partition, String constraint, double value, String status) {
    return new CheckResultRecord(
        "orders",
        partition,
        "run-0",
        "loader",
        constraint,
        "error",
        "size",
        "",
        value,
        (long) value,
        null,
        null,
        "mad",
        null,
        null,
        List.of(),
        null,
        "",
        status,
        null);
  }

  @Test
  void failedPartitionsNeverBecomeTheNorm() {
    MetricHistory history = new MetricHistory(DAYS);
    history.stored(stored("d0", "size", 1000, "OK"));
    // d1 FAILed a constraint: none of its values are trusted, not even this one that passed
    history.stored(stored("d1", "rows", 5, "FAIL"));
    history.stored(stored("d1", "size", 1010, "OK"));
    history.stored(stored("d2", "size", 1020, "WARN"));
    // d3's verdict FAILed
    history.stored(stored("d3", "size", 9000, "OK"));
    history.failed("d3");
    assertEquals(
        List.of(new Point(0, "d0", 1000), new Point(2, "d2", 1020)),
        history.before("loader", "size", "d4"));
  }

  @Test
  void onlyEarlierPartitionsOfTheSameConstraintCount() {
    MetricHistory history = new MetricHistory(DAYS);
    history.stored(stored("d0", "size", 1000, "OK"));
    history.stored(stored("d2", "size", 1020, "OK"));
    history.stored(stored("d1", "other", 7, "OK"));
    assertEquals(List.of(new Point(0, "d0", 1000)), history.before("loader", "size", "d2"));
    assertEquals(
        List.of(), history.before("loader", "size", "d0"), "the first partition has no history");
    assertEquals(2, history.position("d2"));
  }

  @Test
  void thisRunsValuesJoinUnlessItFailedThem() {
    MetricHistory history = new MetricHistory(DAYS);
    history.record("loader", "size", "d3", 1030);
    history.record("loader", "size", "d4", 50);
    history.failed("d4");
    history.record("loader", "size", "d1", Double.NaN);
    assertEquals(
        List.of(new Point(3, "d3", 1030)),
        history.before("loader", "size", "d5"),
        "d4 FAILed this run, d1 had no value");
  }
}
