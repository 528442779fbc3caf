package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.CategoryCount;
import dev.assay.common.records.LabelDriftRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Label-share judging of a partition against its baseline, on counts alone. */
@Tag("fast")
class LabelJudgeTest {
  private static final Scope SCOPE = new Scope("d", "2024-01-02", "run-1");
  private static final List<String> BASELINE = List.of("2024-01-01");
  private final LabelJudge judge = new LabelJudge(Thresholds.DEFAULTS, "y", List.of("region"));

  private static LabelState state(long nulls, long a, long b, long c) {
    LabelState state = new LabelState(1, 0);
    state.nullLabels = nulls;
    state.rows = nulls + a + b + c;
    put(state.labels, "a", a);
    put(state.labels, "b", b);
    put(state.labels, "c", c);
    return state;
  }

  private static void put(Map<String, Long> counts, String label, long n) {
    if (n > 0) {
      counts.put(label, n);
    }
  }

  private static Map<String, Long> counts(long a, long b) {
    Map<String, Long> counts = new HashMap<>();
    put(counts, "a", a);
    put(counts, "b", b);
    return counts;
  }

  private List<LabelDriftRecord> judge(LabelState state, LabelState base) {
    return judge.judge(SCOPE, state, base, BASELINE, LabelRanges.UNKNOWN, SlowDrift.Result.NONE);
  }

  @Test
  void aClearShiftFailsOnTheLargestShareChange() {
    LabelDriftRecord whole = judge(state(0, 200, 450, 350), state(0, 400, 400, 200)).get(0);
    assertNull(whole.segmentColumn());
    assertEquals("FAIL", whole.status());
    assertEquals("a", whole.maxShareLabel());
    assertEquals(0.2, whole.maxShareDelta(), 1e-12);
    // PSI = sum (now - before) ln(now / before) over a, b, c
    double psi = -0.2 * Math.log(0.5) + 0.05 * Math.log(1.125) + 0.15 * Math.log(1.75);
    assertEquals(psi, whole.psi(), 1e-12);
    assertTrue(whole.chi2Pvalue() < 1e-10, "p " + whole.chi2Pvalue());
    assertTrue(
        whole
            .reason()
            .startsWith(
                "label-drift: whole partition: share of label 'a' moved from 0.4 to 0.2:"
                    + " change 0.2 >= fail 0.05, natural range not yet known (p_adjusted "),
        whole.reason());
    assertTrue(
        whole.reason().contains("<= alpha 0.01, overdispersion unknown, taken as 1)"),
        whole.reason());
    assertEquals(
        List.of(
            new CategoryCount("b", 450L),
            new CategoryCount("c", 350L),
            new CategoryCount("a", 200L)),
        whole.labelCounts());
    assertEquals(BASELINE, whole.baseline());
    assertEquals(1000L, whole.baselineRows());
    assertEquals("d", whole.dataset());
    assertEquals("2024-01-02", whole.partition());
    assertEquals("run-1", whole.runId());
  }

  @Test
  void aTinyShiftPasses() {
    LabelDriftRecord whole = judge(state(0, 405, 395, 200), state(0, 400, 400, 200)).get(0);
    assertEquals("OK", whole.status());
    assertNull(whole.reason());
    assertNull(whole.note());
    assertEquals(0.005, whole.maxShareDelta(), 1e-12);
  }

  @Test
  void anEffectPastWarnThatIsNotSignificantStaysOkAndSaysSo() {
    // a moves 0.4 -> 0.43 on 1000 rows: X^2 ~ 3.9 on 2 df, p ~ 0.14, far above label_warn_alpha
    // 0.001
    LabelDriftRecord whole = judge(state(0, 430, 370, 200), state(0, 400, 400, 200)).get(0);
    assertEquals("OK", whole.status());
    assertTrue(whole.reason().contains("> alpha 0.001"), whole.reason());
    assertTrue(
        whole.reason().contains("within the table's natural variation, so OK"), whole.reason());
  }

  @Test
  void belowMinRowsIsMeasuredButNotJudged() {
    LabelDriftRecord small = judge(state(0, 20, 79, 0), state(0, 400, 400, 200)).get(0);
    assertEquals("OK", small.status());
    assertNull(small.reason());
    assertEquals("not judged: 99 labelled rows (baseline 1000) < min_rows 100", small.note());
    assertTrue(small.psi() > 0.25, "measured: " + small.psi());

    LabelDriftRecord atMin = judge(state(0, 20, 80, 0), state(0, 400, 400, 200)).get(0);
    assertNull(atMin.note());
    assertEquals("FAIL", atMin.status());
  }

