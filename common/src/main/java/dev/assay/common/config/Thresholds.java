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
    long minRows) {

  public static final Thresholds DEFAULTS =
      new Thresholds(
          0.1, 0.25, 0.1, Double.POSITIVE_INFINITY, 0.1, Double.POSITIVE_INFINITY, 0.05, 0.2, 0.0,
          0.01, 100);

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
      if (key.equals("min_rows")) {
        values.put(key, (double) child.positiveInt());
        continue;
      }
      double value = child.finiteNumber();
      if (value < 0) {
        throw child.error("expected a non-negative effect size, found " + value);
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
            values.get("min_rows").longValue());
    requireOrdered(node, "psi", thresholds.psiWarn, thresholds.psiFail);
    requireOrdered(node, "js", thresholds.jsWarn, thresholds.jsFail);
    requireOrdered(node, "wasserstein", thresholds.wassersteinWarn, thresholds.wassersteinFail);
    requireOrdered(node, "null_share", thresholds.nullShareWarn, thresholds.nullShareFail);
    requireOrdered(
        node, "non_finite_share", thresholds.nonFiniteShareWarn, thresholds.nonFiniteShareFail);
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
