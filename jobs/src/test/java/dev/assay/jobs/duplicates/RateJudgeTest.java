package dev.assay.jobs.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The replay judge on a table whose recurrence across partitions grows with history (census-style
 * rows).
 */
@Tag("fast")
class RateJudgeTest {
  /**
   * A partition of 4,000 rows, {@code replayed} of them seen on an earlier partition, with h
   * indexed earlier.
   */
  private static RateJudge.Stats partition(long replayed, long history) {
    return new RateJudge.Stats(4000, 0, 120, replayed, 0, 0, 0, history, 0);
  }

  /**
   * Replay shares measured on a real census-style table, 1 to 7 days of history (issue 18's T1).
   */
  private static List<RateJudge.Stats> growing() {
    double[] shares = {0.034, 0.053, 0.076, 0.100, 0.117, 0.149, 0.184};
    List<RateJudge.Stats> baseline = new ArrayList<>();
    for (int h = 1; h <= shares.length; h++) {
      baseline.add(partition(Math.round(4000 * shares[h - 1]), h));
    }
    return baseline;
  }

  @Test
  void naturalGrowthWithHistoryIsExpectedNotAnAlarm() {
    // the next day continues the trend (about +0.025 a day)
    RateJudge.Outcome clean =
        RateJudge.judge(
            partition(Math.round(4000 * 0.205), 8),
            growing(),
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(Status.OK, clean.status(), clean.reason());
    assertTrue(
        clean.replay().rate() > 0.18 && clean.replay().rate() < 0.23, "expected " + clean.replay());
    assertTrue(clean.replay().basis().startsWith("expected from the trend over 7 partitions"));
  }

  @Test
  void aReplayOnTopOfTheTrendStillFails() {
    // 10% of the day replayed from history: about 0.8 of those rows add to the natural 0.205
    RateJudge.Outcome attacked =
        RateJudge.judge(
            partition(Math.round(4000 * (0.205 + 0.08)), 8),
            growing(),
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(Status.FAIL, attacked.status());
    assertTrue(attacked.reason().contains("replay_rate_excess"), attacked.reason());
    assertTrue(attacked.reason().contains("expected from the trend"), attacked.reason());
  }

  /** Counts of a 4,000-row partition whose sole-source replays came from the given ordinals. */
  private static Findings.Counts soleSources(long... rowsFrom) {
    Findings.Counts counts = new Findings.Counts();
    counts.rows = 4000;
    for (int source = 0; source < rowsFrom.length; source++) {
      counts.soleSourceRows.put(source, rowsFrom[source]);
    }
    return counts;
  }

  /** 14 earlier partitions of 4,000 rows, ordinals 0 to 13; the judged one is 14. */
  private static java.util.Map<Integer, Long> fourteenDays() {
    java.util.Map<Integer, Long> rows = new java.util.HashMap<>();
    for (int o = 0; o <= 14; o++) {
      rows.put(o, 4000L);
    }
    return rows;
  }

  @Test
  void naturalRecurrenceSpreadOverTheHistoryIsNoReplaySignature() {
    // 280 rare-content replays (7%), about 20 from each earlier day, as a census-style table shows
    long[] spread = {18, 22, 19, 25, 17, 21, 20, 16, 23, 24, 19, 18, 20, 18};
    ReplaySource source = ReplaySource.of(soleSources(spread), 14, fourteenDays());
    assertEquals(14, source.earlier());
    assertEquals(20, source.expected(), 1e-9);
    assertEquals(3, source.source(), "the day with the most beyond its share");
    RateJudge.Outcome clean =
        RateJudge.judge(
            partition(Math.round(4000 * 0.205), 8),
            growing(),
            List.of(),
            Thresholds.DEFAULTS,
            source,
            "day 3");
    assertEquals(Status.OK, clean.status(), clean.reason());
  }

  @Test
  void aFivePercentReplayOfOneOldDayIsItsSignature() {
    // the same natural spread, plus 200 rows (5%) copied from day 2
    long[] attacked = {18, 22, 19 + 200, 25, 17, 21, 20, 16, 23, 24, 19, 18, 20, 18};
    ReplaySource source = ReplaySource.of(soleSources(attacked), 14, fourteenDays());
    assertEquals(2, source.source());
    assertEquals(219, source.rows());
    RateJudge.Outcome outcome =
        RateJudge.judge(
            partition(Math.round(4000 * 0.205) + 200, 8),
            growing(),
            List.of(),
            Thresholds.DEFAULTS,
            source,
            "2026-11-02");
    assertEquals(Status.FAIL, outcome.status());
    assertTrue(
        outcome.reason().contains("replay_source_excess(partition) = 0.04")
            && outcome
                .reason()
                .contains("219 of 4000 rows repeat content found only in partition 2026-11-02"),
        outcome.reason());
    // a window whose days naturally show as much concentration (a table that re-sends yesterday)
    // calibrates it away
    List<RateJudge.Stats> window = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      window.add(new RateJudge.Stats(4000, 0, 120, 820, 0, 0, 0, 8, 0.04 + 0.001 * i));
    }
    RateJudge.Outcome natural =
        RateJudge.judge(
            partition(Math.round(4000 * 0.205) + 200, 8),
            growing(),
            window,
            Thresholds.DEFAULTS,
            source,
            "2026-11-02");
    assertTrue(
        natural.reason() == null || !natural.reason().contains("replay_source"), natural.reason());
    assertTrue(natural.note().contains("within its natural range"), natural.note());
  }

  @Test
  void oneEarlierPartitionCannotShowConcentration() {
    java.util.Map<Integer, Long> rows = java.util.Map.of(0, 4000L, 1, 4000L);
    assertEquals(null, ReplaySource.of(soleSources(300), 1, rows));
  }

  @Test
  void aFlatBaselineKeepsThePooledRate() {
    List<RateJudge.Stats> flat = new ArrayList<>();
    for (int h = 1; h <= 5; h++) {
      flat.add(partition(8, h));
    }
    RateJudge.Reference r = RateJudge.expected(flat, RateJudge.Stats::replayedRows, 6);
    assertEquals(8 / 4000.0, r.rate(), 1e-12);
  }

  /**
   * Three baseline partitions of 10,000 rows with 1% extra copies each: reference 0.01, spread 0.
   */
  private static List<RateJudge.Stats> onePercentDuplicates() {
    RateJudge.Stats day = new RateJudge.Stats(10_000, 100, 200, 0, 0, 0, 0, 0, Double.NaN);
    return List.of(day, day, day);
  }

  private static RateJudge.Outcome duplicates(long rows, long duplicateRows) {
    return RateJudge.judge(
        new RateJudge.Stats(rows, duplicateRows, 2 * duplicateRows, 0, 0, 0, 0, 0, Double.NaN),
        onePercentDuplicates(),
        List.of(),
        Thresholds.DEFAULTS,
        null,
        null);
  }

  @Test
  void duplicateRateExcessAgainstTheWarnAndFailThresholds() {
    // 10,000 rows: noise sqrt(0.01 * 0.99 / 10000) = 0.000995, so 4 noise = 0.00398 is below warn
    // 0.02
    assertEquals(Status.OK, duplicates(10_000, 299).status(), "excess 0.0199 < warn 0.02");
    RateJudge.Outcome warned = duplicates(10_000, 301);
    assertEquals(Status.WARN, warned.status(), "excess 0.0201 >= warn 0.02");
    assertEquals(
        "duplicates: duplicate_rate_excess(partition) = 0.0201 >= warn 0.02 (301 of 10000 rows = 0.0301;"
            + " trusted baseline 0.01, noise 0.000995)",
        warned.reason());
    assertEquals(Status.WARN, duplicates(10_000, 599).status(), "excess 0.0499 < fail 0.05");
    RateJudge.Outcome failed = duplicates(10_000, 601);
    assertEquals(Status.FAIL, failed.status(), "excess 0.0501 >= fail 0.05");
    assertTrue(
        failed
            .reason()
            .startsWith("duplicates: duplicate_rate_excess(partition) = 0.0501 >= fail 0.05"),
        failed.reason());
    assertEquals(0.01, failed.duplicate().rate(), 1e-12);
  }

  @Test
  void aSmallPartitionNeedsAnExcessBeyondItsSamplingNoise() {
    // 100 rows: noise sqrt(max(0.0099, 1/100) / 100) = 0.01, so an excess up to 0.04 is noise
    RateJudge.Outcome noisy = duplicates(100, 4);
    assertEquals(
        Status.OK,
        noisy.status(),
        "excess 0.03 is past warn but within 4 noise: " + noisy.reason());
    assertEquals(Status.FAIL, duplicates(100, 7).status(), "excess 0.06 > 0.04 and >= fail 0.05");
  }

  @Test
  void theSpreadOfTheBaselineRatesWidensTheNoise() {
    // baseline rates 0.01 and 0.03: pooled 0.02, spread sqrt(2 * 0.01^2 / 1) = 0.01414
    List<RateJudge.Stats> uneven =
        List.of(
            new RateJudge.Stats(10_000, 100, 200, 0, 0, 0, 0, 0, Double.NaN),
            new RateJudge.Stats(10_000, 300, 600, 0, 0, 0, 0, 0, Double.NaN));
    // 0.065: excess 0.045 < 4 hypot(0.01414, 0.0014) = 0.05685, so OK although past warn
    RateJudge.Outcome within =
        RateJudge.judge(
            new RateJudge.Stats(10_000, 650, 1300, 0, 0, 0, 0, 0, Double.NaN),
            uneven,
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(Status.OK, within.status(), within.reason());
    assertEquals(0.02, within.duplicate().rate(), 1e-12);
    assertEquals(Math.sqrt(2e-4), within.duplicate().spread(), 1e-12);
    // 0.09: excess 0.07 > 0.05685 and >= fail
    RateJudge.Outcome beyond =
        RateJudge.judge(
            new RateJudge.Stats(10_000, 900, 1800, 0, 0, 0, 0, 0, Double.NaN),
            uneven,
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(Status.FAIL, beyond.status());
  }

  @Test
  void aConflictRateIsJudgedAgainstTwiceTheWithinPartitionConflicts() {
    // no history anywhere: the conflict reference is 2 x 50 / 10,000 = 0.01
    List<RateJudge.Stats> baseline =
        List.of(
            new RateJudge.Stats(10_000, 0, 0, 0, 50, 50, 0, 0, Double.NaN),
            new RateJudge.Stats(10_000, 0, 0, 0, 50, 50, 0, 0, Double.NaN));
    RateJudge.Outcome outcome =
        RateJudge.judge(
            new RateJudge.Stats(10_000, 0, 0, 0, 450, 0, 0, 0, Double.NaN),
            baseline,
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(0.01, outcome.conflict().rate(), 1e-12);
    // 0.045 - 0.01 = 0.035 >= conflict fail 0.03
    assertEquals(Status.FAIL, outcome.status());
    assertTrue(
        outcome
            .reason()
            .startsWith("duplicates: conflict_rate_excess(partition) = 0.035 >= fail 0.03"),
        outcome.reason());
  }

  @Test
  void aSingleTrustedPartitionWithHistoryIsExtrapolatedInProportion() {
    // 1% replayed with 2 partitions indexed; at 4 indexed, 2% is expected
    List<RateJudge.Stats> one =
        List.of(new RateJudge.Stats(10_000, 0, 0, 100, 0, 0, 0, 2, Double.NaN));
    RateJudge.Outcome natural =
        RateJudge.judge(
            new RateJudge.Stats(10_000, 0, 0, 250, 0, 0, 0, 4, Double.NaN),
            one,
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(0.02, natural.replay().rate(), 1e-12);
    assertEquals(
        "expected in proportion to history from 1 trusted partition (0.01 at 2, at 4)",
        natural.replay().basis());
    // excess 0.005 < 4 sqrt(0.02 * 0.98 / 10000) = 0.0056
    assertEquals(Status.OK, natural.status(), natural.reason());
    RateJudge.Outcome replayed =
        RateJudge.judge(
            new RateJudge.Stats(10_000, 0, 0, 710, 0, 0, 0, 4, Double.NaN),
            one,
            List.of(),
            Thresholds.DEFAULTS,
            null,
            null);
    assertEquals(Status.FAIL, replayed.status(), "excess 0.051 >= fail 0.05");
  }
}
