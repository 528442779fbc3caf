package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CusumTest {
  @Test
  void upperAndLowerFollowAHandComputedSequence() {
    double[] z = {1, 2, -3, 0.5, 1.5, 2.5};
    double[] k = Cusum.constant(0.5, z.length);
    // S: 0.5, 0.5 + 1.5 = 2, max(0, 2 - 3.5) = 0, max(0, 0 + 0) = 0, 1, 1 + 2 = 3
    assertArrayEquals(new double[] {0.5, 2, 0, 0, 1, 3}, Cusum.path(z, k), 1e-12);
    assertEquals(new Cusum.Side(3, 2), Cusum.upper(z, k), "3 after the last two steps above zero");
    // T on -z: 0, 0, 2.5, 2.5 - 0.5 - 0.5 = 1.5, 1.5 - 1.5 - 0.5 = 0 -> stays 0
    assertEquals(new Cusum.Side(0, 0), Cusum.lower(z, k));
    Cusum.Side falling = Cusum.lower(new double[] {-1, -1, 0.2}, Cusum.constant(0.5, 3));
    assertEquals(0.3, falling.statistic(), 1e-12, "T: 0.5, 1.0, 1.0 - 0.2 - 0.5 = 0.3");
    assertEquals(3, falling.run());
    assertFalse(new Cusum.Side(4.99, 9).alarm());
    assertTrue(new Cusum.Side(Cusum.H, 9).alarm());
  }

  @Test
  void perStepReferencesAreSubtractedStepByStep() {
    assertArrayEquals(
        new double[] {1, 1.5, 0},
        Cusum.path(new double[] {2, 2, -1}, new double[] {1, 1.5, 1}),
        1e-12);
    assertThrows(
        IllegalArgumentException.class, () -> Cusum.upper(new double[] {1}, new double[] {1, 2}));
  }

  @Test
  void anchorScaleIsTheLeaveOneOutRobustSpreadFlooredByTheBinomialError() {
    // Shares 0.76 0.74 0.78 0.75 0.77 of 10,000 rows each: pooled 0.76. Leave-one-out deviations:
    // 0.76 - 30400/40000 = 0, 0.74 - 0.765 = -0.025, 0.78 - 0.755 = 0.025, 0.75 - 0.7625 = -0.0125,
    // 0.77 - 0.7575 = 0.0125 -> median 0, MAD 0.0125, sigma 0.0125 * 1.4826 = 0.0185325.
    long[] totals = {10_000, 10_000, 10_000, 10_000, 10_000};
    Cusum.Anchor anchor = Cusum.Anchor.of(new long[] {7600, 7400, 7800, 7500, 7700}, totals);
    assertEquals(0.76, anchor.share(), 1e-12);
    assertEquals(0.0125 * Robust.MAD_TO_SIGMA, anchor.natural(), 1e-12);
    assertEquals(50_000, anchor.rows());
    assertEquals(5, anchor.partitions());
    // binomial at 10,000 rows: sqrt(0.76 * 0.24 * (1/10000 + 1/50000)) = sqrt(2.1888e-5) =
    // 0.0046785
    assertEquals(Math.sqrt(0.1824 * 1.2e-4), anchor.binomial(10_000), 1e-12);
    assertEquals(anchor.natural(), anchor.sigma(10_000), 1e-12, "the natural spread is wider");
    // at 100 rows the binomial error, sqrt(0.1824 * (0.01 + 0.00002)) = 0.04275, is wider
    assertEquals(Math.sqrt(0.1824 * 0.01002), anchor.sigma(100), 1e-12);
    assertEquals((0.70 - 0.76) / anchor.natural(), anchor.z(7000, 10_000), 1e-12);
    // e_A = max(sqrt(0.1824 / 50000), natural / sqrt(5)) = natural / sqrt(5): K = 0.5 + 1/sqrt(5)
    assertEquals(anchor.natural() / Math.sqrt(5), anchor.error(), 1e-12);
    assertEquals(0.5 + 1 / Math.sqrt(5), anchor.reference(10_000), 1e-12);
  }

  @Test
  void aFallingShareAccumulatesOnTheLowerSideOnly() {
    long[] totals = {10_000, 10_000, 10_000, 10_000, 10_000};
    Cusum.Anchor anchor = Cusum.Anchor.of(new long[] {7600, 7400, 7800, 7500, 7700}, totals);
    double sigma = 0.0125 * Robust.MAD_TO_SIGMA;
    double k = 0.5 + 1 / Math.sqrt(5);
    // shares 0.76, 0.73, 0.72, 0.71: z = 0, -0.03/sigma, -0.04/sigma, -0.05/sigma; T_1 = max(0, 0 -
    // k) = 0
    double t2 = 0.03 / sigma - k;
    double t3 = t2 + 0.04 / sigma - k;
    double t4 = t3 + 0.05 / sigma - k;
    Cusum.Track track =
        anchor.track(
            new long[] {7600, 7300, 7200, 7100}, new long[] {10_000, 10_000, 10_000, 10_000});
    assertEquals(t4, track.down().statistic(), 1e-9);
    assertEquals(3, track.down().run());
    assertEquals(new Cusum.Side(0, 0), track.up());
    assertEquals(track.down(), track.worst());
    assertEquals(3.6336, t4, 1e-3, "hand value");
  }

  @Test
  void anAnchorOfFewerThanThreePartitionsScalesByTheBinomialErrorAlone() {
    Cusum.Anchor anchor = Cusum.Anchor.of(new long[] {50, 70}, new long[] {100, 100});
    assertTrue(Double.isNaN(anchor.natural()));
    assertEquals(0.6, anchor.share(), 1e-12);
    assertEquals(Math.sqrt(0.24 * (0.01 + 0.005)), anchor.sigma(100), 1e-12);
    assertEquals(Math.sqrt(0.24 / 200), anchor.error(), 1e-12);
    // a class the anchor never had is kept half a row above zero: p = 0.5/200
    Cusum.Anchor never = Cusum.Anchor.of(new long[] {0, 0}, new long[] {100, 100});
    double p = 0.5 / 200;
    assertEquals(Math.sqrt(p * (1 - p) * (0.01 + 0.005)), never.sigma(100), 1e-12);
  }

  @Test
  void invalidCountsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Cusum.Anchor.of(new long[] {5}, new long[] {4}));
    assertThrows(
        IllegalArgumentException.class, () -> Cusum.Anchor.of(new long[] {0}, new long[] {0}));
    Cusum.Anchor anchor = Cusum.Anchor.of(new long[] {5, 5, 5}, new long[] {10, 10, 10});
    assertThrows(IllegalArgumentException.class, () -> anchor.z(1, 0));
  }

  /**
   * The rates docs/label-integrity.md quotes: Adult-sized partitions (1,163 rows, 76% majority
   * share), a 7-partition anchor, only sampling noise. Few false alarms in 100 clean partitions,
   * and a symmetric flip of 1% more rows each partition (the share falls by 0.52 points a step)
   * caught within 9.
   */
  @Test
  void measuredFalseAlarmsAndDetectionDelayOnAdultSizedPartitions() {
    SplittableRandom random = new SplittableRandom(18);
    int runs = 2000;
    int falseAlarms = 0;
    int[] delays = new int[runs];
    for (int run = 0; run < runs; run++) {
      Cusum.Anchor anchor = anchor(random, 7, 1163, 0.76);
      falseAlarms += firstAlarm(random, anchor, 1163, 0.76, 0, 100) > 0 ? 1 : 0;
      delays[run] = firstAlarm(random, anchor, 1163, 0.76, 0.01, 60);
    }
    Arrays.sort(delays);
    double falseAlarmRate = (double) falseAlarms / runs;
    assertTrue(
        falseAlarmRate < 0.10, "false alarms within 100 clean partitions: " + falseAlarmRate);
    assertTrue(delays[0] > 0, "every drift is caught within 60 partitions");
    assertTrue(delays[runs / 2] <= 9, "median partitions to detect: " + delays[runs / 2]);
  }

  static Cusum.Anchor anchor(SplittableRandom random, int partitions, long rows, double p) {
    long[] hits = new long[partitions];
    long[] totals = new long[partitions];
    for (int i = 0; i < partitions; i++) {
      totals[i] = rows;
      hits[i] = binomial(random, rows, p);
    }
    return Cusum.Anchor.of(hits, totals);
  }

  /**
   * The 1-based step of the first alarm over {@code steps} partitions whose flip grows by {@code
   * step}; 0: none.
   */
  static int firstAlarm(
      SplittableRandom random, Cusum.Anchor anchor, long rows, double p, double step, int steps) {
    double up = 0;
    double down = 0;
    for (int k = 1; k <= steps; k++) {
      double flipped = Math.min(1, step * k);
      double share = p * (1 - flipped) + (1 - p) * flipped;
      double z = anchor.z(binomial(random, rows, share), rows);
      double reference = anchor.reference(rows);
      up = Math.max(0, up + z - reference);
      down = Math.max(0, down - z - reference);
      if (up >= Cusum.H || down >= Cusum.H) {
        return k;
      }
    }
    return 0;
  }

  /** Normal approximation of a binomial draw, rounded and clipped to [0, n]. */
  private static long binomial(SplittableRandom random, long n, double p) {
    long x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * random.nextGaussian());
    return Math.max(0, Math.min(n, x));
  }
}
