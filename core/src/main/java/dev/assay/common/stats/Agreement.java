package dev.assay.common.stats;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Inter-annotator agreement over categorical labels: Fleiss' kappa for many raters per item,
 * Cohen's kappa for one rater against a reference, and the leave-one-out majority label that a
 * single judgement is compared with. Both kappas are (P̄ − P̄e) / (1 − P̄e), observed agreement
 * corrected for the agreement expected by chance, so 1 is perfect agreement and 0 is chance level.
 */
public final class Agreement {
  private Agreement() {}

  /**
   * Fleiss' kappa, generalised to items rated by different numbers of raters.
   *
   * <p>For item i with n_i raters, n_ij of whom chose label j: P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i
   * − 1)) and P̄ is the mean of P_i over items. Label shares p_j = Σ_i n_ij / Σ_i n_i give P̄e =
   * Σ_j p_j², and kappa = (P̄ − P̄e) / (1 − P̄e). Items with fewer than 2 raters carry no agreement
   * information and are ignored entirely.
   *
   * @param items per item, label → number of raters who chose it
   * @return kappa, or NaN when P̄e = 1: every rater picked one single label, and agreement beyond
   *     chance is undefined with only one category
   * @throws IllegalArgumentException if a count is negative or no item has at least 2 raters
   */
  public static double fleissKappa(List<Map<String, Integer>> items) {
    FleissState state = new FleissState();
    for (Map<String, Integer> item : items) {
      state.add(item);
    }
    if (state.ratedItems == 0) {
      throw new IllegalArgumentException(
          "No item among "
              + items.size()
              + " has at least 2 raters, so Fleiss' kappa is undefined");
    }
    return state.kappa();
  }

  /**
   * The mergeable sums behind {@link #fleissKappa}, so items can be added on many machines and
   * merged: Σ P_i, the number of rated items, judgements and per-label totals.
   */
  public static final class FleissState implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Long> labelTotals = new HashMap<>();
    private double sumOfItemAgreements;
    private long ratedItems;
    private long judgements;

    /** Adds one item (label → raters); items with fewer than 2 raters are ignored. */
    public void add(Map<String, Integer> item) {
      long raters = raters(item);
      if (raters < 2) {
        return;
      }
      double agreeingPairs = 0;
      for (Map.Entry<String, Integer> e : item.entrySet()) {
        long n = e.getValue();
        agreeingPairs += (double) n * (n - 1);
        labelTotals.merge(e.getKey(), n, Long::sum);
      }
      sumOfItemAgreements += agreeingPairs / ((double) raters * (raters - 1));
      ratedItems++;
      judgements += raters;
    }

    public FleissState merge(FleissState other) {
      other.labelTotals.forEach((label, n) -> labelTotals.merge(label, n, Long::sum));
      sumOfItemAgreements += other.sumOfItemAgreements;
      ratedItems += other.ratedItems;
      judgements += other.judgements;
      return this;
    }

    /** Items with at least 2 raters. */
    public long ratedItems() {
      return ratedItems;
    }

    public long judgements() {
      return judgements;
    }

