package dev.assay.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class AgreementTest {
  private static final double EXACT = 1e-12;

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  /** One item as label → count, from alternating label and count arguments. */
  private static Map<String, Integer> item(Object... labelsAndCounts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      counts.put((String) labelsAndCounts[i], (Integer) labelsAndCounts[i + 1]);
    }
    return counts;
  }

  /** Items from rows of counts over the categories "1", "2", … */
  private static List<Map<String, Integer>> table(int[][] rows) {
    List<Map<String, Integer>> items = new ArrayList<>();
    for (int[] row : rows) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int j = 0; j < row.length; j++) {
        counts.put(String.valueOf(j + 1), row[j]);
      }
      items.add(counts);
    }
    return items;
  }

  // Fleiss

  @Test
  void fleissKappaMatchesTheFleiss1971Example() {
    // Wikipedia "Fleiss' kappa" worked example: 10 items, 14 raters, 5 categories
    int[][] rows = {
      {0, 0, 0, 0, 14},
      {0, 2, 6, 4, 2},
      {0, 0, 3, 5, 6},
      {0, 3, 9, 2, 0},
      {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0},
      {3, 2, 6, 3, 0},
      {2, 5, 3, 2, 2},
      {6, 5, 2, 1, 0},
      {0, 2, 2, 3, 7}
    };
    // Σ_ij n_ij(n_ij − 1) = 688 over 10 items of 14·13 pairs; column totals 20, 28, 39, 21, 32
    double observed = 688.0 / (10 * 14 * 13);
    double expected = (20.0 * 20 + 28 * 28 + 39 * 39 + 21 * 21 + 32 * 32) / (140 * 140);
    double kappa = Agreement.fleissKappa(table(rows));
    assertEquals((observed - expected) / (1 - expected), kappa, EXACT);
    assertEquals(0.210, kappa, 5e-4);
  }

  @Test
  void fleissKappaHandlesVaryingRaterCountsAndIgnoresItemsWithOneRater() {
    // P_1 = 2/2 = 1, P_2 = (0 + 2)/(3·2) = 1/3, so P̄ = 2/3; p_a = 3/5, p_b = 2/5, P̄e = 13/25
    List<Map<String, Integer>> items = List.of(item("a", 2), item("a", 1, "b", 2), item("b", 1));
    double expected = (2.0 / 3 - 13.0 / 25) / (1 - 13.0 / 25);
    assertEquals(11.0 / 36, expected, EXACT);
    assertEquals(expected, Agreement.fleissKappa(items), EXACT);
    assertEquals(expected, Agreement.fleissKappa(items.subList(0, 2)), EXACT);
  }

  @Test
  void fleissKappaOfPerfectAgreementIsOne() {
    List<Map<String, Integer>> items = List.of(item("a", 3), item("b", 5), item("a", 2, "b", 0));
    assertEquals(1.0, Agreement.fleissKappa(items), EXACT);
  }

  @Test
  void fleissKappaIsNaNWhenEveryRaterPicksOneLabel() {
    assertTrue(Double.isNaN(Agreement.fleissKappa(List.of(item("a", 3), item("a", 2)))));
  }

  @Test
  void fleissKappaRejectsInputWithoutAnItemOfTwoRaters() {
    assertRejected("at least 2 raters", () -> Agreement.fleissKappa(List.of()));
    assertRejected(
        "No item among 2", () -> Agreement.fleissKappa(List.of(item("a", 1), item("b", 0))));
  }

  @Test
  void fleissKappaRejectsNegativeCounts() {
    assertRejected("-1 for label b", () -> Agreement.fleissKappa(List.of(item("a", 3, "b", -1))));
  }

  // Cohen

  /** Parallel lists holding each (rater, reference) pair {@code count} times. */
  private static void add(List<String> rater, List<String> reference, String r, String e, int n) {
    rater.addAll(Collections.nCopies(n, r));
    reference.addAll(Collections.nCopies(n, e));
  }

  @Test
  void cohenKappaMatchesTheWikipediaTwoByTwoExample() {
    // 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no
    List<String> rater = new ArrayList<>();
    List<String> reference = new ArrayList<>();
    add(rater, reference, "yes", "yes", 20);
    add(rater, reference, "yes", "no", 5);
    add(rater, reference, "no", "yes", 10);
    add(rater, reference, "no", "no", 15);
    Agreement.CohenResult result = Agreement.cohenKappa(rater, reference);
    // po = 35/50; rater says yes 25/50, reference 30/50: pe = 0.5·0.6 + 0.5·0.4
    assertEquals(0.7, result.observedAgreement(), EXACT);
    assertEquals(0.5, result.expectedAgreement(), EXACT);
    assertEquals(0.4, result.kappa(), EXACT);
    assertEquals(50, result.items());
    assertEquals(
        Map.of("no", Map.of("no", 15L, "yes", 10L), "yes", Map.of("no", 5L, "yes", 20L)),
        result.confusion());
    assertEquals(List.of("no", "yes"), List.copyOf(result.confusion().keySet()));
  }

  @Test
  void cohenKappaHandlesLabelsUsedByOnlyOneSide() {
    // po = 1/3; p_rater = (a 2/3, c 1/3), p_ref = (a 1/3, b 2/3): pe = 2/9
    Agreement.CohenResult result =
        Agreement.cohenKappa(List.of("a", "a", "c"), List.of("a", "b", "b"));
    assertEquals(2.0 / 9, result.expectedAgreement(), EXACT);
    assertEquals((1.0 / 3 - 2.0 / 9) / (1 - 2.0 / 9), result.kappa(), EXACT);
    assertEquals(Map.of("a", Map.of("a", 1L, "b", 1L), "c", Map.of("b", 1L)), result.confusion());
  }

  @Test
  void cohenKappaOfPerfectAgreementIsOne() {
    List<String> labels = List.of("x", "y", "z", "x");
    Agreement.CohenResult result = Agreement.cohenKappa(labels, labels);
    assertEquals(1.0, result.kappa(), EXACT);
    assertEquals(1.0, result.observedAgreement(), EXACT);
  }

  @Test
  void cohenKappaIsNaNWhenBothSidesUseOneLabel() {
    Agreement.CohenResult result = Agreement.cohenKappa(List.of("a", "a"), List.of("a", "a"));
    assertTrue(Double.isNaN(result.kappa()));
    assertEquals(1.0, result.expectedAgreement(), EXACT);
  }

  @Test
  void cohenConfusionIsImmutable() {
    Map<String, Map<String, Long>> confusion =
        Agreement.cohenKappa(List.of("a"), List.of("b")).confusion();
    assertThrows(UnsupportedOperationException.class, () -> confusion.put("c", Map.of()));
    assertThrows(UnsupportedOperationException.class, () -> confusion.get("a").put("a", 1L));
  }

  @Test
  void cohenKappaRejectsMismatchedEmptyOrMissingLabels() {
    assertRejected(
        "2 rater labels with 1 reference labels",
        () -> Agreement.cohenKappa(List.of("a", "b"), List.of("a")));
    assertRejected("0 items", () -> Agreement.cohenKappa(List.of(), List.of()));
    assertRejected(
        "index 1",
        () -> Agreement.cohenKappa(java.util.Arrays.asList("a", null), List.of("a", "b")));
  }

  // leave-one-out majority

  @Test
  void leaveOneOutMajorityRemovesOneJudgementOfTheExcludedLabel() {
    Map<String, Integer> counts = item("a", 2, "b", 2, "c", 1);
    assertEquals("b", Agreement.leaveOneOutMajority(counts, "a"));
    assertEquals("a", Agreement.leaveOneOutMajority(counts, "b"));
    assertEquals("a", Agreement.leaveOneOutMajority(item("a", 3, "b", 1), "a"));
    assertEquals("b", Agreement.leaveOneOutMajority(item("a", 1, "b", 1), "a"));
  }

  @Test
  void leaveOneOutMajorityIsNullWhenTheTopCountIsTied() {
    assertNull(Agreement.leaveOneOutMajority(item("a", 2, "b", 2, "c", 1), "c"));
    assertNull(Agreement.leaveOneOutMajority(item("a", 2, "b", 1), "a"));
    assertNull(Agreement.leaveOneOutMajority(item("a", 1, "b", 1, "c", 1), "c"));
  }

  @Test
  void leaveOneOutMajorityIsNullWhenNoOtherRaterRemains() {
    assertNull(Agreement.leaveOneOutMajority(item("a", 1), "a"));
    assertNull(Agreement.leaveOneOutMajority(item("a", 1, "b", 0), "a"));
  }

  @Test
  void leaveOneOutMajorityRejectsALabelWithoutJudgements() {
    assertRejected("judgement of b", () -> Agreement.leaveOneOutMajority(item("a", 2), "b"));
    assertRejected(
        "judgement of b", () -> Agreement.leaveOneOutMajority(item("a", 2, "b", 0), "b"));
  }
}
