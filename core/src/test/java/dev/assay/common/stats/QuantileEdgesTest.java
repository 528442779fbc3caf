package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class QuantileEdgesTest {
  @Test
  void quantileEdgesAreSortedDistinctAndFinite() {
    double[] quantiles = {3, 0, 0, Double.NaN, 1, Double.POSITIVE_INFINITY, -2, 3};
    assertArrayEquals(new double[] {-2, 0, 1, 3}, QuantileEdges.fromQuantiles(quantiles), 0);
  }

  @Test
  void quantileEdgesOfSortedDistinctValuesAreUnchanged() {
    double[] quantiles = {-1.5, 0.25, 7};
    assertArrayEquals(quantiles, QuantileEdges.fromQuantiles(quantiles), 0);
  }

  @Test
  void quantileEdgesCollapseNegativeAndPositiveZero() {
    double[] edges = QuantileEdges.fromQuantiles(new double[] {0.0, -0.0, 1});
    assertEquals(2, edges.length);
    assertEquals(0, Double.compare(0.0, edges[0]));
  }

  @Test
  void quantileEdgesOfAConstantFeatureAreOneEdge() {
    assertArrayEquals(
        new double[] {4.2}, QuantileEdges.fromQuantiles(new double[] {4.2, 4.2, 4.2}), 0);
  }

  @Test
  void quantileEdgesAreEmptyWhenNothingIsFinite() {
    double[] none = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    assertEquals(0, QuantileEdges.fromQuantiles(none).length);
    assertEquals(0, QuantileEdges.fromQuantiles(new double[0]).length);
  }

  @Test
  void quantileEdgesDoNotModifyTheirInput() {
    double[] quantiles = {3, 1, 2};
    QuantileEdges.fromQuantiles(quantiles);
    assertArrayEquals(new double[] {3, 1, 2}, quantiles, 0);
  }

  @Test
  void probabilitiesAreTheInnerCutsOfEqualBins() {
    assertArrayEquals(new double[] {0.25, 0.5, 0.75}, QuantileEdges.probabilities(4), 0);
    assertArrayEquals(new double[] {0.5}, QuantileEdges.probabilities(2), 0);
    double[] tenths = QuantileEdges.probabilities(10);
    assertEquals(9, tenths.length);
    for (int i = 0; i < tenths.length; i++) {
      assertEquals((i + 1) / 10.0, tenths[i], 1e-15);
    }
  }

  @Test
  void probabilitiesNeedAtLeastTwoBins() {
    IllegalArgumentException one =
        assertThrows(IllegalArgumentException.class, () -> QuantileEdges.probabilities(1));
    assertTrue(one.getMessage().contains("Invalid bins 1"), one.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QuantileEdges.probabilities(0));
    assertThrows(IllegalArgumentException.class, () -> QuantileEdges.probabilities(-3));
  }
}