    /** Fleiss' kappa of the items added; NaN with no rated item or a single label. */
    public double kappa() {
      if (ratedItems == 0) {
        return Double.NaN;
      }
      double observed = sumOfItemAgreements / ratedItems;
      double expected = 0;
      for (long total : labelTotals.values()) {
        double p = (double) total / judgements;
        expected += p * p;
      }
      return Agreement.kappa(observed, expected);
    }
  }

  private static long raters(Map<String, Integer> item) {
    long raters = 0;
    for (Map.Entry<String, Integer> e : item.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException(
            "Invalid count "
                + e.getValue()
                + " for label "
                + e.getKey()
                + ": must be non-negative");
      }
      raters += e.getValue();
    }
    return raters;
  }

  /**
   * Cohen's kappa of a rater against a reference, with its parts.
   *
   * @param kappa (po − pe) / (1 − pe), NaN when pe = 1
   * @param observedAgreement po, the share of items where both labels are equal
   * @param expectedAgreement pe = Σ_k p_rater(k) · p_reference(k), agreement expected by chance
   * @param items number of items compared
   * @param confusion rater label → reference label → number of items, sorted by label
   */
  public record CohenResult(
      double kappa,
      double observedAgreement,
      double expectedAgreement,
      long items,
      Map<String, Map<String, Long>> confusion) {
    /** Copies the confusion table into unmodifiable sorted maps. */
    public CohenResult {
      SortedMap<String, Map<String, Long>> copy = new TreeMap<>();
      confusion.forEach(
          (rated, row) -> copy.put(rated, Collections.unmodifiableSortedMap(new TreeMap<>(row))));
      confusion = Collections.unmodifiableSortedMap(copy);
    }
  }

  /**
   * Cohen's kappa between two parallel label lists: po is the share of positions with equal labels,
   * pe = Σ_k p_rater(k) · p_reference(k) with p the share of each list's labels equal to k, and
   * kappa = (po − pe) / (1 − pe). Kappa is NaN when pe = 1, i.e. both lists use one single label.
   *
   * @throws IllegalArgumentException if the lists differ in length, are empty or contain null
   */
  public static CohenResult cohenKappa(List<String> rater, List<String> reference) {
    if (rater.size() != reference.size()) {
      throw new IllegalArgumentException(
          "Cannot compare "
              + rater.size()
              + " rater labels with "
              + reference.size()
              + " reference labels: the lists must be parallel");
    }
    if (rater.isEmpty()) {
      throw new IllegalArgumentException("Cannot compute Cohen's kappa over 0 items");
    }
    Map<String, Map<String, Long>> confusion = new TreeMap<>();
    for (int i = 0; i < rater.size(); i++) {
      String rated = rater.get(i);
      String expected = reference.get(i);
      if (rated == null || expected == null) {
        throw new IllegalArgumentException("Missing label at index " + i);
      }
      confusion.computeIfAbsent(rated, k -> new TreeMap<>()).merge(expected, 1L, Long::sum);
    }
    return cohenKappa(confusion);
  }

  /**
   * Cohen's kappa from a confusion table (rater label → reference label → items), as {@link
   * #cohenKappa(List, List)} computes it from the two lists.
   *
   * @throws IllegalArgumentException if the table holds no item
   */
  public static CohenResult cohenKappa(Map<String, Map<String, Long>> confusion) {
    Map<String, Long> raterTotals = new HashMap<>();
    Map<String, Long> referenceTotals = new HashMap<>();
    long equal = 0;
    long items = 0;
    for (Map.Entry<String, Map<String, Long>> row : confusion.entrySet()) {
      for (Map.Entry<String, Long> cell : row.getValue().entrySet()) {
        raterTotals.merge(row.getKey(), cell.getValue(), Long::sum);
        referenceTotals.merge(cell.getKey(), cell.getValue(), Long::sum);
        items += cell.getValue();
        equal += row.getKey().equals(cell.getKey()) ? cell.getValue() : 0;
      }
    }
    if (items == 0) {
      throw new IllegalArgumentException("Cannot compute Cohen's kappa over 0 items");
    }
    double n = items;
    double chance = 0;
    for (Map.Entry<String, Long> e : raterTotals.entrySet()) {
      chance += e.getValue() / n * referenceTotals.getOrDefault(e.getKey(), 0L) / n;
    }
    double observed = equal / n;
    return new CohenResult(kappa(observed, chance), observed, chance, items, confusion);
  }

  /** (observed − expected) / (1 − expected), NaN when chance agreement is certain. */
  private static double kappa(double observed, double expected) {
    return expected >= 1 ? Double.NaN : (observed - expected) / (1 - expected);
  }

  /**
   * The majority label among an item's other raters: one judgement equal to {@code excludedLabel}
   * is removed from the counts and the label with the strictly highest remaining count is returned.
   *
   * @param labelCounts label → number of raters of the item who chose it
   * @param excludedLabel the label of the judgement being left out; it must have a positive count
   * @return the majority label, or null when no other rater remains or the top count is tied (tied
   *     items are skipped rather than resolved arbitrarily)
   * @throws IllegalArgumentException if {@code excludedLabel} has no judgement to remove
   */
  public static String leaveOneOutMajority(Map<String, Integer> labelCounts, String excludedLabel) {
    if (labelCounts.getOrDefault(excludedLabel, 0) < 1) {
      throw new IllegalArgumentException(
          "Cannot leave out a judgement of " + excludedLabel + ": the item has none");
    }
    String majority = null;
    int top = 0;
    boolean tied = false;
    for (Map.Entry<String, Integer> e : labelCounts.entrySet()) {
      int count = e.getValue() - (e.getKey().equals(excludedLabel) ? 1 : 0);
      if (count > top) {
        majority = e.getKey();
        top = count;
        tied = false;
      } else if (count == top && count > 0) {
        tied = true;
      }
    }
    return tied ? null : majority;
  }
}
