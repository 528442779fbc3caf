package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.stats.Cusum;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The slow-drift CUSUM judgement from plain counts, without Spark. */
@Tag("fast")
class SlowDriftTest {
  private static final List<String> ANCHOR = List.of("d1", "d2", "d3", "d4", "d5");

  /** A partition of 1,000 labelled rows, {@code yes} of them "yes". */
  private static Map<String, Long> day(long yes) {
    return Map.of("yes", yes, "no", 1000 - yes);
  }

  private static List<Map<String, Long>> anchorDays() {
    // the anchor's own day-to-day spread: 49%..51% "yes"
    return List.of(day(490), day(510), day(500), day(495), day(505));
  }

  @Test
  void aSteadyShareRaisesNoAlarm() {
    SlowDrift.Result result =
        SlowDrift.judge(ANCHOR, anchorDays(), List.of(day(505), day(495), day(500)), day(502), 100);
    assertEquals(Status.OK, result.judgement().status());
    assertTrue(result.cusum() < Cusum.H, "statistic " + result.cusum());
    assertEquals(ANCHOR, result.anchor());
  }

  @Test
  void aShareWalkingTwoPointsAPartitionAlarmsAndNamesTheLabel() {
    // +2 points a day: each step is small against the day-to-day spread, the sum is not
    List<Map<String, Long>> since = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      since.add(day(500 + 20L * i));
    }
    SlowDrift.Result result = SlowDrift.judge(ANCHOR, anchorDays(), since, day(680), 100);
    assertEquals(Status.FAIL, result.judgement().status());
    assertTrue(result.cusum() >= Cusum.H, "statistic " + result.cusum());
    assertTrue(
        result.judgement().reason().contains("label 'yes'")
            || result.judgement().reason().contains("label 'no'"),
        result.judgement().reason());
    assertTrue(result.judgement().reason().contains("d1..d5, 5 partitions"));
  }

  @Test
  void nothingIsJudgedWithoutAnAnchorOrEnoughRows() {
    assertEquals(
        SlowDrift.Result.NONE, SlowDrift.judge(List.of(), anchorDays(), List.of(), day(900), 100));
    assertEquals(
        SlowDrift.Result.NONE,
        SlowDrift.judge(ANCHOR, anchorDays(), List.of(), Map.of("yes", 60L, "no", 39L), 100));
    assertEquals(
        SlowDrift.Result.NONE, SlowDrift.judge(ANCHOR, anchorDays(), List.of(), null, 100));
    List<Map<String, Long>> unknown = new ArrayList<>();
    unknown.add(null);
    unknown.add(Map.of("yes", 0L, "no", 0L));
    assertEquals(SlowDrift.Result.NONE, SlowDrift.judge(ANCHOR, unknown, List.of(), day(900), 100));
  }

  @Test
  void smallOrUnknownPartitionsSinceTheAnchorAreLeftOut() {
    List<Map<String, Long>> since = new ArrayList<>();
    since.add(null);
    since.add(Map.of("yes", 99L, "no", 0L)); // 99 rows < min_rows: left out despite 100% "yes"
    SlowDrift.Result result = SlowDrift.judge(ANCHOR, anchorDays(), since, day(500), 100);
    assertEquals(Status.OK, result.judgement().status());
    assertTrue(result.cusum() < 1, "only the steady current partition counts: " + result.cusum());
  }

  @Test
  void theTrailingAndSlowJudgementsCombineWorstFirst() {
    Judgement warn = new Judgement(Status.WARN, "trailing");
    Judgement fail = new Judgement(Status.FAIL, "slow");
    assertEquals(fail, SlowDrift.combine(warn, fail));
    assertEquals(warn, SlowDrift.combine(warn, Judgement.OK));
    assertEquals(
        "trailing; slow", SlowDrift.combine(new Judgement(Status.FAIL, "trailing"), fail).reason());
    assertNull(SlowDrift.combine(Judgement.OK, Judgement.OK).reason());
  }
}
