package dev.assay.jobs.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.DuplicateRecord;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A pending partition judged to its summary and evidence records, without Spark. */
@Tag("fast")
class DuplicateRowsTest {
  private static final List<String> DAYS = List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6");

  /**
   * 10,000 rows, {@code replayed} of them seen in an earlier partition, {@code history} partitions
   * indexed before.
   */
  private static RateJudge.Stats day(long replayed, long history) {
    return new RateJudge.Stats(10_000, 0, 0, replayed, 0, 0, 0, history, Double.NaN);
  }

  /** Days d1..d5, each replaying 1% of its rows from history: a flat natural rate. */
  private static List<RateJudge.Stats> flatBaseline() {
    List<RateJudge.Stats> baseline = new ArrayList<>();
    for (int h = 1; h <= 5; h++) {
      baseline.add(day(100, h));
    }
    return baseline;
  }

  private static DuplicateRows rows() {
    return new DuplicateRows("census", "run-1", DAYS, Thresholds.DEFAULTS);
  }

  private static Findings noFindings() {
    return new Findings(10);
  }

  @Test
  void anInjectedReplayFailsWithTheTrendItExceeds() {
    DuplicateRows rows = rows();
    // 800 rows (8%) replayed on top of the natural 1%
    Status status =
        rows.add(
            "d6",
            6,
            day(900, 6),
            null,
            List.of("d1", "d2", "d3", "d4", "d5"),
            flatBaseline(),
            List.of(),
            noFindings());
    assertEquals(Status.FAIL, status);
    DuplicateSummaryRecord summary = rows.summary().get(0);
    // excess 0.09 - 0.01 = 0.08; noise sqrt(0.01 * 0.99 / 10000) = 0.000995; the trend's slope is 0
    assertEquals(
        "duplicates: replay_rate_excess(partition) = 0.08 >= fail 0.05 (900 of 10000 rows = 0.09;"
            + " expected from the trend over 5 partitions (0.01 + 0 per indexed partition, at 6) 0.01, noise 0.000995)",
        summary.reason());
    assertEquals("FAIL", summary.status());
    assertEquals(0.09, summary.replayRate(), 1e-12);
    assertEquals(0.01, summary.baselineReplayRate(), 1e-12);
    assertEquals(0.0, summary.baselineDuplicateRate(), 0);
    assertEquals(10_000L, summary.distinctRows());
    assertEquals(List.of("d1", "d2", "d3", "d4", "d5"), summary.baseline());
    assertEquals(1, rows.failed);
  }

  @Test
  void naturalVariationOfTheReplayRatePasses() {
    DuplicateRows rows = rows();
    // 1.1% against 1%: an excess of 0.001, under 4 standard errors (0.00398)
    Status status =
        rows.add(
            "d6",
            6,
            day(110, 6),
            null,
            List.of("d1", "d2", "d3", "d4", "d5"),
            flatBaseline(),
            List.of(),
            noFindings());
    assertEquals(Status.OK, status);
    DuplicateSummaryRecord summary = rows.summary().get(0);
    assertEquals("OK", summary.status());
    assertNull(summary.reason());
    assertNull(summary.note());
    assertEquals(0, rows.failed);
  }

  @Test
  void withoutABaselineThePartitionBootstrapsTheReference() {
    DuplicateRows rows = rows();
    // even a heavy replay is not judged: there is nothing to judge it against
    Status status =
        rows.add("d1", 1, day(5_000, 1), null, List.of(), List.of(), List.of(), noFindings());
    assertEquals(Status.OK, status);
    DuplicateSummaryRecord summary = rows.summary().get(0);
    assertEquals(DuplicateRows.BOOTSTRAP, summary.reason());
    assertNull(summary.baselineReplayRate());
    assertEquals(List.of(), summary.baseline());
    assertEquals(0.5, summary.replayRate(), 1e-12);
  }

  @Test
  void aPartitionUnderMinRowsIsNotJudged() {
    DuplicateRows rows = rows();
    // 99 rows, all replayed, against min_rows 100
    RateJudge.Stats small = new RateJudge.Stats(99, 0, 0, 99, 0, 0, 0, 6, Double.NaN);
    Status status =
        rows.add(
            "d6",
            6,
            small,
            null,
            List.of("d1"),
            flatBaseline().subList(0, 1),
            List.of(),
            noFindings());
    assertEquals(Status.OK, status);
    DuplicateSummaryRecord summary = rows.summary().get(0);
    assertNull(summary.reason());
    assertEquals("not judged: 99 rows < min_rows 100", summary.note());
    assertNull(summary.baselineReplayRate());
  }

  @Test
  void aHundredRowsAreJudged() {
    DuplicateRows rows = rows();
    // at min_rows exactly: judged; 100 replays of 100 rows against 1% is far past every threshold
    RateJudge.Stats small = new RateJudge.Stats(100, 0, 0, 100, 0, 0, 0, 6, Double.NaN);
    Status status =
        rows.add(
            "d6",
            6,
            small,
            null,
            List.of("d1", "d2", "d3", "d4", "d5"),
            flatBaseline(),
            List.of(),
            noFindings());
    assertEquals(Status.FAIL, status);
  }

