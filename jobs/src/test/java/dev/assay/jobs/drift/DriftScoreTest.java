package dev.assay.jobs.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.records.FeatureDriftRecord;
import dev.assay.common.stats.NaturalRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Feature-drift scoring of categorical profiles, checked against hand-computed PSI and JS distance.
 */
@Tag("fast")
class DriftScoreTest {
  private static final Thresholds T = Thresholds.DEFAULTS;

  private static CategoricalProfile colors(long nulls, long red, long blue) {
    Map<String, Long> categories = new LinkedHashMap<>();
    if (red > 0) {
      categories.put("red", red);
    }
    if (blue > 0) {
      categories.put("blue", blue);
    }
    return new CategoricalProfile("color", nulls + red + blue, nulls, 2, categories, 0);
  }

  private static DriftScore score(CategoricalProfile current, CategoricalProfile baseline) {
    return DriftScore.categorical(current, baseline, T, DriftScore.Ranges.UNKNOWN);
  }

  @Test
  void aClearShiftFailsOnPsi() {
    DriftScore s = score(colors(0, 800, 200), colors(0, 500, 500));
    // PSI = 0.3 ln(0.8/0.5) + 0.3 ln(0.5/0.2)
    double psi = 0.3 * Math.log(1.6) + 0.3 * Math.log(2.5);
    assertEquals(0.415888, psi, 1e-6);
    assertEquals(psi, s.psi(), 1e-12);
    // JS: m = (0.65, 0.35); KL(p|m) = 0.0471555, KL(q|m) = 0.0541880
    assertEquals(Math.sqrt((0.0471555 + 0.0541880) / 2), s.jsDistance(), 1e-6);
    assertEquals(0.3, s.linf(), 1e-12);
    assertEquals(dev.assay.common.verdict.Status.FAIL, s.status());
    assertTrue(
        s.reason()
            .startsWith(
                "feature-drift: psi(color) = 0.4159 >= fail 0.25, natural range not yet"
                    + " known; js_distance(color) = 0.2251 >= warn 0.1"),
        s.reason());
  }

  @Test
  void aTinyShiftPassesWithoutReason() {
    // PSI = 0.005 ln(1.01) + 0.005 ln(1/0.99) ~ 1e-4, far below warn 0.1
    DriftScore s = score(colors(0, 505, 495), colors(0, 500, 500));
    assertEquals(0.005 * Math.log(1.01) - 0.005 * Math.log(0.99), s.psi(), 1e-12);
    assertEquals(dev.assay.common.verdict.Status.OK, s.status());
    assertNull(s.reason());
  }

  @Test
  void aShiftWithinTheNaturalRangeIsOk() {
    NaturalRange psiRange = new NaturalRange(10, 0.3, 0.6);
    DriftScore s =
        DriftScore.categorical(
            colors(0, 800, 200),
            colors(0, 500, 500),
            T,
            new DriftScore.Ranges(psiRange, new NaturalRange(10, 0.2, 0.4), null, null));
    assertEquals(dev.assay.common.verdict.Status.OK, s.status());
    assertTrue(
        s.reason()
            .contains(
                "psi(color) = 0.4159 >= fail 0.25, within its natural range <= 0.6 (median"
                    + " 0.3 over 10 partitions)"),
        s.reason());
  }

  @Test
  void belowMinRowsWarnsEvenWithoutDrift() {
    DriftScore s = score(colors(0, 25, 25), colors(0, 500, 500));
    assertEquals(dev.assay.common.verdict.Status.WARN, s.status());
    assertEquals(
        "feature-drift: rows(color) = 50, baseline_rows = 1000: below min_rows 100, too few to judge"
            + " drift",
        s.reason());
  }

  @Test
  void belowMinRowsKeepsAFailOfTheMetrics() {
    DriftScore s = score(colors(0, 40, 10), colors(0, 500, 500));
    assertEquals(dev.assay.common.verdict.Status.FAIL, s.status());
    assertTrue(s.reason().endsWith("below min_rows 100, too few to judge drift"), s.reason());
  }

  @Test
  void aNullShareChangeAtTheWarnThresholdWarns() {
    // 50 of 1000 rows null against none: change 0.05 = null_share_warn; the non-null shares are
    // unchanged
    DriftScore s = score(colors(50, 475, 475), colors(0, 500, 500));
    assertEquals(0.0, s.psi(), 1e-12);
    assertEquals(dev.assay.common.verdict.Status.WARN, s.status());
    assertEquals(
        "feature-drift: null_share_delta(color) = 0.05 >= warn 0.05, natural range not yet known",
        s.reason());
    DriftScore below = score(colors(49, 475, 476), colors(0, 500, 500));
    assertEquals(dev.assay.common.verdict.Status.OK, below.status());
  }

  @Test
  void anAllNullPartitionHasNoDistributionMetricsAndFailsOnNulls() {
    DriftScore s = score(colors(1000, 0, 0), colors(0, 500, 500));
    assertTrue(Double.isNaN(s.psi()));
    assertEquals(dev.assay.common.verdict.Status.FAIL, s.status());
    FeatureDriftRecord r =
        s.record(
            "d", "2024-01-02", "run", "color", "categorical", List.of("2024-01-01"), s.reason());
    assertNull(r.psi());
    assertNull(r.jsDistance());
    assertNull(r.wassersteinNorm());
    assertEquals(1.0, r.nullShare());
    assertEquals(0.0, r.baselineNullShare());
    assertEquals("FAIL", r.status());
    assertEquals(List.of("2024-01-01"), r.baseline());
    assertTrue(r.reason().contains("null_share_delta(color) = 1 >= fail 0.2"), r.reason());
  }

  @Test
  void aBootstrapPartitionIsTheReferenceUnlessTooSmall() {
    FeatureDriftRecord big =
        DriftScore.bootstrap("d", "p", "run", "color", colors(100, 450, 450), 100);
    assertEquals("OK", big.status());
    assertEquals(DriftScore.BOOTSTRAP, big.reason());
    assertEquals(0.1, big.nullShare(), 1e-12);
    assertEquals(List.of(), big.baseline());
    assertEquals(0L, big.baselineRows());
    assertNull(big.psi());

    FeatureDriftRecord small =
        DriftScore.bootstrap("d", "p", "run", "color", colors(0, 60, 39), 100);
    assertEquals("WARN", small.status());
    assertTrue(small.reason().contains("99 rows < min_rows 100"), small.reason());

    FeatureDriftRecord empty = DriftScore.bootstrap("d", "p", "run", "color", colors(0, 0, 0), 100);
    assertEquals(0.0, empty.nullShare());
    assertEquals("WARN", empty.status());
  }
}
