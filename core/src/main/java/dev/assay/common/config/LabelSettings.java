package dev.assay.common.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Settings of the label jobs, under a dataset's {@code labels:} key.
 *
 * @param triggers how backdoor triggers are searched
 * @param annotations the table of individual annotator judgements, if any
 */
public record LabelSettings(Triggers triggers, Optional<Annotations> annotations) {
  public static final LabelSettings DEFAULT = new LabelSettings(Triggers.DEFAULT, Optional.empty());

  /**
   * Backdoor-trigger search.
   *
   * @param minSupport fewest rows a trigger must cover (default 10)
   * @param minSupportShare smallest share of the partition's rows a trigger must cover (default
   *     0.002); the larger of the two minimums applies
   * @param purity smallest share of a trigger's rows that carry its target label (default 0.95)
   * @param minLift how many times more frequent than in the baseline a single value must be
   *     (default 5; a value absent from the baseline has infinite lift)
   * @param maxSingles suspicious single values per partition whose pairs are counted (default 20)
   * @param evidenceRows rows kept per trigger in {@code trigger_evidence} (default 200)
   */
  public record Triggers(
      long minSupport,
      double minSupportShare,
      double purity,
      double minLift,
      int maxSingles,
      int evidenceRows) {
    public static final Triggers DEFAULT = new Triggers(10, 0.002, 0.95, 5.0, 20, 200);
  }

  /**
   * One row per judgement: (item, annotator, label), in a table with the dataset's partition
   * column.
   *
   * @param table path or catalog name
   */
  public record Annotations(
      String table, String itemColumn, String annotatorColumn, String labelColumn) {}

  static LabelSettings parse(
      YamlNode node, BiFunction<YamlNode, Path, String> tableLocation, Path base) {
    if (node.isMissing()) {
      return DEFAULT;
    }
    node.requireMapWithKeys(Set.of("triggers", "annotations"));
    Optional<Annotations> annotations = Optional.empty();
    YamlNode a = node.child("annotations");
    if (!a.isMissing()) {
      a.requireMapWithKeys(Set.of("table", "item_column", "annotator_column", "label_column"));
      annotations =
          Optional.of(
              new Annotations(
                  tableLocation.apply(a.child("table"), base),
                  a.child("item_column").string(),
                  a.child("annotator_column").string(),
                  a.child("label_column").string()));
    }
    return new LabelSettings(triggers(node.child("triggers")), annotations);
  }

  private static Triggers triggers(YamlNode node) {
    if (node.isMissing()) {
      return Triggers.DEFAULT;
    }
    node.requireMapWithKeys(
        Set.of(
            "min_support",
            "min_support_share",
            "purity",
            "min_lift",
            "max_singles",
            "evidence_rows"));
    Triggers d = Triggers.DEFAULT;
    long minSupport =
        node.has("min_support") ? node.child("min_support").positiveInt() : d.minSupport();
    double share =
        node.has("min_support_share")
            ? fraction(node.child("min_support_share"))
            : d.minSupportShare();
    double purity = node.has("purity") ? fraction(node.child("purity")) : d.purity();
    if (purity <= 0.5) {
      throw node.child("purity")
          .error("expected a purity above 0.5 (one label dominates), found " + purity);
    }
    double lift = node.has("min_lift") ? node.child("min_lift").finiteNumber() : d.minLift();
    if (lift < 1) {
      throw node.child("min_lift").error("expected a lift of at least 1, found " + lift);
    }
    int singles =
        node.has("max_singles") ? node.child("max_singles").positiveInt() : d.maxSingles();
    if (singles > 200) {
      throw node.child("max_singles")
          .error("expected at most 200 singles (pairs grow as its square), found " + singles);
    }
    int evidence =
        node.has("evidence_rows") ? node.child("evidence_rows").positiveInt() : d.evidenceRows();
    if (evidence > 100_000) {
      throw node.child("evidence_rows")
          .error("expected at most 100000 evidence rows, found " + evidence);
    }
    return new Triggers(minSupport, share, purity, lift, singles, evidence);
  }

  private static double fraction(YamlNode node) {
    double value = node.finiteNumber();
    if (value < 0 || value > 1) {
      throw node.error("expected a share in [0, 1], found " + value);
    }
    return value;
  }
}
