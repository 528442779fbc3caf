package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class DivergencesTest {
  private static final double EXACT = 1e-12;

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  // proportions

  @Test
  void proportionsDivideEachCountByTheTotal() {
    assertArrayEquals(
        new double[] {0.25, 0, 0.75}, Divergences.proportions(new long[] {1, 0, 3}), EXACT);
  }

  // PSI

  @Test
  void psiOfIdenticalDistributionsIsZero() {
    assertEquals(0.0, Divergences.psi(new long[] {10, 20, 30}, new long[] {1, 2, 3}), EXACT);
  }

  @Test
  void psiMatchesTheDefinitionByHand() {
    // baseline 1/4, 1/4, 1/2; current 2/4, 1/4, 1/4 (current given as 8 of 16 etc.)
    double expected =
        (0.5 - 0.25) * Math.log(0.5 / 0.25)
            + (0.25 - 0.25) * Math.log(0.25 / 0.25)
            + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    assertEquals(expected, Divergences.psi(new long[] {1, 1, 2}, new long[] {8, 4, 4}), EXACT);
    assertEquals(Math.log(2) / 2, expected, EXACT);
  }

  @Test
  void psiReplacesAnEmptyBinWithEpsilon() {
    double e = Divergences.PSI_EPSILON;
    // baseline 1, 0 becomes 1, e; current 1/2, 1/2
    double expected = (0.5 - 1.0) * Math.log(0.5 / 1.0) + (0.5 - e) * Math.log(0.5 / e);
    assertEquals(expected, Divergences.psi(new long[] {4, 0}, new long[] {1, 1}), EXACT);
    // empty on the current side: 1/2, 1/2 against e, 1
    double mirrored = (e - 0.5) * Math.log(e / 0.5) + (1.0 - 0.5) * Math.log(1.0 / 0.5);
    assertEquals(mirrored, Divergences.psi(new long[] {1, 1}, new long[] {0, 4}), EXACT);
  }

  @Test
  void psiIgnoresBinsEmptyOnBothSides() {
    assertEquals(
        Divergences.psi(new long[] {1, 3}, new long[] {3, 1}),
        Divergences.psi(new long[] {1, 0, 3}, new long[] {3, 0, 1}),
        EXACT);
  }

  @Test
  void psiIsSymmetricInBaselineAndCurrent() {
    long[] a = {5, 1, 7, 0};
    long[] b = {2, 2, 3, 9};
    assertEquals(Divergences.psi(a, b), Divergences.psi(b, a), EXACT);
  }

  @Test
  void psiOfASingleBinIsZero() {
    assertEquals(0.0, Divergences.psi(new long[] {7}, new long[] {3}), EXACT);
  }

  // Jensen-Shannon

  @Test
  void jsDistanceOfIdenticalDistributionsIsZero() {
    assertEquals(0.0, Divergences.jsDistance(new long[] {1, 0, 0}, new long[] {5, 0, 0}), EXACT);
    assertEquals(0.0, Divergences.jsDistance(new long[] {3, 1, 2}, new long[] {6, 2, 4}), EXACT);
  }

  @Test
  void jsDistanceOfDisjointDistributionsIsSqrtLn2() {
    // scipy.spatial.distance.jensenshannon([1, 0, 0], [0, 1, 0]) from the scipy docs
    assertEquals(
        0.8325546111576977,
        Divergences.jsDistance(new long[] {1, 0, 0}, new long[] {0, 1, 0}),
        EXACT);
    assertEquals(
        Math.sqrt(Math.log(2)),
        Divergences.jsDistance(new long[] {5, 0}, new long[] {0, 7}),
        EXACT);
  }

  @Test
  void jsDistanceMatchesTheScipyDocsExample() {
    // scipy.spatial.distance.jensenshannon([1.0, 0.0], [0.5, 0.5]) = 0.46450140402245893
    // By hand: m = (3/4, 1/4); KL(p||m) = ln(4/3); KL(q||m) = 1/2 ln(2/3) + 1/2 ln 2.
    double byHand =
        Math.sqrt(0.5 * Math.log(4.0 / 3) + 0.5 * (0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2)));
    assertEquals(0.46450140402245893, byHand, EXACT);
    assertEquals(byHand, Divergences.jsDistance(new long[] {2, 0}, new long[] {1, 1}), EXACT);
  }

  @Test
  void jsDistanceMatchesTheDefinitionByHand() {
    // p = (1/4, 3/4), q = (1/2, 1/2), m = (3/8, 5/8)
    double klPm = 0.25 * Math.log(0.25 / 0.375) + 0.75 * Math.log(0.75 / 0.625);
    double klQm = 0.5 * Math.log(0.5 / 0.375) + 0.5 * Math.log(0.5 / 0.625);
    double expected = Math.sqrt(0.5 * klPm + 0.5 * klQm);
    assertEquals(expected, Divergences.jsDistance(new long[] {1, 3}, new long[] {2, 2}), EXACT);
    assertEquals(expected, Divergences.jsDistance(new long[] {2, 2}, new long[] {1, 3}), EXACT);
  }

  @Test
  void jsDistanceOfASingleBinIsZero() {
    assertEquals(0.0, Divergences.jsDistance(new long[] {4}, new long[] {9}), EXACT);
  }

  // L-infinity

  @Test
  void linfIsTheLargestShareChange() {
    assertEquals(0.25, Divergences.linf(new long[] {1, 1, 2}, new long[] {2, 1, 1}), EXACT);
    // 3/4 vs 1/5 in the first bin, 1/4 vs 4/5 in the second
    assertEquals(3.0 / 4 - 1.0 / 5, Divergences.linf(new long[] {3, 1}, new long[] {1, 4}), EXACT);
  }

  @Test
  void linfOfDisjointDistributionsIsOne() {
    assertEquals(1.0, Divergences.linf(new long[] {0, 3}, new long[] {8, 0}), EXACT);
  }

  // Kolmogorov-Smirnov

  @Test
  void ksStatisticIsTheLargestCdfGapAtABinBoundary() {
    // CDFs: baseline 1/4, 1/2, 1; current 1/2, 3/4, 1
    assertEquals(0.25, Divergences.ksStatistic(new long[] {1, 1, 2}, new long[] {2, 1, 1}), EXACT);
    // CDFs: baseline 3/4, 1; current 1/5, 1
    assertEquals(
        3.0 / 4 - 1.0 / 5, Divergences.ksStatistic(new long[] {3, 1}, new long[] {1, 4}), EXACT);
  }

  @Test
  void ksStatisticAddsUpShareChangesAlongTheBins() {
    // every per-bin share moves by 1/2, but the CDFs 1/2, 1, 1, 1 and 0, 0, 1/2, 1 differ by 1
    long[] low = {1, 1, 0, 0};
    long[] high = {0, 0, 1, 1};
    assertEquals(0.5, Divergences.linf(low, high), EXACT);
    assertEquals(1.0, Divergences.ksStatistic(low, high), EXACT);
  }

  @Test
  void ksStatisticOfDisjointDistributionsIsOne() {
    assertEquals(1.0, Divergences.ksStatistic(new long[] {2, 0}, new long[] {0, 5}), EXACT);
  }

  @Test
  void ksStatisticOfIdenticalDistributionsIsZero() {
    assertEquals(0.0, Divergences.ksStatistic(new long[] {1, 2, 3}, new long[] {2, 4, 6}), EXACT);
  }

  @Test
  void ksStatisticFromCdfsIsTheLargestPointwiseGap() {
    assertEquals(
        0.4 - 0.1,
        Divergences.ksStatisticFromCdfs(new double[] {0.1, 0.5, 1}, new double[] {0.4, 0.6, 1}),
        EXACT);
    assertEquals(
        0.0, Divergences.ksStatisticFromCdfs(new double[] {0, 1}, new double[] {0, 1}), EXACT);
  }

  @Test
  void ksStatisticFromCdfsRejectsValuesOutsideZeroToOne() {
    assertRejected(
        "1.5",
        () -> Divergences.ksStatisticFromCdfs(new double[] {0.2, 1.5}, new double[] {0.1, 1}));
    assertRejected(
        "-0.1", () -> Divergences.ksStatisticFromCdfs(new double[] {0.2}, new double[] {-0.1}));
    assertRejected(
        "NaN", () -> Divergences.ksStatisticFromCdfs(new double[] {Double.NaN}, new double[] {0}));
  }

  @Test
  void ksStatisticFromCdfsRejectsMismatchedOrEmptyCdfs() {
    assertRejected(
        "2 points", () -> Divergences.ksStatisticFromCdfs(new double[] {0.1, 1}, new double[] {1}));
    assertRejected("0 points", () -> Divergences.ksStatisticFromCdfs(new double[0], new double[0]));
  }

  // chi-square

  /** Pearson's X² of the 2×k contingency table, written out from the definition. */
  private static double contingencyStatistic(long[] a, long[] b) {
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      na += a[i];
      nb += b[i];
    }
    double statistic = 0;
    for (int i = 0; i < a.length; i++) {
      double column = a[i] + b[i];
      double ea = na * column / (na + nb);
      double eb = nb * column / (na + nb);
      statistic += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
    }
    return statistic;
  }

  @Test
  void chiSquarePValueMatchesTheTextbookTwoByTwoStatistic() {
    long[] a = {30, 10};
    long[] b = {20, 20};
    // expected 25 and 15 in each row: X² = 2 · (5²/25 + 5²/15)
    double statistic = 2 * (25.0 / 25 + 25.0 / 15);
    assertEquals(statistic, contingencyStatistic(a, b), EXACT);
    double expected = 1 - new ChiSquaredDistribution(1).cumulativeProbability(statistic);
    assertEquals(expected, Divergences.chiSquarePValue(a, b), EXACT);
  }

  @Test
  void chiSquarePValueMatchesTheContingencyStatisticForUnequalSampleSizes() {
    long[] a = {10, 20, 30};
    long[] b = {40, 20, 15};
    double statistic = contingencyStatistic(a, b);
    double expected = 1 - new ChiSquaredDistribution(2).cumulativeProbability(statistic);
    assertEquals(expected, Divergences.chiSquarePValue(a, b), EXACT);
  }

  @Test
  void chiSquarePValueOfProportionalSamplesIsOne() {
    assertEquals(1.0, Divergences.chiSquarePValue(new long[] {10, 20}, new long[] {1, 2}), EXACT);
  }

  @Test
  void chiSquarePValueDropsBinsEmptyInBothSamples() {
    long[] a = {30, 0, 10, 0};
    long[] b = {20, 0, 20, 0};
    double statistic = contingencyStatistic(new long[] {30, 10}, new long[] {20, 20});
    double expected = 1 - new ChiSquaredDistribution(1).cumulativeProbability(statistic);
    assertEquals(expected, Divergences.chiSquarePValue(a, b), EXACT);
  }

  @Test
  void chiSquarePValueIsOneWhenBothSamplesSitInOneCategory() {
    assertEquals(1.0, Divergences.chiSquarePValue(new long[] {5, 0}, new long[] {9, 0}), EXACT);
    assertEquals(1.0, Divergences.chiSquarePValue(new long[] {5}, new long[] {9}), EXACT);
  }

  @Test
  void chiSquarePValueOfDisjointLargeSamplesIsTiny() {
    assertTrue(Divergences.chiSquarePValue(new long[] {1000, 0}, new long[] {0, 1000}) < 1e-12);
  }

  // Wasserstein

  @Test
  void wassersteinMatchesScipyOnACommonSupport() {
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0 on the support 0, 1, 3, 5, 6, 8
    double[] points = {0, 1, 3, 5, 6, 8};
    assertEquals(
        5.0,
        Divergences.wasserstein(
            points, new long[] {1, 1, 1, 0, 0, 0}, new long[] {0, 0, 0, 1, 1, 1}),
        EXACT);
  }

  @Test
  void wassersteinMatchesTheCdfDefinitionByHand() {
    // CDFs: baseline 1/4, 1/2, 1; current 1/2, 3/4, 1 on points 0, 1, 4
    double expected = Math.abs(0.25 - 0.5) * (1 - 0) + Math.abs(0.5 - 0.75) * (4 - 1);
    assertEquals(
        expected,
        Divergences.wasserstein(new double[] {0, 1, 4}, new long[] {1, 1, 2}, new long[] {2, 1, 1}),
        EXACT);
    assertEquals(1.0, expected, EXACT);
  }

  @Test
  void wassersteinOfAPointMassMovedByDIsD() {
    assertEquals(
        7.5,
        Divergences.wasserstein(new double[] {-2.5, 5}, new long[] {3, 0}, new long[] {0, 11}),
        EXACT);
  }

  @Test
  void wassersteinOfIdenticalDistributionsOrOnePointIsZero() {
    assertEquals(
        0.0,
        Divergences.wasserstein(new double[] {1, 2, 3}, new long[] {1, 2, 3}, new long[] {2, 4, 6}),
        EXACT);
    assertEquals(0.0, Divergences.wasserstein(new double[] {1}, new long[] {4}, new long[] {2}));
  }

  @Test
  void wassersteinRejectsPointsThatAreNotStrictlyIncreasingOrFinite() {
    long[] c = {1, 1, 1};
    assertRejected(
        "strictly increasing", () -> Divergences.wasserstein(new double[] {0, 2, 2}, c, c));
    assertRejected(
        "strictly increasing", () -> Divergences.wasserstein(new double[] {0, 3, 2}, c, c));
    assertRejected(
        "Infinity",
        () -> Divergences.wasserstein(new double[] {0, 1, Double.POSITIVE_INFINITY}, c, c));
    assertRejected("2 points for 3 bins", () -> Divergences.wasserstein(new double[] {0, 1}, c, c));
  }

  // preconditions shared by every count-based distance

  @Test
  void everyDistanceRejectsMismatchedBins() {
    long[] one = {1};
    long[] two = {1, 2};
    String message = "1 baseline bins with 2 current bins";
    assertRejected(message, () -> Divergences.psi(one, two));
    assertRejected(message, () -> Divergences.jsDistance(one, two));
    assertRejected(message, () -> Divergences.linf(one, two));
    assertRejected(message, () -> Divergences.ksStatistic(one, two));
    assertRejected(message, () -> Divergences.chiSquarePValue(one, two));
    assertRejected(message, () -> Divergences.wasserstein(new double[] {0}, one, two));
  }

  @Test
  void everyDistanceRejectsZeroBins() {
    long[] none = {};
    assertRejected("0 bins", () -> Divergences.psi(none, none));
    assertRejected("0 bins", () -> Divergences.jsDistance(none, none));
    assertRejected("0 bins", () -> Divergences.linf(none, none));
    assertRejected("0 bins", () -> Divergences.ksStatistic(none, none));
    assertRejected("0 bins", () -> Divergences.chiSquarePValue(none, none));
    assertRejected("0 bins", () -> Divergences.wasserstein(new double[0], none, none));
  }

  @Test
  void everyDistanceRejectsNegativeCounts() {
    long[] negative = {3, -1};
    long[] fine = {1, 2};
    String message = "count -1 in bin 1";
    assertRejected(message, () -> Divergences.psi(negative, fine));
    assertRejected(message, () -> Divergences.jsDistance(fine, negative));
    assertRejected(message, () -> Divergences.linf(negative, fine));
    assertRejected(message, () -> Divergences.ksStatistic(fine, negative));
    assertRejected(message, () -> Divergences.chiSquarePValue(negative, fine));
    assertRejected(message, () -> Divergences.wasserstein(new double[] {0, 1}, fine, negative));
    assertRejected(message, () -> Divergences.proportions(negative));
  }

  @Test
  void everyDistanceRejectsAnAllZeroSide() {
    long[] zero = {0, 0};
    long[] fine = {1, 2};
    assertRejected("Invalid baseline counts", () -> Divergences.psi(zero, fine));
    assertRejected("Invalid current counts", () -> Divergences.jsDistance(fine, zero));
    assertRejected("Invalid baseline counts", () -> Divergences.linf(zero, fine));
    assertRejected("Invalid current counts", () -> Divergences.ksStatistic(fine, zero));
    assertRejected("Invalid baseline counts", () -> Divergences.chiSquarePValue(zero, fine));
    assertRejected(
        "Invalid current counts", () -> Divergences.wasserstein(new double[] {0, 1}, fine, zero));
  }
}
