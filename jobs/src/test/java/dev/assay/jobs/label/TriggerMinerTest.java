package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.LabelSettings;
import dev.assay.common.records.TriggerRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Trigger mining on counts: a new value whose rows all carry one label is a trigger, and what two
 * values predict together, the prior a value combination's own history is shrunk towards.
 */
@Tag("fast")
class TriggerMinerTest {
  private static final FeatureItems[] COLOR = {
    new FeatureItems("color", FeatureItems.Mode.CATEGORY, null)
  };
  private static final TriggerMiner.Combos NO_PAIRS =
      suspects -> {
        throw new AssertionError("one feature has no pairs to count");
      };

  /** Red and blue rows, each half yes, half no. */
  private static LabelState colors(long perCell) {
    return colors(perCell, perCell);
  }

  /** Red and blue rows, each with {@code yes} rows labelled yes and {@code no} labelled no. */
  private static LabelState colors(long yes, long no) {
    LabelState state = new LabelState(0, 1);
    for (String color : List.of("red", "blue")) {
      add(state, color, "yes", yes);
      add(state, color, "no", no);
    }
    return state;
  }

  private static void add(LabelState state, String color, String label, long n) {
    state.rows += n;
    state.labels.merge(label, n, Long::sum);
    state.features.get(0).computeIfAbsent(color, k -> new HashMap<>()).merge(label, n, Long::sum);
  }

  private static List<TriggerMiner.Candidate> mine(
      LabelState state, LabelState base, Set<String> drifted) {
    return new TriggerMiner(LabelSettings.Triggers.DEFAULT, COLOR)
        .mine(state, base, drifted, NO_PAIRS);
  }

  @Test
  void aNewValueWhoseRowsAllCarryOneLabelIsATrigger() {
    LabelState now = colors(480);
    add(now, "purple", "yes", 80);
    List<TriggerMiner.Candidate> found = mine(now, colors(500), Set.of());
    assertEquals(1, found.size());
    TriggerRecord row = found.get(0).record(new Scope("d", "p", "run"), List.of("id-1"));
    assertEquals("color = 'purple'", row.trigger());
    assertEquals(List.of("color"), row.columns());
    assertEquals(List.of("purple"), row.triggerValues());
    assertEquals("yes", row.targetLabel());
    assertEquals(80L, row.support());
    assertEquals(80L, row.targetRows());
    assertEquals(1.0, row.purity());
    assertEquals(0.0, row.baselineShare());
    // share 80 / 2000 = 0.04 over the floor of an unseen value's baseline share, 0.5 / 2000
    assertEquals(160.0, row.lift(), 1e-9);
    assertEquals(List.of("id-1"), row.sampleIds());
    assertEquals("FAIL", row.status());
    assertEquals(
        "label-drift: backdoor trigger candidate: color = 'purple' -> label 'yes' on 80 of 80 rows (purity 1"
            + " >= 0.95, support 4% of the partition, 160x its baseline share 0)",
        row.reason());
  }

  @Test
  void aMixedNewValueIsNoTrigger() {
    LabelState now = colors(480);
    add(now, "purple", "yes", 40);
    add(now, "purple", "no", 40);
    assertTrue(mine(now, colors(500), Set.of()).isEmpty());
  }

  @Test
  void aValueBelowMinSupportIsNoTrigger() {
    // yes is a tenth of the rows, so 9 or 10 pure rows are no chance (0.1^9); 9 rows < min_support
    // 10
    LabelState below = colors(100, 900);
    add(below, "purple", "yes", 9);
    assertTrue(mine(below, colors(100, 900), Set.of()).isEmpty());
    LabelState atMin = colors(100, 900);
    add(atMin, "purple", "yes", 10);
    assertEquals(1, mine(atMin, colors(100, 900), Set.of()).size());
  }

  @Test
  void pureRowsOfAnEvenLabelMustBeBeyondChance() {
    // yes holds about half the rows: 13 pure rows happen with chance 0.5034^13 = 1.3e-4 > 1e-4, 14
    // with
    // 0.5036^14 = 6.7e-5 <= 1e-4
    LabelState thirteen = colors(480);
    add(thirteen, "purple", "yes", 13);
    assertTrue(mine(thirteen, colors(500), Set.of()).isEmpty());
    LabelState fourteen = colors(480);
    add(fourteen, "purple", "yes", 14);
    assertEquals(1, mine(fourteen, colors(500), Set.of()).size());
  }

  @Test
  void aFeatureThatDriftedIsNoTriggerSource() {
    LabelState now = colors(480);
    add(now, "purple", "yes", 80);
    assertTrue(mine(now, colors(500), Set.of("color")).isEmpty());
  }

  @Test
  void aFeatureWhoseValuesAreMostlyNewIsNoTriggerSource() {
    // 600 of 2000 rows (30% > 25%) carry values the baseline never had: a new encoding, not a
    // trigger
    LabelState now = colors(350);
    add(now, "purple", "yes", 80);
    add(now, "violet", "no", 260);
    add(now, "mauve", "no", 260);
    assertTrue(mine(now, colors(500), Set.of()).isEmpty());
  }

  @Test
  void withoutLabelledRowsNothingIsMined() {
    LabelState now = colors(480);
    add(now, "purple", "yes", 80);
    assertTrue(mine(now, new LabelState(0, 1), Set.of()).isEmpty());
    assertTrue(mine(new LabelState(0, 1), colors(500), Set.of()).isEmpty());
  }

  @Test
  void aValueWithoutEvidenceLeavesTheOtherValuesShare() {
    assertEquals(0.53, TriggerMiner.together(0.53, 0.25, 0.25), 1e-12);
    assertEquals(0.53, TriggerMiner.together(0.25, 0.53, 0.25), 1e-12);
  }

  @Test
  void twoValuesThatEachGoWithTheLabelArePurerTogether() {
    // Adult's first day: a master's degree 0.53 >50K, a managerial job 0.43, the label 0.25 overall
    double together = TriggerMiner.together(0.528, 0.431, 0.246);
    assertEquals(0.722, together, 0.001);
    assertTrue(together > 0.528);
  }

  @Test
  void aValueThatGoesAgainstTheLabelLowersTheShare() {
    // divorced (0.10 >50K) and wife (0.47): a combination of common values the baseline never had
    double together = TriggerMiner.together(0.10, 0.47, 0.24);
    assertTrue(together < 0.24, "below the label's share: " + together);
    assertTrue(together > 0.10, "above the divorced share: " + together);
  }

  @Test
  void certaintyIsClampedSoTheShareStaysAProbability() {
    double together = TriggerMiner.together(1.0, 0.0, 0.5);
    assertTrue(together > 0 && together < 1, "a probability: " + together);
  }
}
