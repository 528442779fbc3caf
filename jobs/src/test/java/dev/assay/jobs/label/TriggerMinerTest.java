package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What two values predict together, the prior a value combination's own history is shrunk towards. */
@Tag("fast")
class TriggerMinerTest {
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
