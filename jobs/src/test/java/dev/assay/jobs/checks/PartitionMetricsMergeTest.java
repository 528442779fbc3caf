package dev.assay.jobs.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.assay.common.testing.AdultSample;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link PartitionMetrics}, merged on the driver in task order: an empty state is the
 * identity, merging is associative and commutative, with means and M2 (Chan's formula) equal within
 * rounding. Parts are Adult rows, added the way the check pass adds them (Welford per value).
 */
@Tag("fast")
class PartitionMetricsMergeTest {
  private static final int[] NUMERIC = {AdultSample.AGE, AdultSample.FNLWGT, AdultSample.HOURS};
  private static final List<String[]> ROWS = AdultSample.rows(180);

  /**
   * Rows [from, to): numbers, a sketch of hours, the flag "hours >= 40", one key set counted as
   * rows.
   */
  private static PartitionMetrics metrics(int from, int to) {
    PartitionMetrics m = new PartitionMetrics(NUMERIC.length, 1, 1, 1);
    KllDoublesSketch hours = KllDoublesSketch.newHeapInstance();
    for (String[] row : ROWS.subList(from, to)) {
      m.rows++;
      for (int f = 0; f < NUMERIC.length; f++) {
        double x = Double.parseDouble(row[NUMERIC[f]]);
        long n = ++m.count[f];
        double delta = x - m.mean[f];
        m.mean[f] += delta / n;
        m.m2[f] += delta * (x - m.mean[f]);
        m.min[f] = Math.min(m.min[f], x);
        m.max[f] = Math.max(m.max[f], x);
      }
      double h = Double.parseDouble(row[AdultSample.HOURS]);
      hours.update(h);
      m.passes[0] += h >= 40 ? 1 : 0;
      if (row[AdultSample.OCCUPATION] == null) {
        m.nulls[0]++;
      } else {
        m.keyRows[0]++;
      }
    }
    m.sketches[0] = hours.toByteArray();
    m.keyDistinct[0] = to - from;
    m.keySingletons[0] = (to - from) / 2;
    return m;
  }

  private static PartitionMetrics a() {
    return metrics(0, 40);
  }

  private static PartitionMetrics b() {
    return metrics(40, 100);
  }

  private static PartitionMetrics c() {
    return metrics(100, 180);
  }

  private static PartitionMetrics empty() {
    return new PartitionMetrics(NUMERIC.length, 1, 1, 1);
  }

  private static void assertSameMetrics(PartitionMetrics expected, PartitionMetrics actual) {
    assertEquals(expected.rows, actual.rows);
    assertArrayEquals(expected.nulls, actual.nulls);
    assertArrayEquals(expected.nonFinite, actual.nonFinite);
    assertArrayEquals(expected.count, actual.count);
    for (int f = 0; f < expected.mean.length; f++) {
      assertEquals(
          expected.mean[f], actual.mean[f], 1e-12 * Math.abs(expected.mean[f]), "mean " + f);
      assertEquals(expected.m2[f], actual.m2[f], 1e-9 * Math.abs(expected.m2[f]), "m2 " + f);
    }
    assertArrayEquals(expected.min, actual.min);
    assertArrayEquals(expected.max, actual.max);
    for (int s = 0; s < expected.sketches.length; s++) {
      KllDoublesSketch e = KllDoublesSketch.heapify(Memory.wrap(expected.sketches[s]));
      KllDoublesSketch a = KllDoublesSketch.heapify(Memory.wrap(actual.sketches[s]));
      assertEquals(e.getN(), a.getN());
      if (!e.isEmpty()) {
        double[] ranks = {0, 0.1, 0.5, 0.9, 1};
        assertArrayEquals(e.getQuantiles(ranks), a.getQuantiles(ranks));
      }
    }
    assertArrayEquals(expected.passes, actual.passes);
    assertArrayEquals(expected.keyRows, actual.keyRows);
    assertArrayEquals(expected.keyDistinct, actual.keyDistinct);
    assertArrayEquals(expected.keySingletons, actual.keySingletons);
  }

  @Test
  void mergedPartsEqualTheMetricsOfAllRows() {
    PartitionMetrics all = metrics(0, 180);
    assertSameMetrics(all, a().merge(b()).merge(c()));
    // Adult's hours vary, so a wrong M2 would show
    assertEquals(true, all.m2[2] > 1000, "M2 of hours " + all.m2[2]);
  }

  @Test
  void anEmptyStateIsTheIdentity() {
    assertSameMetrics(a(), a().merge(empty()));
    assertSameMetrics(a(), empty().merge(a()));
  }

  @Test
  void mergeIsAssociative() {
    assertSameMetrics(a().merge(b()).merge(c()), a().merge(b().merge(c())));
  }

  @Test
  void mergeIsCommutative() {
    assertSameMetrics(a().merge(b()), b().merge(a()));
  }
}
