package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.ClassDriftRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Class-conditional drift: a feature moving within a class while its marginal stays put. */
@Tag("fast")
class ClassDriftTest {
  private static final Scope SCOPE = new Scope("d", "2024-01-02", "run-1");
  private static final FeatureItems[] COLOR = {
    new FeatureItems("color", FeatureItems.Mode.CATEGORY, null)
  };

  /** Rows per (color, label): {red yes, blue yes, red no, blue no}. */
  private static LabelState state(long redYes, long blueYes, long redNo, long blueNo) {
    LabelState state = new LabelState(0, 1);
    add(state, "red", "yes", redYes);
    add(state, "blue", "yes", blueYes);
    add(state, "red", "no", redNo);
    add(state, "blue", "no", blueNo);
    state.rows = redYes + blueYes + redNo + blueNo;
    return state;
  }

  private static void add(LabelState state, String color, String label, long n) {
    if (n > 0) {
      state.labels.merge(label, n, Long::sum);
      state.features.get(0).computeIfAbsent(color, k -> new HashMap<>()).put(label, n);
    }
  }

  private static Map<String, ClassDriftRecord> byLabel(LabelState now, LabelState base) {
    Map<String, ClassDriftRecord> rows = new HashMap<>();
    for (ClassDriftRecord row :
        ClassDrift.judge(
            Thresholds.DEFAULTS, SCOPE, now, base, List.of("b1"), COLOR, LabelRanges.UNKNOWN)) {
      rows.put(row.label(), row);
    }
    return rows;
  }

  @Test
  void flippedLabelsFailWhileTheMarginalStaysPut() {
    // within 'yes' red goes 0.5 -> 0.75: PSI = 0.25 ln 1.5 + 0.25 ln 2; the marginal stays 600 red,
    // 600 blue
    Map<String, ClassDriftRecord> rows =
        byLabel(state(450, 150, 150, 450), state(300, 300, 300, 300));
    ClassDriftRecord yes = rows.get("yes");
    double psi = 0.25 * Math.log(1.5) + 0.25 * Math.log(2);
    assertEquals(psi, yes.psi(), 1e-12);
    assertEquals(0.0, yes.marginalPsi(), 1e-12);
    assertEquals("FAIL", yes.status());
    assertTrue(
        yes.reason()
            .startsWith(
                "label-drift: class-conditional: psi(color | label='yes') = 0.2747 >= fail"
                    + " 0.25 while the marginal psi 0 < warn 0.1, natural range not yet known (p_adjusted "),
        yes.reason());
    assertTrue(
        yes.reason().endsWith(": labels of this class look flipped or relabelled"), yes.reason());
    assertTrue(yes.pAdjusted() >= yes.chi2Pvalue());
    assertEquals(600L, yes.rows());
    assertEquals(600L, yes.baselineRows());
    assertEquals(List.of("b1"), yes.baseline());
    assertEquals("FAIL", rows.get("no").status());
  }

  @Test
  void aMovedMarginalIsFeatureDriftNotRelabelling() {
    // red goes 0.5 -> 0.75 in both classes: the feature moved, so no class is judged
    Map<String, ClassDriftRecord> rows =
        byLabel(state(450, 150, 450, 150), state(300, 300, 300, 300));
    assertEquals(rows.get("yes").psi(), rows.get("yes").marginalPsi(), 1e-12);
    assertEquals("OK", rows.get("yes").status());
    assertNull(rows.get("yes").reason());
  }

  @Test
  void aTinyShiftPasses() {
    Map<String, ClassDriftRecord> rows =
        byLabel(state(310, 290, 290, 310), state(300, 300, 300, 300));
    assertEquals("OK", rows.get("yes").status());
    assertNull(rows.get("yes").reason());
  }

  @Test
  void aClassBelowMinRowsIsNotCompared() {
    // 'no' has 99 rows now (min_rows 100): only 'yes' is compared
    Map<String, ClassDriftRecord> rows =
        byLabel(state(450, 150, 50, 49), state(300, 300, 300, 300));
    assertEquals(1, rows.size());
    assertTrue(rows.containsKey("yes"));
  }

  @Test
  void noLabelsNoRows() {
    assertTrue(byLabel(state(0, 0, 0, 0), state(300, 300, 300, 300)).isEmpty());
  }
}
