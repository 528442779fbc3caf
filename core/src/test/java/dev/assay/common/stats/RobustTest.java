package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class RobustTest {
  @Test
  void medianAndMadOfATextbookSample() {
    // 1 1 2 2 4 6 9: median 2, absolute deviations 1 1 0 0 2 4 7 -> MAD 1
    double[] values = {1, 1, 2, 2, 4, 6, 9};
    assertEquals(2, Robust.median(values));
    assertEquals(Robust.MAD_TO_SIGMA, Robust.sigma(values), 1e-12);
    assertEquals(4.5, Robust.median(new double[] {9, 1, 4, 5}));
  }

  @Test
  void zIgnoresNaNAndAppliesTheFloor() {
    double[] z = Robust.z(new double[] {1, 1, 1, 1, Double.NaN, 3}, 0.5);
    assertEquals(0, z[0]);
    assertTrue(Double.isNaN(z[4]));
    assertEquals(4, z[5], 1e-12, "MAD is 0, so the floor 0.5 scales (3 - 1)");
  }

  @Test
  void quickselectMedianMatchesSortingForOddAndEvenCounts() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(40);
      float[] values = new float[n + 5];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(4) == 0 ? random.nextInt(3) : (float) random.nextGaussian();
      }
      float[] sorted = Arrays.copyOf(values, n);
      Arrays.sort(sorted);
      float expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      assertEquals(expected, Robust.medianInPlace(values, n), "trial " + trial + ", n " + n);
    }
  }
}
