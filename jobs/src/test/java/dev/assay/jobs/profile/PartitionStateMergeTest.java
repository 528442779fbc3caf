package dev.assay.jobs.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.assay.common.testing.AdultSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link PartitionState}, the state tasks return and the driver merges in any order:
 * an empty state is the identity, merging is associative and commutative. States are built by
 * {@link PartitionAccumulator} from Adult rows; Adult's numbers are integers, so sums are exact,
 * and each part stays below the KLL sketch's k, so its quantiles are exact too.
 */
@Tag("fast")
class PartitionStateMergeTest {
  private static final int[] NUMERIC = {AdultSample.AGE, AdultSample.FNLWGT, AdultSample.HOURS};
  private static final int[] CATEGORICAL = {AdultSample.EDUCATION, AdultSample.OCCUPATION};
  private static final double[][] EDGES = {
    {25, 35, 45, 55, 65}, {1e5, 2e5, 3e5}, {20, 35, 40, 45, 60}
  };
  private static final List<String[]> ROWS = AdultSample.rows(180);

  /** The state of rows [from, to). */
  private static PartitionState state(int from, int to) {
    PartitionAccumulator accumulator = new PartitionAccumulator(EDGES, CATEGORICAL.length);
    accumulator.addRows(to - from);
    for (String[] row : ROWS.subList(from, to)) {
      for (int f = 0; f < NUMERIC.length; f++) {
        accumulator.addNumeric(f, Double.parseDouble(row[NUMERIC[f]]));
      }
      for (int c = 0; c < CATEGORICAL.length; c++) {
        String value = row[CATEGORICAL[c]];
        if (value == null) {
          accumulator.addCategoricalNull(c);
        } else {
          accumulator.count(c, UTF8String.fromString(value));
        }
      }
    }
    return accumulator.seal();
  }

  private static PartitionState a() {
    return state(0, 50);
  }

  private static PartitionState b() {
    return state(50, 110);
  }

  private static PartitionState c() {
    return state(110, 180);
  }

  private static PartitionState empty() {
    return state(0, 0);
  }

  /** Everything a profile reads from the state, in comparable form. */
  private static List<String> summary(PartitionState s) {
    List<String> out = new ArrayList<>();
    out.add("rows " + s.rows);
    out.add(
        "nulls "
            + Arrays.toString(s.nulls)
            + " nonFinite "
            + Arrays.toString(s.nonFinite)
            + " finite "
            + Arrays.toString(s.finite));
    out.add("sum " + Arrays.toString(s.sum) + " squares " + Arrays.toString(s.sumSquares));
    out.add("min " + Arrays.toString(s.min) + " max " + Arrays.toString(s.max));
    out.add("bins " + Arrays.deepToString(s.bins));
    for (int f = 0; f < s.kll.length; f++) {
      KllDoublesSketch kll = KllDoublesSketch.heapify(Memory.wrap(s.kll[f]));
      out.add(
          "kll "
              + f
              + " n "
              + kll.getN()
              + (kll.isEmpty()
                  ? ""
                  : " quantiles "
                      + Arrays.toString(
                          kll.getQuantiles(new double[] {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}))));
      out.add("distinct " + f + " " + PartitionState.distinct(s.numericDistinct[f]));
      out.add(
          "values "
              + f
              + " "
              + (s.exactValues[f] == null
                  ? "null"
                  : Arrays.toString(s.exactValues[f].values())
                      + Arrays.toString(s.exactValues[f].counts())));
    }
    out.add("categorical nulls " + Arrays.toString(s.categoricalNulls));
    for (int c = 0; c < s.items.length; c++) {
      ItemsSketch<String> items = PartitionState.items(s.items[c]);
      TreeSet<String> seen = new TreeSet<>();
      for (ItemsSketch.Row<String> row :
          items.getFrequentItems(
              org.apache.datasketches.frequencies.ErrorType.NO_FALSE_NEGATIVES)) {
        seen.add(row.getItem() + "=" + row.getEstimate());
      }
      out.add("items " + c + " n " + items.getStreamLength() + " " + seen);
      out.add(
          "categorical distinct " + c + " " + PartitionState.distinct(s.categoricalDistinct[c]));
    }
    return out;
  }

  @Test
  void theExampleStatesDiffer() {
    // the laws below would hold trivially if the parts were alike
    assertNotEquals(summary(a()), summary(b()));
    assertNotEquals(summary(a().merge(b())), summary(a()));
  }

  @Test
  void anEmptyStateIsTheIdentity() {
    assertEquals(summary(a()), summary(a().merge(empty())));
    assertEquals(summary(a()), summary(empty().merge(a())));
  }

  @Test
  void mergeIsAssociative() {
    assertEquals(summary(a().merge(b()).merge(c())), summary(a().merge(b().merge(c()))));
  }

  @Test
  void mergeIsCommutative() {
    assertEquals(summary(a().merge(b())), summary(b().merge(a())));
    assertEquals(summary(a().merge(b()).merge(c())), summary(c().merge(a()).merge(b())));
  }

  @Test
  void mergedPartsEqualTheStateOfAllRows() {
    assertEquals(summary(state(0, 180)), summary(a().merge(b()).merge(c())));
  }
}
