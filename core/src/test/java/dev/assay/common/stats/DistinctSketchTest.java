package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class DistinctSketchTest {
  @Test
  void estimatesSmallAndLargeCardinalitiesWithinFourStandardErrors() {
    for (int n : new int[] {1, 10, 1000, 100_000, 2_000_000}) {
      DistinctSketch sketch = new DistinctSketch();
      for (int i = 0; i < n; i++) {
        sketch.update((double) i * 1.5);
        sketch.update((double) i * 1.5);
      }
      double tolerance = Math.max(1, 4 * 0.0163 * n);
      assertEquals(n, sketch.estimate(), tolerance, "n = " + n);
    }
  }

  @Test
  void mergeEqualsTheSketchOfTheUnionAndSurvivesSerialisation() {
    DistinctSketch a = new DistinctSketch();
    DistinctSketch b = new DistinctSketch();
    DistinctSketch all = new DistinctSketch();
    for (int i = 0; i < 50_000; i++) {
      (i % 2 == 0 ? a : b).update((long) i);
      all.update((long) i);
    }
    DistinctSketch merged =
        DistinctSketch.fromBytes(a.toBytes()).merge(DistinctSketch.fromBytes(b.toBytes()));
    assertEquals(all.estimate(), merged.estimate(), 0.0);
    assertThrows(IllegalArgumentException.class, () -> DistinctSketch.fromBytes(new byte[3]));
  }

  @Test
  void stringsAndSignedZeroCountOnce() {
    DistinctSketch sketch = new DistinctSketch();
    sketch.update("Private".getBytes(StandardCharsets.UTF_8));
    sketch.update("Private".getBytes(StandardCharsets.UTF_8));
    sketch.update(0.0);
    sketch.update(-0.0);
    assertEquals(2, sketch.estimate(), 0.01);
  }
}
