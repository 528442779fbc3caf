package dev.assay.common.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.stats.Moments;
import dev.assay.common.stats.ValueCounts;
import dev.assay.common.testing.AdultSample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of the stored profiles, which the drift jobs merge over baseline windows in any order:
 * an empty profile is the identity (up to the distinct estimate, which a merge sets to -1), merging
 * is associative and commutative. Profiles of Adult's age and occupation; ages are integers, so
 * moments are exact, and each part stays below the KLL sketch's k, so quantiles are exact too.
 */
@Tag("fast")
class ProfileMergeTest {
  private static final List<String[]> ROWS = AdultSample.rows(180);
  private static final double[] EDGES = {25, 35, 45, 55, 65};

  private static NumericProfile age(int from, int to) {
    Moments moments = Moments.empty();
    long[] bins = new long[EDGES.length + 1];
    KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
    Map<Double, Long> values = new HashMap<>();
    for (String[] row : ROWS.subList(from, to)) {
      double x = Double.parseDouble(row[AdultSample.AGE]);
      moments = moments.add(x);
      bins[BinnedHistogram.binIndex(EDGES, x)]++;
      kll.update(x);
      values.merge(x, 1L, Long::sum);
    }
    return new NumericProfile(
        "age",
        to - from,
        0,
        0,
        values.size(),
        moments,
        BinnedHistogram.of(EDGES, bins),
        kll.toByteArray(),
        ValueCounts.of(values));
  }

  private static CategoricalProfile occupation(int from, int to) {
    Map<String, Long> counts = new HashMap<>();
    long nulls = 0;
    for (String[] row : ROWS.subList(from, to)) {
      String value = row[AdultSample.OCCUPATION];
      if (value == null) {
        nulls++;
      } else {
        counts.merge(value, 1L, Long::sum);
      }
    }
    return new CategoricalProfile(
        "occupation",
        to - from,
        nulls,
        counts.size(),
        counts,
        to - from - nulls - counts.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Everything but the distinct estimate, in comparable form. */
  private static List<Object> summary(NumericProfile p) {
    KllDoublesSketch kll = p.kll();
    double[] quantiles =
        kll.isEmpty() ? new double[0] : kll.getQuantiles(new double[] {0, 0.1, 0.5, 0.9, 1});
    return List.of(
        p.feature(),
        p.rows(),
        p.nulls(),
        p.nonFinite(),
        p.moments(),
        p.histogram(),
        kll.getN(),
        Arrays.toString(quantiles),
        p.exactValues());
  }

  private static List<Object> summary(CategoricalProfile p) {
    return List.of(p.feature(), p.rows(), p.nulls(), p.categories(), p.otherCount());
  }

  @Test
  void numericProfilesObeyTheMergeLaws() {
    NumericProfile a = age(0, 50);
    NumericProfile b = age(50, 110);
    NumericProfile c = age(110, 180);
    NumericProfile empty = age(0, 0);
    assertNotEquals(summary(a), summary(b));
    assertEquals(summary(a), summary(a.merge(empty)));
    assertEquals(summary(a), summary(empty.merge(a)));
    assertEquals(summary(a.merge(b).merge(c)), summary(a.merge(b.merge(c))));
    assertEquals(summary(a.merge(b)), summary(b.merge(a)));
    assertEquals(summary(age(0, 180)), summary(a.merge(b).merge(c)));
    assertEquals(-1, a.merge(empty).distinctEstimate());
    double[] ranks = {0.25, 0.5, 0.75};
    assertArrayEquals(
        age(0, 180).kll().getQuantiles(ranks), a.merge(b).merge(c).kll().getQuantiles(ranks));
  }

  @Test
  void categoricalProfilesObeyTheMergeLaws() {
    CategoricalProfile a = occupation(0, 50);
    CategoricalProfile b = occupation(50, 110);
    CategoricalProfile c = occupation(110, 180);
    CategoricalProfile empty = occupation(0, 0);
    assertNotEquals(summary(a), summary(b));
    assertEquals(true, occupation(0, 180).nulls() > 0, "Adult's missing occupations");
    assertEquals(summary(a), summary(a.merge(empty)));
    assertEquals(summary(a), summary(empty.merge(a)));
    assertEquals(summary(a.merge(b).merge(c)), summary(a.merge(b.merge(c))));
    assertEquals(summary(a.merge(b)), summary(b.merge(a)));
    assertEquals(summary(occupation(0, 180)), summary(a.merge(b).merge(c)));
  }
}
