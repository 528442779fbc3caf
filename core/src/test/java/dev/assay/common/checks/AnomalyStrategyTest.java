package dev.assay.common.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.checks.AnomalyStrategy.AbsoluteChange;
import dev.assay.common.checks.AnomalyStrategy.Evaluation;
import dev.assay.common.checks.AnomalyStrategy.MedianMad;
import dev.assay.common.checks.AnomalyStrategy.OnlineNormal;
import dev.assay.common.checks.AnomalyStrategy.Point;
import dev.assay.common.checks.AnomalyStrategy.RelativeRate;
import dev.assay.common.checks.AnomalyStrategy.Seasonal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class AnomalyStrategyTest {
  private static final double EXACT = 1e-9;

  /** 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normal data. */
  private static final double MAD_SCALE = 1.4826;

  /** Points at positions 0, 1, … named p0, p1, …, oldest first. */
  private static List<Point> history(double... values) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      points.add(new Point(i, "p" + i, values[i]));
    }
    return points;
  }

  /** Points at positions 0 .. n-1 with the given value per position. */
  private static List<Point> history(int n, IntToDoubleFunction value) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new Point(i, "p" + i, value.applyAsDouble(i)));
    }
    return points;
  }

  private static List<String> names(int... positions) {
    List<String> names = new ArrayList<>();
    for (int p : positions) {
      names.add("p" + p);
    }
    return names;
  }

  private static double mean(double... values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The sample standard deviation: sqrt(Σ(x - mean)² / (n - 1)). */
  private static double sampleStddev(double... values) {
    double m = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - m) * (v - m);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  private static void assertRange(double low, double high, Evaluation e) {
    assertTrue(e.enoughHistory(), e.explanation());
    assertEquals(low, e.low(), EXACT, "low: " + e.explanation());
    assertEquals(high, e.high(), EXACT, "high: " + e.explanation());
  }

  private static void assertTooShort(Evaluation e) {
    assertFalse(e.enoughHistory(), e.explanation());
    assertFalse(e.anomalous(), e.explanation());
    assertTrue(Double.isNaN(e.low()) && Double.isNaN(e.high()), e.low() + ", " + e.high());
    assertTrue(e.used().isEmpty(), e.used().toString());
    assertTrue(e.explanation().startsWith("history too short"), e.explanation());
  }

  // Relative rate

  @Test
  void relativeRateNeedsOneEarlierValue() {
    Evaluation e = new RelativeRate(0.5, 2).evaluate(1e9, 0, List.of());
    assertTooShort(e);
    assertTrue(
        e.explanation().contains("0 trusted earlier partition(s), 1 needed"), e.explanation());
  }

  @Test
  void relativeRateBoundsTheRatioToThePreviousValueInclusively() {
    RelativeRate rate = new RelativeRate(0.5, 2);
    // only the latest point counts: 1000 two partitions ago is ignored
    List<Point> h = history(1000, 100);
    Evaluation normal = rate.evaluate(150, 2, h);
    assertRange(100 * 0.5, 100 * 2.0, normal);
    assertFalse(normal.anomalous());
    assertEquals(names(1), normal.used());
    assertFalse(rate.evaluate(50, 2, h).anomalous(), "the lower bound is inclusive");
    assertFalse(rate.evaluate(200, 2, h).anomalous(), "the upper bound is inclusive");
    assertTrue(rate.evaluate(201, 2, h).anomalous());
    assertTrue(rate.evaluate(49.9, 2, h).anomalous());
    assertTrue(
        rate.evaluate(900, 2, h).anomalous(),
        "close to the older 1000, but far from the previous 100");
    assertTrue(rate.evaluate(Double.NaN, 2, h).anomalous(), "NaN is outside every range");
  }

  @Test
  void relativeRateAfterAZeroAllowsOnlyZero() {
    RelativeRate rate = new RelativeRate(0.5, 2);
    List<Point> h = history(10, 0);
    Evaluation zero = rate.evaluate(0, 2, h);
    assertRange(0, 0, zero);
    assertFalse(zero.anomalous());
    assertTrue(rate.evaluate(1, 2, h).anomalous());
    assertTrue(rate.evaluate(-1e-9, 2, h).anomalous());
  }

  @Test
  void relativeRateOfANegativeValueOrdersTheBounds() {
    // -100 · 0.5 = -50 and -100 · 2 = -200, so the range is [-200, -50]
    Evaluation e = new RelativeRate(0.5, 2).evaluate(-120, 1, history(-100));
    assertRange(-200, -50, e);
    assertFalse(e.anomalous());
    assertTrue(new RelativeRate(0.5, 2).evaluate(-10, 1, history(-100)).anomalous());
  }

  @Test
  void relativeRateRejectsInvertedOrNegativeRatios() {
    assertThrows(IllegalArgumentException.class, () -> new RelativeRate(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new RelativeRate(-0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RelativeRate(Double.NaN, 1));
  }

  // Absolute change

  @Test
  void absoluteChangeBoundsTheDifferenceFromThePreviousValue() {
    AbsoluteChange change = new AbsoluteChange(5, 10);
    List<Point> h = history(0, 100);
    Evaluation e = change.evaluate(104, 2, h);
    assertRange(100 - 5, 100 + 10, e);
    assertFalse(e.anomalous());
    assertEquals(names(1), e.used());
    assertFalse(change.evaluate(95, 2, h).anomalous());
    assertFalse(change.evaluate(110, 2, h).anomalous());
    assertTrue(change.evaluate(94.9, 2, h).anomalous());
    assertTrue(change.evaluate(110.1, 2, h).anomalous());
    assertTooShort(change.evaluate(100, 0, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new AbsoluteChange(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new AbsoluteChange(1, -1));
  }

  // Online normal

  @Test
  void onlineNormalNeedsMinHistoryPointsInsideTheWindow() {
    OnlineNormal normal = new OnlineNormal(3, 3, 30, 5, 0.001);
    Evaluation e = normal.evaluate(1e9, 4, history(10, 11, 9, 10));
    assertTooShort(e);
    assertTrue(
        e.explanation().contains("4 trusted earlier partition(s), 5 needed"), e.explanation());
    // ten points, but a window of 3 can never hold the 5 it needs
    assertTooShort(
        new OnlineNormal(3, 3, 3, 5, 0.001).evaluate(1e9, 10, history(10, i -> 10 + i % 2)));
  }

  @Test
  void onlineNormalFlagsAValueOutsideMeanPlusMinusKSigma() {
    double[] values = {100, 104, 96, 102, 98, 101, 99};
    double m = mean(values); // 700 / 7 = 100
    double s = sampleStddev(values); // sqrt((0+16+16+4+4+1+1) / 6) = sqrt(7)
    assertEquals(100, m, EXACT);
    assertEquals(Math.sqrt(7), s, EXACT);
    OnlineNormal normal = new OnlineNormal(3, 3, 30, 5, 0.001);
    Evaluation ok = normal.evaluate(105, 7, history(values));
    assertRange(m - 3 * s, m + 3 * s, ok);
    assertFalse(ok.anomalous());
    assertEquals(names(0, 1, 2, 3, 4, 5, 6), ok.used());
    assertTrue(normal.evaluate(120, 7, history(values)).anomalous());
    assertTrue(normal.evaluate(80, 7, history(values)).anomalous());
  }

  @Test
  void onlineNormalUsesOnlyTheLastWindowPoints() {
    // an old regime around 1000, then five points around 10; window 5 sees only the latter
    double[] all = {1000, 1010, 990, 1005, 995, 9, 11, 10, 12, 8};
    double[] recent = {9, 11, 10, 12, 8};
    double m = mean(recent); // 10
    double s = sampleStddev(recent); // sqrt((1+1+0+4+4) / 4) = sqrt(2.5)
    assertEquals(Math.sqrt(2.5), s, EXACT);
    OnlineNormal windowed = new OnlineNormal(3, 3, 5, 5, 0.001);
    Evaluation e = windowed.evaluate(14, 10, history(all));
    assertRange(m - 3 * s, m + 3 * s, e);
    assertFalse(e.anomalous());
    assertEquals(names(5, 6, 7, 8, 9), e.used());
    assertTrue(
        windowed.evaluate(1000, 10, history(all)).anomalous(),
        "the old regime is outside the window");

    // the same value is normal when the whole history counts: mean 505, σ ≈ 522
    double wideMean = mean(all);
    double wideSigma = sampleStddev(all);
    assertTrue(1000 < wideMean + 3 * wideSigma, "test premise");
    assertFalse(new OnlineNormal(3, 3, 30, 5, 0.001).evaluate(1000, 10, history(all)).anomalous());
  }

  @Test
  void onlineNormalAppliesLowerKBelowAndUpperKAbove() {
    double[] values = {9, 11, 10, 12, 8};
    double m = mean(values);
    double s = sampleStddev(values);
    OnlineNormal skewed = new OnlineNormal(1, 4, 30, 5, 0.001);
    Evaluation e = skewed.evaluate(10, 5, history(values));
    assertRange(m - 1 * s, m + 4 * s, e); // [8.42, 16.32]
    assertTrue(
        skewed.evaluate(8, 5, history(values)).anomalous(), "2 below the mean is more than 1·σ");
    assertFalse(
        skewed.evaluate(16, 5, history(values)).anomalous(), "6 above the mean is less than 4·σ");
    assertTrue(skewed.evaluate(17, 5, history(values)).anomalous());
    // mirrored: the same distances judged the other way round
    OnlineNormal mirrored = new OnlineNormal(4, 1, 30, 5, 0.001);
    assertFalse(mirrored.evaluate(4, 5, history(values)).anomalous());
    assertTrue(mirrored.evaluate(12, 5, history(values)).anomalous());
  }

  // Median and MAD

  @Test
  void medianMadNeedsMinHistoryPoints() {
    assertTooShort(new MedianMad(4, 30, 5, 0.001).evaluate(1e9, 4, history(1, 2, 3, 4)));
  }

  @Test
  void medianMadFlagsAModerateJumpDespiteAHugeEarlierOutlier() {
    double[] values = {10000, 100, 102, 98, 101, 99, 100, 103, 97};
    // sorted: 97 98 99 100 100 101 102 103 10000 -> median 100
    // |x - 100|: 9900 0 2 2 1 1 0 3 3, sorted 0 0 1 1 2 2 3 3 9900 -> MAD 2
    double median = 100;
    double sigma = MAD_SCALE * 2;
    MedianMad mad = new MedianMad(3, 30, 5, 0.001);
    Evaluation normal = mad.evaluate(105, 9, history(values));
    assertRange(median - 3 * sigma, median + 3 * sigma, normal);
    assertFalse(normal.anomalous());
    assertEquals(9, normal.used().size());
    Evaluation jump = mad.evaluate(120, 9, history(values));
    assertTrue(jump.anomalous(), jump.explanation());
    assertTrue(mad.evaluate(80, 9, history(values)).anomalous());

    // mean ± 3σ misses the same jump: the outlier inflates σ to thousands
    double m = mean(values);
    double s = sampleStddev(values);
    assertTrue(120 > m - 3 * s && 120 < m + 3 * s, "test premise: mean " + m + ", σ " + s);
    assertFalse(new OnlineNormal(3, 3, 30, 5, 0.001).evaluate(120, 9, history(values)).anomalous());
  }

  @Test
  void medianMadUsesTheMiddlePairForAnEvenCountAndOnlyTheWindow() {
    // window 4 keeps 10 12 14 20: median (12 + 14) / 2 = 13; |x - 13| = 3 1 1 7 -> MAD (1 + 3) / 2
    // = 2
    double[] values = {500, 600, 10, 12, 14, 20};
    MedianMad mad = new MedianMad(2, 4, 4, 0.001);
    Evaluation e = mad.evaluate(13, 6, history(values));
    assertRange(13 - 2 * MAD_SCALE * 2, 13 + 2 * MAD_SCALE * 2, e);
    assertEquals(names(2, 3, 4, 5), e.used());
    assertTrue(mad.evaluate(500, 6, history(values)).anomalous());
  }

  // Seasonal

  /**
   * A weekly pattern: 500 (±10) on every 7th partition (positions 6, 13, 20, …), 100 (±2)
   * otherwise.
   */
  private static double weekly(int position) {
    if (position % 7 == 6) {
      return 500 + new double[] {-10, 10, 0, 5, -5}[position / 7];
    }
    return 100 + (position % 5) - 2;
  }

  @Test
  void seasonalJudgesAValueAgainstTheSameSeasonOnly() {
    Seasonal seasonal = new Seasonal(7, 4, 2, 3, 0.001);
    // position 34 is a high day; lags 7, 14, 21, 28 point to 27, 20, 13, 6
    List<Point> before34 = history(34, AnomalyStrategyTest::weekly);
    double[] season = {weekly(6), weekly(13), weekly(20), weekly(27)}; // 490 510 500 505
    double m = mean(season); // 501.25
    double s = sampleStddev(season); // sqrt(218.75 / 3)
    assertEquals(501.25, m, EXACT);
    assertEquals(Math.sqrt(218.75 / 3), s, EXACT);
    Evaluation high = seasonal.evaluate(500, 34, before34);
    assertRange(m - 3 * s, m + 3 * s, high);
    assertFalse(high.anomalous(), high.explanation());
    assertEquals(names(6, 13, 20, 27), high.used());
    assertTrue(seasonal.evaluate(100, 34, before34).anomalous(), "a low value on a high day");

    // position 33 is an ordinary day: lags point to 26, 19, 12, 5, all around 100
    List<Point> before33 = history(33, AnomalyStrategyTest::weekly);
    Evaluation off = seasonal.evaluate(500, 33, before33);
    assertTrue(off.anomalous(), off.explanation());
    assertEquals(names(5, 12, 19, 26), off.used());
    double[] offSeason = {weekly(5), weekly(12), weekly(19), weekly(26)};
    double offSigma = Math.max(sampleStddev(offSeason), 0.01 * mean(offSeason));
    assertRange(mean(offSeason) - 3 * offSigma, mean(offSeason) + 3 * offSigma, off);
    assertFalse(seasonal.evaluate(weekly(33), 33, before33).anomalous());
  }

  @Test
  void seasonalLooksBackAtMostCyclesPeriods() {
    // cycles 2: only lags 7 and 14 (positions 27 and 20), not 13 and 6
    Evaluation e =
        new Seasonal(7, 2, 2, 3, 0.001).evaluate(500, 34, history(34, AnomalyStrategyTest::weekly));
    assertEquals(names(20, 27), e.used());
    double m = mean(weekly(20), weekly(27)); // 502.5
    double s = sampleStddev(weekly(20), weekly(27)); // sqrt(12.5) ≈ 3.54, below the 1% floor 5.025
    double sigma = Math.max(s, 0.01 * m);
    assertEquals(5.025, sigma, EXACT);
    assertRange(m - 3 * sigma, m + 3 * sigma, e);
  }

  @Test
  void seasonalIgnoresPointsAtOrAfterThePosition() {
    List<Point> h = new ArrayList<>(history(14, AnomalyStrategyTest::weekly));
    h.add(new Point(20, "later", 9999)); // lag -7
    h.add(new Point(13, "same", 9999)); // lag 0 (a stale row of the partition itself)
    Evaluation e = new Seasonal(7, 4, 1, 3, 0.001).evaluate(500, 13, h);
    assertEquals(names(6), e.used());
  }

  @Test
  void seasonalNeedsMinCyclesSeasonPoints() {
    Seasonal seasonal = new Seasonal(7, 4, 2, 3, 0.001);
    // position 13 has only one earlier season point (6); position 20 has two (13, 6)
    Evaluation e = seasonal.evaluate(1e9, 13, history(13, AnomalyStrategyTest::weekly));
    assertTooShort(e);
    assertTrue(
        e.explanation().contains("1 trusted earlier partition(s), 2 needed"), e.explanation());
    assertTrue(
        seasonal.evaluate(1e9, 20, history(20, AnomalyStrategyTest::weekly)).enoughHistory());
    // a long history of ordinary days does not count towards the cycles of a season position
    assertTooShort(seasonal.evaluate(1e9, 13, history(13, i -> 100)));

    // with min_cycles 1, one season point gives σ = 0, so the 1% floor sets the spread
    Evaluation one =
        new Seasonal(7, 4, 1, 3, 0.001).evaluate(500, 13, history(13, AnomalyStrategyTest::weekly));
    double centre = weekly(6); // 490
    assertRange(centre - 3 * 0.01 * centre, centre + 3 * 0.01 * centre, one);
    assertFalse(one.anomalous());
  }

  // The spread floor

  @Test
  void spreadFloorIsTheLargestOfSigmaMinStddevAndOnePercentOfTheCentre() {
    assertEquals(10, AnomalyStrategy.spreadFloor(0, 1000, 0.001), EXACT);
    assertEquals(10, AnomalyStrategy.spreadFloor(Double.NaN, 1000, 0.001), EXACT);
    assertEquals(10, AnomalyStrategy.spreadFloor(2, -1000, 0), EXACT);
    assertEquals(50, AnomalyStrategy.spreadFloor(50, 1000, 0.001), EXACT);
    assertEquals(0.5, AnomalyStrategy.spreadFloor(0, 0, 0.5), EXACT);
    assertEquals(0.5, AnomalyStrategy.spreadFloor(0.1, 10, 0.5), EXACT);
  }

  @Test
  void aConstantHistoryToleratesSmallChangesButNotLargeOnes() {
    List<Point> constant = history(10, i -> 1000);
    // σ = 0, so the spread is 1% of 1000 = 10: normal k 3 allows [970, 1030], mad k 4 allows [960,
    // 1040]
    OnlineNormal normal = new OnlineNormal(3, 3, 30, 5, 0.001);
    assertRange(970, 1030, normal.evaluate(1005, 10, constant));
    assertFalse(normal.evaluate(1005, 10, constant).anomalous(), "a 0.5% change");
    assertFalse(normal.evaluate(995, 10, constant).anomalous(), "a 0.5% change");
    assertTrue(normal.evaluate(1100, 10, constant).anomalous(), "a 10% change");
    assertTrue(normal.evaluate(900, 10, constant).anomalous(), "a 10% change");

    MedianMad mad = new MedianMad(4, 30, 5, 0.001);
    assertRange(960, 1040, mad.evaluate(1005, 10, constant));
    assertFalse(mad.evaluate(1005, 10, constant).anomalous());
    assertTrue(mad.evaluate(1100, 10, constant).anomalous());

    Seasonal seasonal = new Seasonal(7, 4, 1, 3, 0.001);
    assertRange(970, 1030, seasonal.evaluate(1005, 10, constant));
    assertFalse(seasonal.evaluate(1005, 10, constant).anomalous());
    assertTrue(seasonal.evaluate(1100, 10, constant).anomalous());
  }

  @Test
  void minStddevSetsTheSpreadOfAConstantZeroHistory() {
    OnlineNormal normal = new OnlineNormal(3, 3, 30, 5, 0.5);
    Evaluation e = normal.evaluate(1, 10, history(10, i -> 0));
    assertRange(-1.5, 1.5, e);
    assertFalse(e.anomalous());
    assertTrue(normal.evaluate(2, 10, history(10, i -> 0)).anomalous());
  }

  @Test
  void strategiesHaveTheirYamlNames() {
    assertEquals("relative_rate", new RelativeRate(0.5, 2).name());
    assertEquals("absolute_change", new AbsoluteChange(1, 1).name());
    assertEquals("normal", new OnlineNormal(3, 3, 30, 5, 0.001).name());
    assertEquals("mad", new MedianMad(4, 30, 5, 0.001).name());
    assertEquals("seasonal", new Seasonal(7, 4, 2, 3, 0.001).name());
  }
}
