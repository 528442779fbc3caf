package dev.assay.common.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Effect-size thresholds. At lake scale every p-value is tiny, so effect sizes with a minimum row
 * count decide statuses and p-values only inform. A threshold of {@code +Infinity} is switched off.
 *
 * @param psiWarn PSI at or above which a feature WARNs (default 0.1, the conventional "moderate shift")
 * @param psiFail PSI at or above which a feature FAILs (default 0.25, the conventional "major shift")
 * @param jsWarn Jensen-Shannon distance (natural log) that WARNs (default 0.1)
 * @param jsFail Jensen-Shannon distance that FAILs (default off)
 * @param wassersteinWarn Wasserstein distance divided by the baseline stddev that WARNs (default 0.1)
 * @param wassersteinFail normalised Wasserstein that FAILs (default off)
 * @param nullShareWarn absolute change of the null share against the baseline that WARNs (default 0.05)
 * @param nullShareFail absolute change of the null share that FAILs (default 0.2)
 * @param nonFiniteShareWarn share of NaN/Infinity values above which a feature WARNs (default 0: any)
 * @param nonFiniteShareFail share of NaN/Infinity values above which a feature FAILs (default 0.01)
 * @param minRows rows a partition and its baseline need before drift is judged (default 100)
 * @param labelShareWarn largest change of one class's label share that WARNs (default 0.02: the
 *     "under 2% label-share change per week" SLO)
 * @param labelShareFail largest label-share change that FAILs (default 0.05)
 * @param labelAlpha significance a label change must also reach (Benjamini-Hochberg adjusted over
 *     segments, features and classes of a partition) before it FAILs (default 0.01)
 * @param labelWarnAlpha the stricter significance a change needs to WARN (default 0.001): the small
 *     warn effect sizes are within a small partition's noise, so they need stronger evidence
 * @param segmentMinRows rows a segment needs in the partition and in its baseline to be judged
 *     (default 100)
 * @param kappaWarn annotator kappa below which an annotator WARNs (default 0.7)
 * @param kappaFail annotator kappa below which an annotator FAILs (default 0.6, the lower end of
 *     Landis and Koch's "substantial")
 * @param kappaDropFail drop of an annotator's kappa below their own baseline mean that FAILs
 *     (default 0.2)
 * @param annotatorMinItems items an annotator must share with others to be judged (default 30)
 * @param duplicateRateWarn excess of the duplicate-row rate over the trusted baseline's that WARNs (default 0.02)
 * @param duplicateRateFail excess duplicate-row rate that FAILs (default 0.05)
 * @param replayRateWarn excess of the replayed-row rate over the baseline's that WARNs (default 0.02)
 * @param replayRateFail excess replayed-row rate that FAILs (default 0.05)
 * @param replaySourceWarn share of rows that repeat content found in one earlier partition alone, beyond what
 *     natural recurrence spread over the history predicts, that WARNs (default 0.01)
 * @param replaySourceFail that share which FAILs (default 0.02)
 * @param conflictRateWarn excess of the label-conflict row rate over the baseline's that WARNs (default 0.01)
 * @param conflictRateFail excess label-conflict row rate that FAILs (default 0.03)
 * @param nearDuplicateRateWarn excess near-duplicate row rate that WARNs (default 0.02)
 * @param nearDuplicateRateFail excess near-duplicate row rate that FAILs (default 0.05)
 */
public record Thresholds(
    double psiWarn,
    double psiFail,
    double jsWarn,
    double jsFail,
    double wassersteinWarn,
    double wassersteinFail,
    double nullShareWarn,
    double nullShareFail,
    double nonFiniteShareWarn,
    double nonFiniteShareFail,
    long minRows,
    double labelShareWarn,
    double labelShareFail,
    double labelAlpha,
    double labelWarnAlpha,
    long segmentMinRows,
    double kappaWarn,
    double kappaFail,
    double kappaDropFail,
    long annotatorMinItems,
    double duplicateRateWarn,
    double duplicateRateFail,
    double replayRateWarn,
    double replayRateFail,
    double replaySourceWarn,
    double replaySourceFail,
    double conflictRateWarn,
    double conflictRateFail,
    double nearDuplicateRateWarn,
    double nearDuplicateRateFail) {

  public static final Thresholds DEFAULTS =
      new Thresholds(
          0.1, 0.25, 0.1, Double.POSITIVE_INFINITY, 0.1, Double.POSITIVE_INFINITY, 0.05, 0.2, 0.0,
          0.01, 100, 0.02, 0.05, 0.01, 0.001, 100, 0.7, 0.6, 0.2, 30, 0.02, 0.05, 0.02, 0.05, 0.01, 0.02,
          0.01, 0.03, 0.02, 0.05);

  private static final Set<String> COUNTS = Set.of("min_rows", "segment_min_rows", "annotator_min_items");

  /** The YAML keys under {@code thresholds:}, with their defaults, in documentation order. */
  public static Map<String, Double> defaultsByKey() {
    Map<String, Double> keys = new LinkedHashMap<>();
    keys.put("psi_warn", DEFAULTS.psiWarn);
    keys.put("psi_fail", DEFAULTS.psiFail);
    keys.put("js_warn", DEFAULTS.jsWarn);
    keys.put("js_fail", DEFAULTS.jsFail);
    keys.put("wasserstein_warn", DEFAULTS.wassersteinWarn);
    keys.put("wasserstein_fail", DEFAULTS.wassersteinFail);
    keys.put("null_share_warn", DEFAULTS.nullShareWarn);
    keys.put("null_share_fail", DEFAULTS.nullShareFail);
    keys.put("non_finite_share_warn", DEFAULTS.nonFiniteShareWarn);
    keys.put("non_finite_share_fail", DEFAULTS.nonFiniteShareFail);
    keys.put("min_rows", (double) DEFAULTS.minRows);
    keys.put("label_share_warn", DEFAULTS.labelShareWarn);
    keys.put("label_share_fail", DEFAULTS.labelShareFail);
    keys.put("label_alpha", DEFAULTS.labelAlpha);
    keys.put("label_warn_alpha", DEFAULTS.labelWarnAlpha);
    keys.put("segment_min_rows", (double) DEFAULTS.segmentMinRows);
    keys.put("kappa_warn", DEFAULTS.kappaWarn);
    keys.put("kappa_fail", DEFAULTS.kappaFail);
    keys.put("kappa_drop_fail", DEFAULTS.kappaDropFail);
    keys.put("annotator_min_items", (double) DEFAULTS.annotatorMinItems);
    keys.put("duplicate_rate_warn", DEFAULTS.duplicateRateWarn);
    keys.put("duplicate_rate_fail", DEFAULTS.duplicateRateFail);
    keys.put("replay_rate_warn", DEFAULTS.replayRateWarn);
    keys.put("replay_rate_fail", DEFAULTS.replayRateFail);
    keys.put("replay_source_warn", DEFAULTS.replaySourceWarn);
    keys.put("replay_source_fail", DEFAULTS.replaySourceFail);
    keys.put("conflict_rate_warn", DEFAULTS.conflictRateWarn);
    keys.put("conflict_rate_fail", DEFAULTS.conflictRateFail);
    keys.put("near_duplicate_rate_warn", DEFAULTS.nearDuplicateRateWarn);
    keys.put("near_duplicate_rate_fail", DEFAULTS.nearDuplicateRateFail);
    return keys;
  }

  static Thresholds parse(YamlNode node) {
    if (node.isMissing()) {
      return DEFAULTS;
    }
    Map<String, Double> values = defaultsByKey();
    node.requireMapWithKeys(values.keySet());
    for (String key : Set.copyOf(values.keySet())) {
      YamlNode child = node.child(key);
      if (child.isMissing()) {
        continue;
      }
      if (COUNTS.contains(key)) {
        values.put(key, (double) child.positiveInt());
        continue;
      }
      double value = child.finiteNumber();
      if (value < 0) {
        throw child.error("expected a non-negative effect size, found " + value);
      }
      if ((key.endsWith("alpha") || key.startsWith("kappa")) && value > 1) {
        throw child.error("expected a value in [0, 1], found " + value);
      }
      values.put(key, value);
    }
    Thresholds thresholds =
        new Thresholds(
            values.get("psi_warn"),
            values.get("psi_fail"),
            values.get("js_warn"),
            values.get("js_fail"),
            values.get("wasserstein_warn"),
            values.get("wasserstein_fail"),
            values.get("null_share_warn"),
            values.get("null_share_fail"),
            values.get("non_finite_share_warn"),
            values.get("non_finite_share_fail"),
            values.get("min_rows").longValue(),
            values.get("label_share_warn"),
            values.get("label_share_fail"),
            values.get("label_alpha"),
            values.get("label_warn_alpha"),
            values.get("segment_min_rows").longValue(),
            values.get("kappa_warn"),
            values.get("kappa_fail"),
            values.get("kappa_drop_fail"),
            values.get("annotator_min_items").longValue(),
            values.get("duplicate_rate_warn"),
            values.get("duplicate_rate_fail"),
            values.get("replay_rate_warn"),
            values.get("replay_rate_fail"),
            values.get("replay_source_warn"),
            values.get("replay_source_fail"),
            values.get("conflict_rate_warn"),
            values.get("conflict_rate_fail"),
            values.get("near_duplicate_rate_warn"),
            values.get("near_duplicate_rate_fail"));
    requireOrdered(node, "psi", thresholds.psiWarn, thresholds.psiFail);
    requireOrdered(node, "js", thresholds.jsWarn, thresholds.jsFail);
    requireOrdered(node, "wasserstein", thresholds.wassersteinWarn, thresholds.wassersteinFail);
    requireOrdered(node, "null_share", thresholds.nullShareWarn, thresholds.nullShareFail);
    requireOrdered(
        node, "non_finite_share", thresholds.nonFiniteShareWarn, thresholds.nonFiniteShareFail);
    requireOrdered(node, "label_share", thresholds.labelShareWarn, thresholds.labelShareFail);
    requireOrdered(node, "duplicate_rate", thresholds.duplicateRateWarn, thresholds.duplicateRateFail);
    requireOrdered(node, "replay_rate", thresholds.replayRateWarn, thresholds.replayRateFail);
    requireOrdered(node, "replay_source", thresholds.replaySourceWarn, thresholds.replaySourceFail);
    requireOrdered(node, "conflict_rate", thresholds.conflictRateWarn, thresholds.conflictRateFail);
    requireOrdered(node, "near_duplicate_rate", thresholds.nearDuplicateRateWarn, thresholds.nearDuplicateRateFail);
    if (thresholds.kappaFail > thresholds.kappaWarn) {
      throw node.child("kappa_fail").error("kappa_fail " + thresholds.kappaFail + " is above kappa_warn "
          + thresholds.kappaWarn + "; a lower kappa is worse, so set kappa_fail <= kappa_warn");
    }
    return thresholds;
  }

  private static void requireOrdered(YamlNode node, String metric, double warn, double fail) {
    if (warn > fail) {
      throw node.child(metric + "_warn")
          .error(
              "warn threshold " + warn + " is above the fail threshold " + fail
                  + "; set " + metric + "_warn <= " + metric + "_fail");
    }
  }
}
