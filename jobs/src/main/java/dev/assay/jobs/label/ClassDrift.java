package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.ClassDriftRecord;
import dev.assay.common.stats.Divergences;
import dev.assay.common.stats.MultipleTesting;
import dev.assay.common.stats.NaturalRange;
import dev.assay.common.verdict.Calibrated;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Class-conditional feature drift. Flipped labels move a feature's distribution within a class
 * while its marginal stays put, so each (feature, class) is compared with the baseline's, and a
 * class is flagged when its conditional PSI reaches the PSI thresholds, significantly (BH over
 * every feature and class of the partition, at label_alpha to FAIL and label_warn_alpha to WARN)
 * and above the table's natural range for it (LabelRanges), while the marginal PSI stays below
 * psi_warn and below a fifth of the conditional PSI. Numeric features compare their frozen profile
 * bins; categorical ones their values holding at least 1% of the class in the baseline, the rest
 * pooled as "other".
 */
final class ClassDrift {
  static final double MIN_CATEGORY_SHARE = 0.01;

  /**
   * The most the marginal PSI may be, as a share of the conditional PSI, for a class's shift to
   * look like relabelling: flipped labels move rows between classes without changing any feature,
   * so the marginal stays at sampling noise (a flip in Adult: conditional 0.149, marginal 0.005).
   * When the marginal moved a fifth as much, the feature itself moved (a storm day's delays), which
   * is feature-drift's finding.
   */
  static final double MARGINAL_SHARE = 0.2;

  private static final String OTHER = "(other)";

  private ClassDrift() {}

  /** One (feature, class) comparison of a partition with its baseline. */
  record Test(
      String feature,
      String label,
      long rows,
      long baseRows,
      double psi,
      double marginalPsi,
      double p) {
    String key() {
      return feature + "\u0000" + label;
    }
  }

  /** Every (feature, class) with enough rows on both sides, compared. */
  static List<Test> tests(Thresholds t, LabelState state, LabelState base, FeatureItems[] items) {
    List<Test> tests = new ArrayList<>();
    for (int f = 0; f < items.length; f++) {
      if (items[f].mode() == FeatureItems.Mode.SKIPPED
          || items[f].mode() == FeatureItems.Mode.PAIR) {
        continue;
      }
      for (String label : new TreeSet<>(state.labels.keySet())) {
        long rows = state.labels.get(label);
        long baseRows = base.labels.getOrDefault(label, 0L);
        if (rows < t.minRows() || baseRows < t.minRows()) {
          continue;
        }
        Map<String, Long> now = new HashMap<>();
        Map<String, Long> before = new HashMap<>();
        Map<String, Long> marginalNow = new HashMap<>();
        Map<String, Long> marginalBefore = new HashMap<>();
        Map<String, String> coarse = coarsening(items[f], base.features.get(f), label, baseRows);
        collect(state.features.get(f), label, coarse, items[f], now, marginalNow);
        collect(base.features.get(f), label, coarse, items[f], before, marginalBefore);
        if (now.isEmpty() || before.isEmpty()) {
          continue;
        }
        long[][] conditional = aligned(now, before);
        long[][] marginal = aligned(marginalNow, marginalBefore);
        tests.add(
            new Test(
                items[f].feature(),
                label,
                rows,
                baseRows,
                Divergences.psi(conditional[1], conditional[0]),
                Divergences.psi(marginal[1], marginal[0]),
                Divergences.chiSquarePValue(conditional[1], conditional[0])));
      }
    }
    return tests;
  }

