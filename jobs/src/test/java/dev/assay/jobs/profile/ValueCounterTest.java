package dev.assay.jobs.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.assay.common.stats.ValueCounts;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ValueCounterTest {
  @Test
  void countsEveryValueExactlyInIncreasingOrder() {
    Random random = new Random(5);
    ValueCounter counter = new ValueCounter();
    Map<Double, Long> expected = new TreeMap<>();
    for (int i = 0; i < 50_000; i++) {
      double x = (random.nextInt(100) - 50) * 0.25;
      counter.add(x);
      expected.merge(x, 1L, Long::sum);
    }
    assertEquals(ValueCounts.of(expected), counter.seal());
  }

  @Test
  void countsValuesOfEveryScaleAndSign() {
    Random random = new Random(9);
    double[] kinds = {1, 0.5, 1000, -1, 1e-9, 1e12, 0.1};
    for (double step : kinds) {
      ValueCounter counter = new ValueCounter();
      Map<Double, Long> expected = new TreeMap<>();
      for (int i = 0; i < 10_000; i++) {
        double x = (random.nextInt(ValueCounts.MAX_DISTINCT) - 30) * step;
        counter.add(x);
        expected.merge(x + 0.0, 1L, Long::sum);
      }
      assertEquals(ValueCounts.of(expected), counter.seal(), "values in steps of " + step);
    }
  }

  @Test
  void minusZeroCountsAsZero() {
    ValueCounter counter = new ValueCounter();
    counter.add(-0.0);
    counter.add(0.0);
    counter.add(1.0);
    assertEquals(ValueCounts.of(new double[] {0, 1}, new long[] {2, 1}), counter.seal());
  }

  @Test
  void keepsOneHundredDistinctValuesAndGivesUpAtTheHundredAndFirst() {
    ValueCounter counter = new ValueCounter();
    for (int v = 0; v < ValueCounts.MAX_DISTINCT; v++) {
      counter.add(v * 1e6);
      counter.add(v * 1e6);
    }
    assertEquals(ValueCounts.MAX_DISTINCT, counter.seal().size());
    counter.add(-1);
    assertNull(counter.seal());
    counter.add(0);
    assertNull(counter.seal(), "once given up, it stays null");
  }
}
