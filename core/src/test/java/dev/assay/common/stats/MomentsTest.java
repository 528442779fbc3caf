package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class MomentsTest {
  private static final double EXACT = 1e-12;

  private static Moments of(double... values) {
    Moments m = Moments.empty();
    for (double x : values) {
      m = m.add(x);
    }
    return m;
  }

  @Test
  void sampleStddevMatchesTheTextbookExample() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, sample variance 32 / 7
    Moments m = of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(8, m.count());
    assertEquals(40.0, m.sum(), EXACT);
    assertEquals(4 + 3 * 16 + 2 * 25 + 49 + 81, m.sumSquares(), EXACT);
    assertEquals(5.0, m.mean(), EXACT);
    assertEquals(Math.sqrt(32.0 / 7), m.stddev(), EXACT);
    assertEquals(2.0, m.min());
    assertEquals(9.0, m.max());
  }

  @Test
  void mergedMomentsEqualMomentsOfTheConcatenatedData() {
    Moments a = of(1, 2);
    Moments b = of(10, -3, 4);
    Moments all = of(1, 2, 10, -3, 4);
    assertEquals(all, a.merge(b));
    assertEquals(all, b.merge(a));
    assertEquals(5, a.merge(b).count());
    assertEquals(-3.0, a.merge(b).min());
    assertEquals(10.0, a.merge(b).max());
  }

  @Test
  void mergeOfFractionalDataMatchesTheConcatenationWithinRounding() {
    Moments a = of(0.1, 0.7, 2.25);
    Moments b = of(-1.3, 4.4);
    Moments all = of(0.1, 0.7, 2.25, -1.3, 4.4);
    Moments merged = a.merge(b);
    assertEquals(all.count(), merged.count());
    assertEquals(all.sum(), merged.sum(), EXACT);
    assertEquals(all.sumSquares(), merged.sumSquares(), EXACT);
    assertEquals(all.mean(), merged.mean(), EXACT);
    assertEquals(all.stddev(), merged.stddev(), EXACT);
    assertEquals(all.min(), merged.min());
    assertEquals(all.max(), merged.max());
  }

  @Test
  void mergeWithEmptyIsTheIdentity() {
    Moments a = of(3, 8);
    assertEquals(a, a.merge(Moments.empty()));
    assertEquals(a, Moments.empty().merge(a));
    assertEquals(Moments.empty(), Moments.empty().merge(Moments.empty()));
  }

  @Test
  void addReturnsANewStateAndLeavesTheOldOneUnchanged() {
    Moments one = of(4);
    Moments two = one.add(6);
    assertEquals(1, one.count());
    assertEquals(4.0, one.sum());
    assertEquals(2, two.count());
    assertEquals(10.0, two.sum());
  }

  @Test
  void emptyMomentsHaveNaNStatistics() {
    Moments empty = Moments.empty();
    assertEquals(0, empty.count());
    assertEquals(0.0, empty.sum());
    assertEquals(0.0, empty.sumSquares());
    assertTrue(Double.isNaN(empty.mean()));
    assertTrue(Double.isNaN(empty.stddev()));
    assertTrue(Double.isNaN(empty.min()));
    assertTrue(Double.isNaN(empty.max()));
  }

  @Test
  void stddevOfASingleValueIsNaN() {
    Moments one = of(42);
    assertEquals(42.0, one.mean());
    assertTrue(Double.isNaN(one.stddev()));
  }

  @Test
  void stddevOfConstantValuesIsZeroEvenWhenRoundingGoesNegative() {
    // 0.1 is inexact: sumSquares − sum² / n rounds to a tiny non-zero value
    Moments constant = of(0.1, 0.1, 0.1);
    assertEquals(0.0, constant.stddev(), 1e-8);
    assertTrue(constant.stddev() >= 0);
    // a state whose rounded sums give a negative variance is clamped to 0, not NaN
    Moments negative = Moments.of(3, 0.30000000000000004, 0.03, 0.1, 0.1);
    assertTrue(0.03 - 0.30000000000000004 * 0.30000000000000004 / 3 < 0);
    assertEquals(0.0, negative.stddev());
  }

  @Test
  void ofRebuildsTheStateFromItsParts() {
    Moments m = of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(m, Moments.of(8, 40, 232, 2, 9));
    assertSame(Moments.empty(), Moments.of(0, 0, 0, Double.NaN, Double.NaN));
  }

  @Test
  void ofRejectsInconsistentParts() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Moments.of(-1, 0, 0, 0, 0));
    assertTrue(negative.getMessage().contains("Invalid count -1"), negative.getMessage());
    IllegalArgumentException swapped =
        assertThrows(IllegalArgumentException.class, () -> Moments.of(2, 3, 5, 2, 1));
    assertTrue(swapped.getMessage().contains("min 2.0 and max 1.0"), swapped.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Moments.of(2, 3, -5, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> Moments.of(0, 3, 0, 1, 2));
  }

  @Test
  void addRejectsNonFiniteValues() {
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> Moments.empty().add(Double.NaN));
    assertTrue(nan.getMessage().contains("Invalid value NaN"), nan.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Moments.empty().add(Double.NEGATIVE_INFINITY));
  }
}
