package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ValueCountsTest {
  private static ValueCounts range(int from, int to) {
    Map<Double, Long> counts = new HashMap<>();
    for (int v = from; v < to; v++) {
      counts.put((double) v, 1L + v % 3);
    }
    return ValueCounts.of(counts);
  }

  @Test
  void aMapBecomesSortedValuesWithTheirCounts() {
    ValueCounts counts = ValueCounts.of(Map.of(3.0, 2L, -1.5, 1L, 0.0, 4L));
    assertArrayEquals(new double[] {-1.5, 0.0, 3.0}, counts.values());
    assertArrayEquals(new long[] {1, 4, 2}, counts.counts());
    assertEquals(7, counts.total());
  }

  @Test
  void minusZeroAndZeroAreOneValue() {
    Map<Double, Long> counts = new HashMap<>();
    counts.put(-0.0, 2L);
    counts.put(0.0, 3L);
    ValueCounts merged = ValueCounts.of(counts);
    assertEquals(1, merged.size());
    assertEquals(5, merged.count(0));
    assertEquals(0, Double.compare(0.0, merged.value(0)), "stored as +0.0");
  }

  @Test
  void mergeAddsCountsPerValue() {
    ValueCounts a = ValueCounts.of(new double[] {1, 2, 4}, new long[] {1, 1, 1});
    ValueCounts b = ValueCounts.of(new double[] {0, 2, 5}, new long[] {3, 2, 1});
    ValueCounts merged = ValueCounts.merge(a, b);
    assertArrayEquals(new double[] {0, 1, 2, 4, 5}, merged.values());
    assertArrayEquals(new long[] {3, 1, 3, 1, 1}, merged.counts());
    assertEquals(merged, ValueCounts.merge(b, a), "merge is commutative");
  }

  @Test
  void mergeIsAssociativeAndEmptyIsItsIdentity() {
    ValueCounts a = range(0, 30);
    ValueCounts b = range(20, 50);
    ValueCounts c = range(45, 80);
    assertEquals(
        ValueCounts.merge(ValueCounts.merge(a, b), c),
        ValueCounts.merge(a, ValueCounts.merge(b, c)));
    ValueCounts empty = ValueCounts.of(new double[0], new long[0]);
    assertEquals(a, ValueCounts.merge(a, empty));
    assertEquals(a, ValueCounts.merge(empty, a));
  }

  @Test
  void exactlyTheCapStillMergesButOneMoreValueGivesNull() {
    ValueCounts low = range(0, 50);
    assertEquals(ValueCounts.MAX_DISTINCT, ValueCounts.merge(low, range(50, 100)).size());
    assertNull(ValueCounts.merge(low, range(50, 101)), "101 distinct values are not kept");
    assertNull(ValueCounts.merge(range(0, 100), range(100, 101)));
  }

  @Test
  void aMissingSideMakesTheMergeMissing() {
    assertNull(ValueCounts.merge(range(0, 3), null));
    assertNull(ValueCounts.merge(null, range(0, 3)));
  }

  @Test
  void aMapOverTheCapGivesNull() {
    Map<Double, Long> counts = new HashMap<>();
    for (int v = 0; v <= ValueCounts.MAX_DISTINCT; v++) {
      counts.put((double) v, 1L);
    }
    assertNull(ValueCounts.of(counts));
  }

  @Test
  void rejectsUnsortedNonFiniteOrNonPositiveInput() {
    assertMessage(
        "strictly increasing", () -> ValueCounts.of(new double[] {1, 1}, new long[] {1, 1}));
    assertMessage(
        "strictly increasing", () -> ValueCounts.of(new double[] {2, 1}, new long[] {1, 1}));
    assertMessage(
        "must be finite", () -> ValueCounts.of(new double[] {Double.NaN}, new long[] {1}));
    assertMessage("must be positive", () -> ValueCounts.of(new double[] {1}, new long[] {0}));
    assertMessage("one count per value", () -> ValueCounts.of(new double[] {1}, new long[] {1, 2}));
    assertMessage("at most 100", () -> ValueCounts.of(new double[101], new long[101]));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
