package dev.assay.common.config;

import java.util.Set;

/**
 * How features are profiled.
 *
 * @param bins quantile bins between the underflow and overflow bins of numeric histograms (default
 *     10: deciles, the usual PSI binning)
 * @param topK categories kept per categorical feature and partition; the rest is counted as "other"
 *     (default 50)
 */
public record ProfileSettings(int bins, int topK) {
  public static final ProfileSettings DEFAULT = new ProfileSettings(10, 50);

  static ProfileSettings parse(YamlNode node) {
    if (node.isMissing()) {
      return DEFAULT;
    }
    node.requireMapWithKeys(Set.of("bins", "top_k"));
    int bins = node.has("bins") ? node.child("bins").positiveInt() : DEFAULT.bins;
    if (bins < 2 || bins > 1000) {
      throw node.child("bins").error("expected between 2 and 1000 bins, found " + bins);
    }
    int topK = node.has("top_k") ? node.child("top_k").positiveInt() : DEFAULT.topK;
    if (topK > 10_000) {
      throw node.child("top_k").error("expected at most 10000 categories, found " + topK);
    }
    return new ProfileSettings(bins, topK);
  }
}
