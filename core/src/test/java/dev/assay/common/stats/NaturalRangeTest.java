package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class NaturalRangeTest {
  @Test
  void upperIsMedianPlusFourRobustSigmasOrTheLargestValue() {
    // 1 1 2 2 4 6 9: median 2, MAD 1 -> sigma 1.4826; 2 + 4 * 1.4826 = 7.93 < max 9
    NaturalRange wide = NaturalRange.of(new double[] {1, 1, 2, 2, 4, 6, 9});
    assertEquals(7, wide.samples());
    assertEquals(2, wide.median());
    assertEquals(9, wide.upper(), 1e-12);
    // 1 2 3 4 5: median 3, MAD 1 -> 3 + 4 * 1.4826 = 8.9304 > max 5
    NaturalRange spread = NaturalRange.of(new double[] {5, 1, 4, 2, 3});
    assertEquals(3 + 4 * Robust.MAD_TO_SIGMA, spread.upper(), 1e-12);
    assertTrue(spread.exceededBy(9));
    assertFalse(spread.exceededBy(8.9));
  }

  @Test
  void fromEightValuesOneOutlierAloneDoesNotWidenTheRange() {
    // one poisoned partition (0.9) among natural ones: 0.01..0.07 and 0.2; median 0.05, MAD 0.02,
    // so 0.05 + 4 sigma = 0.169
    double[] window = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.2, 0.9};
    NaturalRange range = NaturalRange.of(window);
    assertEquals(0.2, range.upper(), 1e-12);
    assertTrue(range.exceededBy(0.5));
    // with fewer values the largest still counts: too few to tell an outlier from a heavy tail
    assertEquals(0.9, NaturalRange.of(new double[] {0.01, 0.02, 0.03, 0.9}).upper(), 1e-12);
  }

  @Test
  void unknownWithFewerThanThreeFiniteValues() {
    assertNull(NaturalRange.of(new double[] {0.1, Double.NaN, 0.3}));
    assertEquals(3, NaturalRange.of(new double[] {0.1, 0.2, Double.NaN, 0.3}).samples());
  }
}