  @Test
  void evidenceNamesPartitionsAndKeepsTheLargestGroups() {
    Findings findings = new Findings(1);
    findings.offer(
        new Evidence(6, "REPLAY", "aa", 3, 2, List.of("<=50K"), List.of("r1", "r2"), Double.NaN));
    findings.offer(
        new Evidence(6, "REPLAY", "bb", 5, 4, List.of(">50K"), List.of("r3"), Double.NaN));
    findings.offer(
        new Evidence(6, "NEAR_DUPLICATE", "cc", 2, -1, List.of(), List.of("r4", "r5"), 0.75));
    DuplicateRows rows = rows();
    rows.add(
        "d6",
        6,
        day(110, 6),
        null,
        List.of("d1", "d2", "d3", "d4", "d5"),
        flatBaseline(),
        List.of(),
        findings);
    List<DuplicateRecord> evidence = rows.evidence();
    assertEquals(2, evidence.size());
    DuplicateRecord replay = evidence.get(0);
    assertEquals(
        new DuplicateRecord(
            "census",
            "d6",
            "run-1",
            "REPLAY",
            "bb",
            5L,
            "d4",
            List.of(">50K"),
            List.of("r3"),
            null,
            null),
        replay);
    DuplicateRecord near = evidence.get(1);
    assertEquals("NEAR_DUPLICATE", near.kind());
    assertNull(near.firstSeenPartition());
    assertEquals(0.75, near.similarity(), 0);
    assertEquals(
        "kept the 1 largest of 2 REPLAY groups (max_groups)", rows.summary().get(0).note());
  }

  @Test
  void lowEntropyContentIsNotedOnEvidenceAndSummary() {
    // 15% of the baseline's rows recur inside their partition: above the 10% low-entropy line
    List<RateJudge.Stats> baseline =
        List.of(new RateJudge.Stats(10_000, 800, 1_500, 0, 0, 0, 0, 0, Double.NaN));
    Findings findings = new Findings(5);
    findings.offer(
        new Evidence(1, "DUPLICATE", "aa", 2, -1, List.of("x"), List.of("r1"), Double.NaN));
    DuplicateRows rows = rows();
    RateJudge.Stats partition = new RateJudge.Stats(10_000, 800, 1_500, 0, 0, 0, 0, 0, Double.NaN);
    assertEquals(
        Status.OK,
        rows.add("d1", 1, partition, null, List.of("d0"), baseline, List.of(), findings));
    String note =
        "low-entropy content: 0.15 of rows recur inside trusted partitions, so single duplicate or replay"
            + " rows mean little here";
    assertEquals(note, rows.evidence().get(0).note());
    DuplicateSummaryRecord summary = rows.summary().get(0);
    assertTrue(summary.lowEntropy());
    assertEquals(note + "; rates are judged against that natural rate", summary.note());
    assertEquals(9_200L, summary.distinctRows());
  }

  @Test
  void aReplaySourceIsNamedInTheSummary() {
    // 14 earlier days of 4,000 rows; 200 extra sole-source rows from day 2 on top of about 20 from
    // each
    Findings.Counts counts = new Findings.Counts();
    counts.rows = 4_000;
    long[] fromDay = {18, 22, 219, 25, 17, 21, 20, 16, 23, 24, 19, 18, 20, 18};
    for (int d = 0; d < fromDay.length; d++) {
      counts.soleSourceRows.put(d, fromDay[d]);
    }
    java.util.Map<Integer, Long> rowsByOrdinal = new java.util.HashMap<>();
    List<String> days = new ArrayList<>();
    for (int d = 0; d <= 14; d++) {
      rowsByOrdinal.put(d, 4_000L);
      days.add("day" + d);
    }
    ReplaySource source = ReplaySource.of(counts, 14, rowsByOrdinal);
    DuplicateRows rows = new DuplicateRows("census", "run-1", days, Thresholds.DEFAULTS);
    // the replay rate itself (12%) is the baseline's: only its concentration on one day is suspect
    RateJudge.Stats stats = new RateJudge.Stats(4_000, 0, 0, 480, 0, 0, 0, 14, source.excess());
    List<RateJudge.Stats> baseline = new ArrayList<>();
    for (int h = 9; h <= 13; h++) {
      baseline.add(new RateJudge.Stats(4_000, 0, 0, 480, 0, 0, 0, h, 0));
    }
    Status status =
        rows.add("day14", 14, stats, source, List.of("day9"), baseline, List.of(), noFindings());
    DuplicateSummaryRecord summary = rows.summary().get(0);
    // the total sole-source rows: 480; day 2's share 1/14 of them is 34.29; 219 - 34.29 = 184.7
    // rows = 0.04618
    assertEquals("day2", summary.replaySource());
    assertEquals(219L, summary.replaySourceRows());
    assertEquals(480 / 14.0, summary.replaySourceExpected(), 1e-9);
    assertEquals((219 - 480 / 14.0) / 4_000, summary.replaySourceExcess(), 1e-12);
    assertEquals(Status.FAIL, status);
    assertTrue(
        summary.reason().contains("replay_source_excess(partition) = 0.04618 >= fail 0.02"),
        summary.reason());
    assertFalse(summary.reason().contains("replay_rate_excess"), summary.reason());
  }
}
