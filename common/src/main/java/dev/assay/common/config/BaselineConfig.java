package dev.assay.common.config;

import java.util.List;
import java.util.Set;

/**
 * Which earlier partitions a partition is compared with.
 *
 * @param strategy how baseline partitions are chosen
 * @param partitions how many partitions the trusted and trailing strategies take (default 7)
 * @param pinned the partition values of the pinned strategy
 */
public record BaselineConfig(Strategy strategy, int partitions, List<String> pinned) {

  /** Baseline strategies. */
  public enum Strategy {
    /** The last N earlier partitions whose verdict was PASS: a slow attacker cannot walk it. */
    TRUSTED,
    /** The last N earlier partitions, whatever their verdict. */
    TRAILING,
    /** A fixed list of partitions. */
    PINNED
  }

  public static final BaselineConfig DEFAULT = new BaselineConfig(Strategy.TRUSTED, 7, List.of());

  static BaselineConfig parse(YamlNode node) {
    if (node.isMissing()) {
      return DEFAULT;
    }
    node.requireMapWithKeys(Set.of("strategy", "partitions", "pinned"));
    String strategyName = node.child("strategy").stringOr("trusted");
    Strategy strategy =
        switch (strategyName) {
          case "trusted" -> Strategy.TRUSTED;
          case "trailing" -> Strategy.TRAILING;
          case "pinned" -> Strategy.PINNED;
          default -> throw node.child("strategy")
              .error(
                  "unknown strategy " + YamlNode.printable(strategyName)
                      + "; expected trusted, trailing or pinned");
        };
    int partitions =
        node.has("partitions") ? node.child("partitions").positiveInt() : DEFAULT.partitions();
    List<String> pinned = node.child("pinned").stringList();
    if (strategy == Strategy.PINNED && pinned.isEmpty()) {
      throw node.child("pinned")
          .error("strategy 'pinned' needs a non-empty list of partition values under 'pinned'");
    }
    if (strategy != Strategy.PINNED && !pinned.isEmpty()) {
      throw node.child("pinned")
          .error("'pinned' applies only to strategy 'pinned'; set strategy: pinned or remove it");
    }
    return new BaselineConfig(strategy, partitions, pinned);
  }
}