  @Test
  void onlyNullLabelsFail() {
    LabelDriftRecord whole = judge(state(200, 0, 0, 0), state(0, 400, 400, 200)).get(0);
    assertEquals("FAIL", whole.status());
    assertEquals(
        "label-drift: all 200 rows have a null y; there are no labels to train on", whole.reason());
    assertNull(whole.psi());
    assertEquals(List.of(), whole.labelCounts());
  }

  @Test
  void aNullShareChangeAtTheWarnThresholdWarns() {
    // 50 of 1000 null against none: change 0.05 = null_share_warn; the labelled shares are
    // unchanged
    LabelDriftRecord whole = judge(state(50, 380, 380, 190), state(0, 400, 400, 200)).get(0);
    assertEquals("WARN", whole.status());
    assertEquals(
        "label-drift: null_label_share_change(labels) = 0.05 >= warn 0.05 (null share 0.05, baseline 0)",
        whole.reason());
    assertEquals(50L, whole.nullLabels());
    LabelDriftRecord below = judge(state(49, 380, 380, 191), state(0, 400, 400, 200)).get(0);
    assertEquals("OK", below.status());
  }

  @Test
  void segmentsAreAdjustedTogetherAndSmallOnesAreNotJudged() {
    LabelState base = state(0, 600, 600, 0);
    base.segments.get(0).put("north", counts(300, 300));
    base.segments.get(0).put("south", counts(300, 300));
    LabelState now = state(0, 650, 550, 0);
    now.segments.get(0).put("north", counts(400, 200));
    now.segments.get(0).put("south", counts(230, 270));
    now.segments.get(0).put("east", counts(10, 40));
    now.segments.get(0).put(null, counts(10, 40));
    List<LabelDriftRecord> rows = judge(now, base);
    assertEquals(5, rows.size());
    // segment values in order, NULL first
    assertNull(rows.get(1).segmentValue());
    assertEquals("east", rows.get(2).segmentValue());
    LabelDriftRecord north = rows.get(3);
    LabelDriftRecord south = rows.get(4);
    assertEquals("north", north.segmentValue());
    assertEquals("region", north.segmentColumn());
    assertEquals("not judged: 50 rows (baseline 1200) < segment_min_rows 100", rows.get(2).note());
    assertNull(rows.get(2).pAdjusted());
    assertEquals("OK", rows.get(2).status());
    // Benjamini-Hochberg over the two judged values: the smaller p doubled (capped by the larger),
    // the larger kept
    double small = Math.min(north.chi2Pvalue(), south.chi2Pvalue());
    double large = Math.max(north.chi2Pvalue(), south.chi2Pvalue());
    assertEquals(Math.min(2 * small, large), north.pAdjusted(), 1e-15);
    assertEquals(Math.min(1, large), south.pAdjusted(), 1e-15);
    assertEquals("FAIL", north.status());
    assertTrue(
        north.reason().startsWith("label-drift: segment region='north': share of label "),
        north.reason());
    assertEquals(600L, north.rows());
    assertEquals(600L, north.baselineRows());
    assertEquals(0L, north.nullLabels());
  }

  @Test
  void aNewSegmentValueIsComparedWithTheWholeBaseline() {
    LabelState base = state(0, 600, 600, 0);
    base.segments.get(0).put("north", counts(600, 600));
    LabelState now = state(0, 100, 100, 0);
    now.segments.get(0).put("west", counts(100, 100));
    LabelDriftRecord west = judge(now, base).get(1);
    assertEquals("new segment: compared with the whole baseline", west.note());
    assertEquals(1200L, west.baselineRows());
    assertEquals("OK", west.status());
  }

  @Test
  void aBootstrapPartitionIsTheReferenceUnlessTooSmall() {
    LabelState big = state(3, 100, 100, 0);
    big.segments.get(0).put("north", counts(100, 100));
    big.segments.get(0).put(null, counts(0, 0));
    List<LabelDriftRecord> rows = judge.bootstrap(SCOPE, big);
    assertEquals(3, rows.size());
    assertEquals("OK", rows.get(0).status());
    assertEquals(LabelJudge.BOOTSTRAP, rows.get(0).reason());
    assertEquals(203L, rows.get(0).rows());
    assertEquals(0L, rows.get(0).baselineRows());
    assertEquals(List.of(), rows.get(0).baseline());
    assertNull(rows.get(1).segmentValue());
    assertEquals("bootstrap: no baseline yet", rows.get(2).note());
    assertEquals(200L, rows.get(2).rows());

    LabelDriftRecord small = judge.bootstrap(SCOPE, state(0, 50, 49, 0)).get(0);
    assertEquals("WARN", small.status());
    assertTrue(small.reason().contains("99 rows < min_rows 100"), small.reason());
  }
}
