package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.assay.common.testing.AdultSample;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link LabelState}, merged on the driver in task order: an empty state is the
 * identity, merging is associative and commutative, and subtract undoes a merge. States are built
 * by {@link LabelCounter} from Adult rows: income as the label, workclass (with Adult's missing
 * values as null) as the segment, education and age as features.
 */
@Tag("fast")
class LabelStateMergeTest {
  private static final List<String[]> ROWS = AdultSample.rows(600);
  private static final FeatureItems[] FEATURES = {
    FeatureItems.categorical("education", 16),
    FeatureItems.numeric("age", 100, new double[] {30, 45, 60})
  };

  private static LabelState state(int from, int to) {
    LabelCounter counter = new LabelCounter(1, FEATURES);
    LabelCounter.Counts counts = counter.partition("p");
    for (String[] row : ROWS.subList(from, to)) {
      int label = counter.label(UTF8String.fromString(row[AdultSample.INCOME]));
      counts.row(label);
      String workclass = row[AdultSample.WORKCLASS];
      counts.segment(0, workclass == null ? null : UTF8String.fromString(workclass), label);
      counts.text(0, UTF8String.fromString(row[AdultSample.EDUCATION]), label);
      counts.number(1, false, Double.parseDouble(row[AdultSample.AGE]), label);
    }
    return counter.seal().getOrDefault("p", new LabelState(1, FEATURES.length));
  }

  private static LabelState a() {
    return state(0, 150);
  }

  private static LabelState b() {
    return state(150, 400);
  }

  private static LabelState c() {
    return state(400, 600);
  }

  private static LabelState empty() {
    return new LabelState(1, FEATURES.length);
  }

  /** The state's counts; maps compare by content, whatever their iteration order. */
  private static List<Object> summary(LabelState s) {
    return List.of(s.rows, s.nullLabels, s.labels, s.segments, s.features);
  }

  @Test
  void theExampleStatesDifferAndHaveNullSegments() {
    assertNotEquals(summary(a()), summary(b()));
    assertEquals(
        true, state(0, 600).segments.get(0).containsKey(null), "Adult's missing workclass");
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
  }

  @Test
  void mergedPartsEqualTheStateOfAllRows() {
    assertEquals(summary(state(0, 600)), summary(a().merge(b()).merge(c())));
  }

  @Test
  void subtractUndoesAMerge() {
    assertEquals(summary(a()), summary(a().merge(b()).subtract(b())));
    assertEquals(summary(b()), summary(a().merge(b()).merge(c()).subtract(c()).subtract(a())));
  }
}
