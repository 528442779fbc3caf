package dev.assay.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Settings of the duplicates job, under a dataset's {@code duplicates:} key.
 *
 * @param sampleIds row ids kept per evidence group (default 10)
 * @param maxGroups evidence groups kept per partition and kind, largest first (default 10000); the
 *     summary counts every group
 * @param near near-duplicate search, off unless configured
 * @param quarantine where suspect rows are copied, if anywhere
 */
public record DuplicateSettings(
    int sampleIds, int maxGroups, Optional<Near> near, Optional<Quarantine> quarantine) {
  public static final DuplicateSettings DEFAULT =
      new DuplicateSettings(10, 10_000, Optional.empty(), Optional.empty());

  /** The evidence kinds, in the order they are reported. */
  public static final List<String> KINDS =
      List.of("DUPLICATE", "REPLAY", "LABEL_CONFLICT", "NEAR_DUPLICATE");

  /**
   * Near-duplicate search by banded MinHash (docs/duplicates.md).
   *
   * @param columns the compared columns; empty means every fingerprinted column
   * @param threshold Jaccard similarity of two rows' token sets at or above which they are near
   *     duplicates (default 0.5: on Febrl's noisy person records it finds 97% of the true pairs,
   *     all correct)
   * @param hashes MinHash functions; bands and rows per band are chosen from the threshold (default
   *     120)
   * @param shingle character n-gram length of string tokens (default 2)
   * @param digits significant digits numbers are rounded to before they become tokens (default 2)
   * @param maxBucket rows compared within one LSH bucket, the cost bound (default 50)
   */
  public record Near(
      List<String> columns, double threshold, int hashes, int shingle, int digits, int maxBucket) {
    public static final Near DEFAULT = new Near(List.of(), 0.5, 120, 2, 2, 50);
  }

  /**
   * Suspect rows copied, whole, to a Delta table that training can anti-join on the id columns.
   *
   * @param table path or catalog name
   * @param kinds which evidence kinds are quarantined (default DUPLICATE extra copies, REPLAY and
   *     LABEL_CONFLICT)
   */
  public record Quarantine(String table, List<String> kinds) {}

  static DuplicateSettings parse(
      YamlNode node,
      BiFunction<YamlNode, Path, String> tableLocation,
      Path base,
      List<String> idColumns) {
    if (node.isMissing()) {
      return DEFAULT;
    }
    node.requireMapWithKeys(Set.of("sample_ids", "max_groups", "near", "quarantine"));
    int sampleIds =
        node.has("sample_ids") ? bounded(node.child("sample_ids"), 1000) : DEFAULT.sampleIds();
    int maxGroups =
        node.has("max_groups") ? bounded(node.child("max_groups"), 1_000_000) : DEFAULT.maxGroups();
    Optional<Near> near =
        node.has("near") ? Optional.of(near(node.child("near"))) : Optional.empty();
    Optional<Quarantine> quarantine = Optional.empty();
    YamlNode q = node.child("quarantine");
    if (!q.isMissing()) {
      if (idColumns.isEmpty()) {
        throw q.error(
            "quarantined rows are identified by the dataset's id_columns, and it has none; set"
                + " id_columns (training anti-joins the quarantine table on them)");
      }
      q.requireMapWithKeys(Set.of("table", "kinds"));
      List<String> kinds = List.of("DUPLICATE", "REPLAY", "LABEL_CONFLICT");
      if (q.has("kinds")) {
        kinds = q.child("kinds").stringList();
        List<YamlNode> items = q.child("kinds").list();
        for (int i = 0; i < kinds.size(); i++) {
          if (!KINDS.contains(kinds.get(i))) {
            throw items
                .get(i)
                .error(
                    "unknown kind "
                        + YamlNode.printable(kinds.get(i))
                        + "; expected one of "
                        + KINDS);
          }
        }
      }
      quarantine = Optional.of(new Quarantine(tableLocation.apply(q.child("table"), base), kinds));
    }
    return new DuplicateSettings(sampleIds, maxGroups, near, quarantine);
  }

  private static Near near(YamlNode node) {
    Near d = Near.DEFAULT;
    node.requireMapWithKeys(
        Set.of("columns", "threshold", "hashes", "shingle", "digits", "max_bucket"));
    List<String> columns =
        node.has("columns") ? new ArrayList<>(node.child("columns").stringList()) : d.columns();
    double threshold =
        node.has("threshold") ? node.child("threshold").finiteNumber() : d.threshold();
    if (threshold < 0.3 || threshold >= 1) {
      throw node.child("threshold")
          .error(
              "expected a Jaccard similarity in [0.3, 1), found "
                  + threshold
                  + "; exact copies are found without near-duplicate search");
    }
    int hashes = node.has("hashes") ? bounded(node.child("hashes"), 512) : d.hashes();
    if (hashes < 16) {
      throw node.child("hashes").error("expected at least 16 MinHash functions, found " + hashes);
    }
    int shingle = node.has("shingle") ? bounded(node.child("shingle"), 10) : d.shingle();
    int digits = node.has("digits") ? bounded(node.child("digits"), 15) : d.digits();
    int maxBucket =
        node.has("max_bucket") ? bounded(node.child("max_bucket"), 10_000) : d.maxBucket();
    if (maxBucket < 2) {
      throw node.child("max_bucket")
          .error("expected at least 2 rows per bucket, found " + maxBucket);
    }
    return new Near(List.copyOf(columns), threshold, hashes, shingle, digits, maxBucket);
  }

  private static int bounded(YamlNode node, int max) {
    int value = node.positiveInt();
    if (value > max) {
      throw node.error("expected at most " + max + ", found " + value);
    }
    return value;
  }
}
