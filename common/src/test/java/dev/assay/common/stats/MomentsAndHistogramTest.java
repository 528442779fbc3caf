package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MomentsAndHistogramTest {
  @Test
  void sampleStddevMatchesTheTextbookExample() {
    Moments m = Moments.empty();
    for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      m = m.add(x);
    }
    assertEquals(5.0, m.mean(), 1e-12);
    assertEquals(Math.sqrt(32.0 / 7), m.stddev(), 1e-12);
    assertEquals(2.0, m.min());
    assertEquals(9.0, m.max());
  }

  @Test
  void mergedMomentsEqualMomentsOfTheConcatenatedData() {
    Moments a = Moments.empty().add(1).add(2);
    Moments b = Moments.empty().add(10).add(-3).add(4);
    Moments all = Moments.empty().add(1).add(2).add(10).add(-3).add(4);
    Moments merged = a.merge(b);
    assertEquals(all.count(), merged.count());
    assertEquals(all.mean(), merged.mean(), 1e-12);
    assertEquals(all.stddev(), merged.stddev(), 1e-12);
    assertEquals(-3.0, merged.min());
    assertTrue(Double.isNaN(Moments.empty().mean()));
  }

  @Test
  void binIndexPutsEdgeValuesInTheUpperBin() {
    double[] edges = {0, 10, 20};
    assertEquals(0, BinnedHistogram.binIndex(edges, -5));
    assertEquals(1, BinnedHistogram.binIndex(edges, 0));
    assertEquals(1, BinnedHistogram.binIndex(edges, 9.99));
    assertEquals(2, BinnedHistogram.binIndex(edges, 10));
    assertEquals(3, BinnedHistogram.binIndex(edges, 20));
    assertEquals(3, BinnedHistogram.binIndex(edges, 1e9));
  }

  @Test
  void histogramsWithDifferentEdgesCannotMerge() {
    BinnedHistogram a = BinnedHistogram.of(new double[] {1}, new long[] {1, 2});
    BinnedHistogram b = BinnedHistogram.of(new double[] {2}, new long[] {1, 2});
    assertArrayEquals(new long[] {2, 4}, a.merge(a).counts());
    assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertThrows(IllegalArgumentException.class, () -> BinnedHistogram.of(new double[] {2, 1}, new long[] {0, 0, 0}));
  }

  @Test
  void representativePointsAreStrictlyIncreasing() {
    BinnedHistogram h = BinnedHistogram.of(new double[] {0, 10}, new long[] {1, 1, 1});
    assertArrayEquals(new double[] {-5, 5, 15}, h.representativePoints(-10, 20), 1e-12);
    double[] flat = h.representativePoints(0, 10);
    for (int i = 1; i < flat.length; i++) {
      assertTrue(flat[i] > flat[i - 1]);
    }
  }

  @Test
  void quantileEdgesDropDuplicatesAndNonFiniteValues() {
    assertArrayEquals(new double[] {0, 1, 3},
        QuantileEdges.fromQuantiles(new double[] {3, 0, 0, Double.NaN, 1, Double.POSITIVE_INFINITY}), 0);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75}, QuantileEdges.probabilities(4), 1e-15);
  }
}
