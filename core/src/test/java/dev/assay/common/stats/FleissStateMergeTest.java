package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Merge laws of {@link Agreement.FleissState}, summed over tasks in any order: an empty state is
 * the identity, merging is associative and commutative, and merged parts give the kappa of all
 * items. Items are three to five raters choosing among three labels, mostly agreeing, with a fixed
 * seed.
 */
@Tag("fast")
class FleissStateMergeTest {
  private static final List<Map<String, Integer>> ITEMS = items(300);

  private static List<Map<String, Integer>> items(int count) {
    Random random = new Random(5);
    String[] labels = {"cat", "dog", "fox"};
    List<Map<String, Integer>> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String truth = labels[random.nextInt(labels.length)];
      Map<String, Integer> item = new TreeMap<>();
      int raters = 3 + random.nextInt(3);
      for (int r = 0; r < raters; r++) {
        String label = random.nextDouble() < 0.8 ? truth : labels[random.nextInt(labels.length)];
        item.merge(label, 1, Integer::sum);
      }
      items.add(item);
    }
    return items;
  }

  private static Agreement.FleissState state(int from, int to) {
    Agreement.FleissState state = new Agreement.FleissState();
    ITEMS.subList(from, to).forEach(state::add);
    return state;
  }

  private static void assertSameState(
      Agreement.FleissState expected, Agreement.FleissState actual) {
    assertEquals(expected.ratedItems(), actual.ratedItems());
    assertEquals(expected.judgements(), actual.judgements());
    assertEquals(expected.kappa(), actual.kappa(), 1e-12);
  }

  @Test
  void mergeLaws() {
    assertNotEquals(state(0, 100).kappa(), state(100, 200).kappa());
    Agreement.FleissState empty = new Agreement.FleissState();
    assertSameState(state(0, 100), state(0, 100).merge(empty));
    assertSameState(state(0, 100), new Agreement.FleissState().merge(state(0, 100)));
    assertSameState(
        state(0, 100).merge(state(100, 200)).merge(state(200, 300)),
        state(0, 100).merge(state(100, 200).merge(state(200, 300))));
    assertSameState(state(0, 100).merge(state(100, 200)), state(100, 200).merge(state(0, 100)));
    assertSameState(state(0, 300), state(0, 100).merge(state(100, 200)).merge(state(200, 300)));
    assertEquals(Agreement.fleissKappa(ITEMS), state(0, 40).merge(state(40, 300)).kappa(), 1e-12);
  }
}
