package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class DivergencesTest {
  private static final double EXACT = 1e-12;

  @Test
  void psiOfIdenticalDistributionsIsZero() {
    assertEquals(0.0, Divergences.psi(new long[] {10, 20, 30}, new long[] {1, 2, 3}), EXACT);
  }

  @Test
  void psiMatchesTheDefinitionByHand() {
    // baseline 0.25/0.25/0.5, current 0.5/0.25/0.25
    double expected = (0.5 - 0.25) * Math.log(0.5 / 0.25) + 0 + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    assertEquals(expected, Divergences.psi(new long[] {1, 1, 2}, new long[] {2, 1, 1}), EXACT);
  }

  @Test
  void psiReplacesEmptyBinsWithEpsilon() {
    double e = Divergences.PSI_EPSILON;
    double expected = (0.5 - 1.0) * Math.log(0.5 / 1.0) + (0.5 - e) * Math.log(0.5 / e);
    assertEquals(expected, Divergences.psi(new long[] {4, 0}, new long[] {1, 1}), EXACT);
  }

  @Test
  void jsDistanceOfDisjointDistributionsIsSqrtLn2() {
    assertEquals(0.8325546111576977, Divergences.jsDistance(new long[] {1, 0, 0}, new long[] {0, 1, 0}), 1e-15);
    assertEquals(Math.sqrt(Math.log(2)), Divergences.jsDistance(new long[] {5, 0}, new long[] {0, 7}), EXACT);
  }

  @Test
  void jsDistanceMatchesTheDefinitionByHand() {
    double[] p = {0.25, 0.75};
    double[] q = {0.5, 0.5};
    double js = 0;
    for (int i = 0; i < 2; i++) {
      double m = (p[i] + q[i]) / 2;
      js += 0.5 * p[i] * Math.log(p[i] / m) + 0.5 * q[i] * Math.log(q[i] / m);
    }
    assertEquals(Math.sqrt(js), Divergences.jsDistance(new long[] {1, 3}, new long[] {2, 2}), EXACT);
  }

  @Test
  void linfIsTheLargestShareChange() {
    assertEquals(0.25, Divergences.linf(new long[] {1, 1, 2}, new long[] {2, 1, 1}), EXACT);
  }

  @Test
  void ksStatisticIsTheLargestCdfGap() {
    // CDFs: baseline 0.25, 0.5, 1; current 0.5, 0.75, 1
    assertEquals(0.25, Divergences.ksStatistic(new long[] {1, 1, 2}, new long[] {2, 1, 1}), EXACT);
    assertEquals(0.3, Divergences.ksStatisticFromCdfs(new double[] {0.1, 0.5}, new double[] {0.4, 0.6}), EXACT);
  }

  @Test
  void chiSquarePValueMatchesTheTextbookStatistic() {
    long[] a = {30, 10};
    long[] b = {20, 20};
    // 2x2 homogeneity: expected 25/15 per cell; statistic = sum (o-e)^2/e
    double statistic = 2 * (25.0 / 25 + 25.0 / 15);
    double expected = 1 - new ChiSquaredDistribution(1).cumulativeProbability(statistic);
    assertEquals(expected, Divergences.chiSquarePValue(a, b), 1e-9);
  }

  @Test
  void chiSquareDropsBinsEmptyInBothAndIsOneForASingleCategory() {
    assertEquals(Divergences.chiSquarePValue(new long[] {30, 10}, new long[] {20, 20}),
        Divergences.chiSquarePValue(new long[] {30, 0, 10}, new long[] {20, 0, 20}), EXACT);
    assertEquals(1.0, Divergences.chiSquarePValue(new long[] {5, 0}, new long[] {9, 0}), EXACT);
  }

  @Test
  void wassersteinOfAShiftedPointMassIsTheShift() {
    // scipy.stats.wasserstein_distance([0,1,3],[5,6,8]) = 5 on the common support 0,1,3,5,6,8
    double[] points = {0, 1, 3, 5, 6, 8};
    assertEquals(5.0, Divergences.wasserstein(points, new long[] {1, 1, 1, 0, 0, 0}, new long[] {0, 0, 0, 1, 1, 1}), EXACT);
  }

  @Test
  void invalidInputsAreRejectedWithTheirValues() {
    IllegalArgumentException lengths =
        assertThrows(IllegalArgumentException.class, () -> Divergences.psi(new long[] {1}, new long[] {1, 2}));
    assertTrue(lengths.getMessage().contains("1 and 2"), lengths.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Divergences.psi(new long[] {-1, 2}, new long[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> Divergences.jsDistance(new long[] {0, 0}, new long[] {1, 2}));
  }
}
