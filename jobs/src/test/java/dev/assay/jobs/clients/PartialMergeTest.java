package dev.assay.jobs.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link Partial}, which sums the chunks and layers of one client's update in any
 * order: an empty Partial is the identity, merging is associative and commutative (doubles within
 * rounding). Parts are the sums of three chunks of one Gaussian update with a fixed seed.
 */
@Tag("fast")
class PartialMergeTest {
  private static final int K = 64;
  private static final float[] UPDATE = new float[3000];
  private static final float[] MEDIAN = new float[UPDATE.length];
  private static final SparseProjection PROJECTION = new SparseProjection(K, 1);

  static {
    Random random = new Random(42);
    for (int i = 0; i < UPDATE.length; i++) {
      MEDIAN[i] = (float) (0.01 * random.nextGaussian());
      UPDATE[i] = MEDIAN[i] + (float) (0.005 * random.nextGaussian());
    }
    UPDATE[17] = Float.NaN;
  }

  /** The sums of values [from, to), as the update pass computes them per chunk. */
  private static Partial chunk(int from, int to) {
    Partial p = new Partial();
    p.elements = to - from;
    for (int i = from; i < to; i++) {
      float v = UPDATE[i];
      if (!Float.isFinite(v)) {
        p.nonFinite++;
        continue;
      }
      p.sumSquares += (double) v * v;
      p.dot += (double) v * MEDIAN[i];
      p.medianSquares += (double) MEDIAN[i] * MEDIAN[i];
      if (MEDIAN[i] != 0) {
        p.signed++;
        p.agree += Math.signum(v) == Math.signum(MEDIAN[i]) ? 1 : 0;
      }
    }
    p.sketch = new double[K];
    PROJECTION.add(p.sketch, PROJECTION.base("", 0), 0, UPDATE, from, to);
    return p;
  }

  private static Partial a() {
    return chunk(0, 1000);
  }

  private static Partial b() {
    return chunk(1000, 1700);
  }

  private static Partial c() {
    Partial p = chunk(1700, 3000);
    p.duplicates = 1;
    p.nullUpdates = 2;
    return p;
  }

  private static void assertSameSums(Partial expected, Partial actual) {
    assertEquals(expected.elements, actual.elements);
    assertEquals(expected.nonFinite, actual.nonFinite);
    assertEquals(expected.nullUpdates, actual.nullUpdates);
    assertEquals(expected.duplicates, actual.duplicates);
    assertEquals(expected.agree, actual.agree);
    assertEquals(expected.signed, actual.signed);
    double tolerance = 1e-12;
    assertEquals(expected.sumSquares, actual.sumSquares, tolerance * expected.sumSquares);
    assertEquals(expected.dot, actual.dot, tolerance * Math.abs(expected.dot));
    assertEquals(expected.medianSquares, actual.medianSquares, tolerance * expected.medianSquares);
    if (expected.sketch == null) {
      assertNull(actual.sketch);
    } else {
      assertArrayEquals(expected.sketch, actual.sketch, 1e-12);
    }
  }

  @Test
  void theExamplePartsAreNotTrivial() {
    Partial all = a().merge(b()).merge(c());
    assertEquals(3000, all.elements);
    assertEquals(1, all.nonFinite);
    // the sum of the parts' sketches is the sketch of the whole update
    Partial whole = chunk(0, 3000);
    assertArrayEquals(whole.sketch, all.sketch, 1e-12);
    assertEquals(whole.sumSquares, all.sumSquares, 1e-12 * whole.sumSquares);
  }

  @Test
  void anEmptyPartialIsTheIdentity() {
    assertSameSums(a(), a().merge(new Partial()));
    assertSameSums(a(), new Partial().merge(a()));
    assertSameSums(new Partial(), new Partial().merge(new Partial()));
  }

  @Test
  void mergeIsAssociative() {
    assertSameSums(a().merge(b()).merge(c()), a().merge(b().merge(c())));
  }

  @Test
  void mergeIsCommutative() {
    assertSameSums(a().merge(b()), b().merge(a()));
    assertSameSums(a().merge(b()).merge(c()), c().merge(b()).merge(a()));
  }

  @Test
  void mergeDoesNotShareTheOthersSketch() {
    Partial other = a();
    Partial merged = new Partial().merge(other);
    merged.merge(b());
    assertArrayEquals(a().sketch, other.sketch, 0);
  }
}