  /**
   * The {@code class_conditional_drift} rows of one partition: one per (feature, class) compared.
   */
  static List<ClassDriftRecord> judge(
      Thresholds t,
      Scope scope,
      LabelState state,
      LabelState base,
      List<String> baseline,
      FeatureItems[] items,
      LabelRanges ranges) {
    List<Test> tests = tests(t, state, base, items);
    double[] adjusted =
        MultipleTesting.benjaminiHochberg(tests.stream().mapToDouble(Test::p).toArray());
    List<ClassDriftRecord> out = new ArrayList<>();
    for (int i = 0; i < tests.size(); i++) {
      Test test = tests.get(i);
      Status status = Status.OK;
      String reason = null;
      if (test.marginalPsi() < t.psiWarn() && test.marginalPsi() <= MARGINAL_SHARE * test.psi()) {
        NaturalRange range = ranges.conditional(test.key());
        Calibrated effect = Calibrated.judge(test.psi(), t.psiWarn(), t.psiFail(), range);
        status = effect.status();
        if (status != Status.OK && range != null && range.median() >= t.psiWarn()) {
          // a class whose feature distribution typically moves past psi_warn (a minority class of a
          // few
          // hundred rows spread over many categories) says nothing about relabelling
          status = Status.OK;
          effect =
              new Calibrated(
                  Status.OK,
                  effect.note()
                      + ", but this class typically moves past warn "
                      + Reasons.number(t.psiWarn())
                      + " on its own, so it only informs");
        }
        double alpha = status == Status.FAIL ? t.labelAlpha() : t.labelWarnAlpha();
        String significance = " (p_adjusted " + Reasons.number(adjusted[i]) + ")";
        if (status != Status.OK && adjusted[i] > alpha) {
          status = Status.OK;
          significance =
              " (p_adjusted "
                  + Reasons.number(adjusted[i])
                  + " > alpha "
                  + Reasons.number(alpha)
                  + ": not significant, so OK)";
        }
        boolean pastFail = test.psi() >= t.psiFail();
        reason =
            effect.note() == null
                ? null
                : "label-drift: class-conditional: "
                    + Reasons.comparison(
                        "psi",
                        test.feature() + " | label='" + test.label() + "'",
                        test.psi(),
                        pastFail ? "fail" : "warn",
                        pastFail ? t.psiFail() : t.psiWarn())
                    + " while the marginal psi "
                    + Reasons.number(test.marginalPsi())
                    + " < warn "
                    + Reasons.number(t.psiWarn())
                    + ", "
                    + effect.note()
                    + significance
                    + (status == Status.OK
                        ? (effect.status() == Status.OK ? ", so OK" : "")
                        : ": labels of this class look flipped or relabelled");
      }
      out.add(
          new ClassDriftRecord(
              scope.dataset(),
              scope.partition(),
              scope.runId(),
              test.feature(),
              test.label(),
              List.copyOf(baseline),
              test.rows(),
              test.baseRows(),
              test.psi(),
              test.marginalPsi(),
              test.p(),
              adjusted[i],
              status.name(),
              reason));
    }
    return out;
  }

  /**
   * Item → comparison bucket for one class: the class's frequent baseline categories, the rest
   * "other"; null for numeric features, whose items are binned.
   */
  private static Map<String, String> coarsening(
      FeatureItems items, Map<String, Map<String, Long>> baseline, String label, long baseRows) {
    if (items.numeric()) {
      return null;
    }
    Map<String, String> buckets = new HashMap<>();
    baseline.forEach(
        (item, labels) -> {
          if (labels.getOrDefault(label, 0L) >= MIN_CATEGORY_SHARE * baseRows) {
            buckets.put(item, item);
          }
        });
    return buckets;
  }

  private static void collect(
      Map<String, Map<String, Long>> counts,
      String label,
      Map<String, String> coarse,
      FeatureItems items,
      Map<String, Long> conditional,
      Map<String, Long> marginal) {
    counts.forEach(
        (item, labels) -> {
          String bucket = coarse == null ? items.coarse(item) : coarse.getOrDefault(item, OTHER);
          String key = bucket == null ? "\u0000null" : bucket;
          long inClass = labels.getOrDefault(label, 0L);
          if (inClass > 0) {
            conditional.merge(key, inClass, Long::sum);
          }
          labels.values().forEach(c -> marginal.merge(key, c, Long::sum));
        });
  }

  /** Two count maps as arrays over the union of their keys: [current, baseline]. */
  private static long[][] aligned(Map<String, Long> now, Map<String, Long> before) {
    TreeSet<String> keys = new TreeSet<>(now.keySet());
    keys.addAll(before.keySet());
    long[][] arrays = new long[2][keys.size()];
    int i = 0;
    for (String key : keys) {
      arrays[0][i] = now.getOrDefault(key, 0L);
      arrays[1][i] = before.getOrDefault(key, 0L);
      i++;
    }
    return arrays;
  }
}
