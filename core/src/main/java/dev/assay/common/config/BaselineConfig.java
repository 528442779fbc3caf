package dev.assay.common.config;

import java.util.List;
import java.util.Set;

/**
 * Which earlier partitions a partition is compared with.
 *
 * @param strategy how baseline partitions are chosen
 * @param partitions how many partitions the trusted and trailing strategies take (default 7)
 * @param pinned the partition values of the pinned strategy
 * @param season which earlier partitions are comparable: all, or (weekday) only those on the same
 *     day of the week, for tables with a weekly cycle
 */
public record BaselineConfig(
    Strategy strategy, int partitions, List<String> pinned, Season season) {

  /** Baseline strategies. */
  public enum Strategy {
    /** The last N earlier partitions whose verdict was PASS: a slow attacker cannot walk it. */
    TRUSTED,
    /** The last N earlier partitions, whatever their verdict. */
    TRAILING,
    /** A fixed list of partitions. */
    PINNED
  }

  /** Seasons: which earlier partitions a partition is comparable with. */
  public enum Season {
    /** Every earlier partition. */
    NONE,
    /** Partitions on the same day of the week (the partition values must be dates). */
    WEEKDAY
  }

  public static final BaselineConfig DEFAULT =
      new BaselineConfig(Strategy.TRUSTED, 7, List.of(), Season.NONE);

  static BaselineConfig parse(YamlNode node) {
    if (node.isMissing()) {
      return DEFAULT;
    }
    node.requireMapWithKeys(Set.of("strategy", "partitions", "pinned", "season"));
    String strategyName = node.child("strategy").stringOr("trusted");
    Strategy strategy =
        switch (strategyName) {
          case "trusted" -> Strategy.TRUSTED;
          case "trailing" -> Strategy.TRAILING;
          case "pinned" -> Strategy.PINNED;
          default ->
              throw node.child("strategy")
                  .error(
                      "unknown strategy "
                          + YamlNode.printable(strategyName)
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
    String seasonName = node.child("season").stringOr("none");
    Season season =
        switch (seasonName) {
          case "none" -> Season.NONE;
          case "weekday" -> Season.WEEKDAY;
          default ->
              throw node.child("season")
                  .error(
                      "unknown season "
                          + YamlNode.printable(seasonName)
                          + "; expected none or weekday (same day of the week, for date partitions)");
        };
    if (season != Season.NONE && strategy == Strategy.PINNED) {
      throw node.child("season")
          .error(
              "'season' does not apply to strategy 'pinned' (the pinned set is fixed);"
                  + " remove it or use strategy trusted or trailing");
    }
    return new BaselineConfig(strategy, partitions, pinned, season);
  }
}
