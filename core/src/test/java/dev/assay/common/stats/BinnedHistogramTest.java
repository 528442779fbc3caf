package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class BinnedHistogramTest {
  private static final double EXACT = 1e-12;

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  private static void assertStrictlyIncreasing(double[] points) {
    for (int i = 1; i < points.length; i++) {
      assertTrue(points[i] > points[i - 1], "point " + i + " of " + points.length);
    }
  }

  @Test
  void binIndexPutsEdgeValuesInTheUpperBin() {
    double[] edges = {0, 10, 20};
    assertEquals(0, BinnedHistogram.binIndex(edges, -5));
    assertEquals(0, BinnedHistogram.binIndex(edges, Math.nextDown(0.0)));
    assertEquals(1, BinnedHistogram.binIndex(edges, 0));
    assertEquals(1, BinnedHistogram.binIndex(edges, -0.0));
    assertEquals(1, BinnedHistogram.binIndex(edges, 9.99));
    assertEquals(2, BinnedHistogram.binIndex(edges, 10));
    assertEquals(2, BinnedHistogram.binIndex(edges, Math.nextDown(20.0)));
    assertEquals(3, BinnedHistogram.binIndex(edges, 20));
    assertEquals(3, BinnedHistogram.binIndex(edges, 1e300));
    assertEquals(0, BinnedHistogram.binIndex(edges, -Double.MAX_VALUE));
  }

  @Test
  void binIndexWithOneEdgeSplitsIntoUnderflowAndOverflow() {
    double[] edges = {1.5};
    assertEquals(0, BinnedHistogram.binIndex(edges, 1.4));
    assertEquals(1, BinnedHistogram.binIndex(edges, 1.5));
    assertEquals(1, BinnedHistogram.binIndex(edges, 2));
  }

  @Test
  void binIndexAgreesWithALinearScan() {
    double[] edges = {-3, -1, 0, 0.5, 2, 7, 100};
    for (double x = -5; x <= 110; x += 0.25) {
      int expected = 0;
      while (expected < edges.length && edges[expected] <= x) {
        expected++;
      }
      assertEquals(expected, BinnedHistogram.binIndex(edges, x), "x = " + x);
    }
  }

  @Test
  void accessorsReturnDefensiveCopies() {
    double[] edges = {1, 2};
    long[] counts = {3, 4, 5};
    BinnedHistogram h = BinnedHistogram.of(edges, counts);
    edges[0] = -100;
    counts[0] = -100;
    h.edges()[1] = 99;
    h.counts()[2] = 99;
    assertArrayEquals(new double[] {1, 2}, h.edges());
    assertArrayEquals(new long[] {3, 4, 5}, h.counts());
    assertEquals(12, h.total());
  }

  @Test
  void mergeAddsCountsBinByBin() {
    BinnedHistogram a = BinnedHistogram.of(new double[] {0, 1}, new long[] {1, 2, 3});
    BinnedHistogram b = BinnedHistogram.of(new double[] {0, 1}, new long[] {10, 0, 5});
    BinnedHistogram merged = a.merge(b);
    assertArrayEquals(new long[] {11, 2, 8}, merged.counts());
    assertArrayEquals(new double[] {0, 1}, merged.edges());
    assertEquals(a.total() + b.total(), merged.total());
    assertEquals(merged, b.merge(a));
  }

  @Test
  void histogramsWithDifferentEdgesCannotMerge() {
    BinnedHistogram a = BinnedHistogram.of(new double[] {1}, new long[] {1, 2});
    BinnedHistogram b = BinnedHistogram.of(new double[] {2}, new long[] {1, 2});
    BinnedHistogram c = BinnedHistogram.of(new double[] {1, 2}, new long[] {1, 2, 3});
    assertRejected(
        "Cannot merge histograms with different edges [1.0] and [2.0]", () -> a.merge(b));
    assertRejected("Cannot merge histograms with different edges", () -> a.merge(c));
  }

  @Test
  void ofRejectsEdgesThatAreNotFiniteAndStrictlyIncreasing() {
    assertRejected(
        "Invalid edges [2.0, 1.0]", () -> BinnedHistogram.of(new double[] {2, 1}, new long[3]));
    assertRejected(
        "Invalid edges [1.0, 1.0]", () -> BinnedHistogram.of(new double[] {1, 1}, new long[3]));
    assertRejected("NaN", () -> BinnedHistogram.of(new double[] {0, Double.NaN}, new long[3]));
    assertRejected(
        "Infinity",
        () -> BinnedHistogram.of(new double[] {Double.NEGATIVE_INFINITY, 0}, new long[3]));
    assertRejected("Invalid edges []", () -> BinnedHistogram.of(new double[0], new long[1]));
  }

  @Test
  void ofRejectsAWrongNumberOfCountsOrNegativeCounts() {
    assertRejected(
        "2 edges need 3 counts", () -> BinnedHistogram.of(new double[] {0, 1}, new long[2]));
    assertRejected(
        "Invalid count -4 in bin 1",
        () -> BinnedHistogram.of(new double[] {0}, new long[] {1, -4}));
  }

  @Test
  void representativePointsAreInnerMidpointsAndHalfwayToTheExtremes() {
    BinnedHistogram h = BinnedHistogram.of(new double[] {0, 10, 30}, new long[] {1, 1, 1, 1});
    double[] points = h.representativePoints(-4, 36);
    assertArrayEquals(
        new double[] {(-4 + 0) / 2.0, (0 + 10) / 2.0, (10 + 30) / 2.0, (30 + 36) / 2.0},
        points,
        EXACT);
    assertStrictlyIncreasing(points);
  }

  @Test
  void representativePointsClampFarTailsToOneNeighbouringBinWidth() {
    BinnedHistogram h = BinnedHistogram.of(new double[] {0, 10, 30}, new long[] {1, 1, 1, 1});
    // underflow tail ends at 0 - 10 (first bin width), overflow at 30 + 20 (last bin width)
    assertArrayEquals(new double[] {-5, 5, 20, 40}, h.representativePoints(-1e9, 1e9), EXACT);
  }

  @Test
  void representativePointsUseTheEdgeWhenNothingLiesBeyondIt() {
    BinnedHistogram h = BinnedHistogram.of(new double[] {0, 10, 30}, new long[] {0, 1, 1, 0});
    assertArrayEquals(new double[] {0, 5, 20, 30}, h.representativePoints(0, 30), EXACT);
    assertArrayEquals(new double[] {0, 5, 20, 30}, h.representativePoints(3, 12), EXACT);
    assertArrayEquals(
        new double[] {0, 5, 20, 30}, h.representativePoints(Double.NaN, Double.NaN), EXACT);
  }

  @Test
  void representativePointsOfASingleEdgeAreNudgedApart() {
    BinnedHistogram h = BinnedHistogram.of(new double[] {5}, new long[] {0, 3});
    double[] points = h.representativePoints(5, 5);
    assertEquals(5.0, points[0]);
    assertEquals(Math.nextUp(5.0), points[1]);
    assertStrictlyIncreasing(points);
    assertArrayEquals(new double[] {2.5, 7.5}, h.representativePoints(0, 10), EXACT);
  }

  @Test
  void representativePointsStayStrictlyIncreasingForAdjacentEdges() {
    double e0 = 1.0;
    double e1 = Math.nextUp(e0);
    double e2 = Math.nextUp(e1);
    BinnedHistogram h = BinnedHistogram.of(new double[] {e0, e1, e2}, new long[4]);
    double[] points = h.representativePoints(e0, e2);
    assertEquals(4, points.length);
    assertStrictlyIncreasing(points);
  }

  @Test
  void representativePointsDoNotOverflowNearTheLargestDouble() {
    BinnedHistogram h =
        BinnedHistogram.of(new double[] {-Double.MAX_VALUE / 2, Double.MAX_VALUE / 2}, new long[3]);
    double[] points = h.representativePoints(-Double.MAX_VALUE, Double.MAX_VALUE);
    for (double p : points) {
      assertTrue(Double.isFinite(p), String.valueOf(p));
    }
    assertStrictlyIncreasing(points);
  }

  @Test
  void representativePointsFeedWassersteinOnTheHistogramBins() {
    // baseline all below 0, current all at or above 10: mass moves from -5 to 15
    BinnedHistogram baseline = BinnedHistogram.of(new double[] {0, 10}, new long[] {4, 0, 0});
    BinnedHistogram current = BinnedHistogram.of(new double[] {0, 10}, new long[] {0, 0, 4});
    double[] points = baseline.representativePoints(-10, 20);
    assertEquals(
        15.0 - -5.0, Divergences.wasserstein(points, baseline.counts(), current.counts()), EXACT);
  }
}
