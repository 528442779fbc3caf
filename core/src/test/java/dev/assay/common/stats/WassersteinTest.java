package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.RawWasserstein;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class WassersteinTest {
  private static final double EXACT = 1e-12;

  private static Map<Double, Long> counts(double... raw) {
    Map<Double, Long> counts = new HashMap<>();
    for (double v : raw) {
      counts.merge(v, 1L, Long::sum);
    }
    return counts;
  }

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void twoPointMassesAreTheirDistanceApart() {
    assertEquals(4.5, Wasserstein.exact(Map.of(3.0, 5L), Map.of(7.5, 2L)), EXACT);
    assertEquals(4.5, Wasserstein.exact(Map.of(7.5, 2L), Map.of(3.0, 5L)), EXACT);
  }

  @Test
  void identicalDistributionsAreZeroApartWhateverTheirSampleSizes() {
    assertEquals(
        0.0, Wasserstein.exact(Map.of(1.0, 1L, 2.0, 3L), Map.of(1.0, 10L, 2.0, 30L)), EXACT);
  }

  @Test
  void aShiftedDistributionIsTheShiftAway() {
    Random random = new Random(7);
    Map<Double, Long> base = new HashMap<>();
    Map<Double, Long> shifted = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      double v = random.nextInt(1000) / 8.0;
      long count = 1 + random.nextInt(9);
      base.merge(v, count, Long::sum);
      shifted.merge(v + 2.25, count, Long::sum);
    }
    assertEquals(2.25, Wasserstein.exact(base, shifted), 1e-9);
  }

  @Test
  void matchesTheCdfDefinitionByHand() {
    // F_a: 1/4 at 0, 1/2 at 1, 1 at 3. F_b: 1/2 at 1, 3/4 at 2, 1 at 5.
    // [0,1): 1/4 · 1; [1,2): 0; [2,3): 1/4 · 1; [3,5): 1/4 · 2. Total 1.
    assertEquals(
        1.0,
        Wasserstein.exact(Map.of(0.0, 1L, 1.0, 1L, 3.0, 2L), Map.of(1.0, 2L, 2.0, 1L, 5.0, 1L)),
        EXACT);
  }

  @Test
  void matchesScipysDocumentedExamples() {
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0
    assertEquals(5.0, Wasserstein.exact(counts(0, 1, 3), counts(5, 6, 8)), EXACT);
    // wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) = 0.25
    assertEquals(
        0.25,
        Wasserstein.discrete(
            new double[] {0, 1}, new long[] {3, 1}, new double[] {0, 1}, new long[] {2, 2}),
        EXACT);
    // wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5])
    //   = 4.0781331438047861; only the weights' proportions matter, so they are scaled by 10.
    assertEquals(
        4.0781331438047861,
        Wasserstein.discrete(
            new double[] {3.4, 3.9, 7.5, 7.8},
            new long[] {14, 9, 31, 72},
            new double[] {1.4, 4.5},
            new long[] {35, 32}),
        1e-12);
  }

  @Test
  void exactCountsMatchTheBruteForceDistanceOfTheRawValues() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      double[] a = new double[200 + random.nextInt(300)];
      double[] b = new double[50 + random.nextInt(500)];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextInt(30) * 0.5;
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(25) * 0.5 + (random.nextBoolean() ? 1 : 0);
      }
      double expected = RawWasserstein.distance(a, b);
      assertEquals(
          expected,
          Wasserstein.exact(counts(a), counts(b)),
          1e-9 * Math.max(1, expected),
          "trial " + trial);
      assertEquals(
          expected,
          Wasserstein.exact(ValueCounts.of(counts(a)), ValueCounts.of(counts(b))),
          1e-9 * Math.max(1, expected),
          "trial " + trial);
    }
  }

  @Test
  void repeatedValuesInTheArraysAddUp() {
    double split =
        Wasserstein.discrete(
            new double[] {1, 1, 2},
            new long[] {1, 2, 1},
            new double[] {0, 3, 3},
            new long[] {1, 1, 2});
    double summed =
        Wasserstein.discrete(
            new double[] {1, 2}, new long[] {3, 1}, new double[] {0, 3}, new long[] {1, 3});
    assertEquals(summed, split, EXACT);
  }

  @Test
  void zeroAndMinusZeroAreTheSamePoint() {
    assertEquals(
        0.0,
        Wasserstein.discrete(
            new double[] {-0.0, 1}, new long[] {1, 1}, new double[] {0.0, 1}, new long[] {1, 1}),
        EXACT);
  }

  @Test
  void rejectsEmptyUnsortedOrNonFiniteInput() {
    assertRejected(
        "sum to 0",
        () ->
            Wasserstein.discrete(
                new double[] {1}, new long[] {0}, new double[] {1}, new long[] {1}));
    assertRejected("sum to 0", () -> Wasserstein.exact(Map.of(), Map.of(1.0, 1L)));
    assertRejected(
        "non-decreasing",
        () ->
            Wasserstein.discrete(
                new double[] {2, 1}, new long[] {1, 1}, new double[] {1}, new long[] {1}));
    assertRejected(
        "must be finite",
        () ->
            Wasserstein.discrete(
                new double[] {1},
                new long[] {1},
                new double[] {Double.POSITIVE_INFINITY},
                new long[] {1}));
    assertRejected(
        "non-negative",
        () ->
            Wasserstein.discrete(
                new double[] {1, 2}, new long[] {2, -1}, new double[] {1}, new long[] {1}));
    assertRejected(
        "one weight per value",
        () ->
            Wasserstein.discrete(
                new double[] {1, 2}, new long[] {1}, new double[] {1}, new long[] {1}));
  }
}
