package dev.assay.jobs.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay judge on a table whose recurrence across partitions grows with history (census-style rows). */
class RateJudgeTest {
  /** A partition of 4,000 rows, {@code replayed} of them seen on an earlier partition, with h indexed earlier. */
  private static RateJudge.Stats partition(long replayed, long history) {
    return new RateJudge.Stats(4000, 0, 120, replayed, 0, 0, 0, history);
  }

  /** Replay shares measured on a real census-style table, 1 to 7 days of history (issue 18's T1). */
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
    RateJudge.Outcome clean = RateJudge.judge(partition(Math.round(4000 * 0.205), 8), growing(), List.of(), Thresholds.DEFAULTS);
    assertEquals(Status.OK, clean.status(), clean.reason());
    assertTrue(clean.replay().rate() > 0.18 && clean.replay().rate() < 0.23, "expected " + clean.replay());
    assertTrue(clean.replay().basis().startsWith("expected from the trend over 7 partitions"));
  }

  @Test
  void aReplayOnTopOfTheTrendStillFails() {
    // 10% of the day replayed from history: about 0.8 of those rows add to the natural 0.205
    RateJudge.Outcome attacked = RateJudge.judge(partition(Math.round(4000 * (0.205 + 0.08)), 8), growing(), List.of(),
        Thresholds.DEFAULTS);
    assertEquals(Status.FAIL, attacked.status());
    assertTrue(attacked.reason().contains("replay_rate_excess"), attacked.reason());
    assertTrue(attacked.reason().contains("expected from the trend"), attacked.reason());
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
}
