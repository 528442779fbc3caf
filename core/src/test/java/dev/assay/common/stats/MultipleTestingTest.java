package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class MultipleTestingTest {
  private static final double EXACT = 1e-12;

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void benjaminiHochbergMatchesRsPAdjust() {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH"): sorted 0.005, 0.01, 0.03, 0.04 give
    // 4p/k = 0.02, 0.02, 0.04, 0.04; the running minimum from the top keeps them
    assertArrayEquals(
        new double[] {0.02, 0.04, 0.04, 0.02},
        MultipleTesting.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005}),
        EXACT);
  }

  @Test
  void benjaminiHochbergTakesTheRunningMinimumFromTheLargestPValue() {
    // 5p/k = 0.05 for every rank of 0.01, 0.02, …, 0.05
    assertArrayEquals(
        new double[] {0.05, 0.05, 0.05, 0.05, 0.05},
        MultipleTesting.benjaminiHochberg(new double[] {0.05, 0.04, 0.03, 0.02, 0.01}),
        EXACT);
    // 3p/k = 0.03, 0.06, 0.045 for 0.01, 0.04, 0.045: rank 2 is lowered to the 0.045 of rank 3
    assertArrayEquals(
        new double[] {0.045, 0.03, 0.045},
        MultipleTesting.benjaminiHochberg(new double[] {0.045, 0.01, 0.04}),
        EXACT);
  }

  @Test
  void benjaminiHochbergNeverExceedsOne() {
    // 3p/k = 2.4, 1.35, 0.95 become 0.95 each
    assertArrayEquals(
        new double[] {0.95, 0.95, 0.95},
        MultipleTesting.benjaminiHochberg(new double[] {0.8, 0.9, 0.95}),
        EXACT);
    assertArrayEquals(
        new double[] {1, 1}, MultipleTesting.benjaminiHochberg(new double[] {1, 1}), EXACT);
  }

  @Test
  void benjaminiHochbergKeepsNaNAndLeavesItOutOfM() {
    // m = 2: 0.02 → 0.04, 0.5 → 0.5
    assertArrayEquals(
        new double[] {0.04, Double.NaN, 0.5},
        MultipleTesting.benjaminiHochberg(new double[] {0.02, Double.NaN, 0.5}),
        EXACT);
    assertArrayEquals(
        new double[] {Double.NaN},
        MultipleTesting.benjaminiHochberg(new double[] {Double.NaN}),
        EXACT);
  }

  @Test
  void benjaminiHochbergOfASingleOrNoPValueIsTheInput() {
    assertArrayEquals(
        new double[] {0.3}, MultipleTesting.benjaminiHochberg(new double[] {0.3}), EXACT);
    assertArrayEquals(new double[0], MultipleTesting.benjaminiHochberg(new double[0]), EXACT);
  }

  @Test
  void benjaminiHochbergDoesNotModifyItsInput() {
    double[] p = {0.01, 0.04, 0.03, 0.005};
    MultipleTesting.benjaminiHochberg(p);
    assertArrayEquals(new double[] {0.01, 0.04, 0.03, 0.005}, p, 0.0);
  }

  @Test
  void benjaminiHochbergRejectsValuesOutsideZeroToOne() {
    assertRejected(
        "-0.1 at index 1", () -> MultipleTesting.benjaminiHochberg(new double[] {0.2, -0.1}));
    assertRejected("1.5 at index 0", () -> MultipleTesting.benjaminiHochberg(new double[] {1.5}));
    assertRejected(
        "Infinity",
        () -> MultipleTesting.benjaminiHochberg(new double[] {Double.POSITIVE_INFINITY}));
  }
}
