package dev.assay.jobs.label;

import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.table.Columns;
import dev.assay.common.verdict.Reasons;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * How the label jobs turn a feature's value into an item, the unit of class-conditional counts and
 * trigger candidates. A categorical value is its own item. A numeric feature with few distinct
 * values keeps exact values (a backdoor often sets one exact value); other numeric features use
 * their frozen profile bins. Null, NaN and ±Infinity are items of their own. Items are strings, so
 * they can be stored and turned back into a predicate on the column.
 */
final class FeatureItems implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Numeric features with at most this many distinct values per partition keep exact values. */
  static final long EXACT_NUMERIC_DISTINCT = 1_000;

  /** Categorical features with more distinct values per partition are left out (ids, free text). */
  static final long MAX_CATEGORICAL_DISTINCT = 10_000;

  /**
   * Features with at most this many distinct values per partition are combined in pairs, whose
   * items are value combinations: a backdoor made of two common values that never occur together is
   * a new combination even when each value alone is common.
   */
  static final long PAIR_MAX_DISTINCT = 20;

  /** At most this many of the smallest-cardinality features are paired (all their pairs). */
  static final int MAX_PAIRED_FEATURES = 8;

  /** Separates the two values of a pair item. */
  static final String PAIR_SEPARATOR = "\u001f";

  /** Stands for a null value inside a pair item. */
  private static final String NULL_IN_PAIR = "\u0000";

  enum Mode {
    EXACT,
    BINNED,
    CATEGORY,
    PAIR,
    SKIPPED
  }

  private final String feature;
  private final Mode mode;
  private final double[] edges;

  /** For a pair: the indices and items of its two features. */
  private final int firstIndex;

  private final int secondIndex;
  private final FeatureItems first;
  private final FeatureItems second;

  FeatureItems(String feature, Mode mode, double[] edges) {
    this(feature, mode, edges, -1, null, -1, null);
  }

  private FeatureItems(
      String feature,
      Mode mode,
      double[] edges,
      int firstIndex,
      FeatureItems first,
      int secondIndex,
      FeatureItems second) {
    this.feature = feature;
    this.mode = mode;
    this.edges = edges;
    this.firstIndex = firstIndex;
    this.first = first;
    this.secondIndex = secondIndex;
    this.second = second;
  }

  /** The pair of features {@code a} and {@code b}, at those indices of the item array. */
  static FeatureItems pair(int aIndex, FeatureItems a, int bIndex, FeatureItems b) {
    return new FeatureItems(pairName(a.feature, b.feature), Mode.PAIR, null, aIndex, a, bIndex, b);
  }

  /** The stored name of a pair of features. */
  static String pairName(String a, String b) {
    return a + " & " + b;
  }

  /** Whether the feature's values can join pairs. */
  boolean pairable() {
    return mode == Mode.EXACT || mode == Mode.CATEGORY;
  }

  int firstIndex() {
    return firstIndex;
  }

  int secondIndex() {
    return secondIndex;
  }

  /** The stored item of a combination of two task keys of the pair's features. */
  String pairItem(Object a, Object b) {
    String x =
        first.itemOf(a instanceof org.apache.spark.unsafe.types.UTF8String t ? t.toString() : a);
    String y =
        second.itemOf(b instanceof org.apache.spark.unsafe.types.UTF8String t ? t.toString() : b);
    return (x == null ? NULL_IN_PAIR : x) + PAIR_SEPARATOR + (y == null ? NULL_IN_PAIR : y);
  }

  /** Whether this pair's item {@code item} sets feature {@code index} to {@code value}. */
  boolean pairSets(String item, int index, String value) {
    String[] values = split(item);
    return index == firstIndex && java.util.Objects.equals(values[0], value)
        || index == secondIndex && java.util.Objects.equals(values[1], value);
  }

  /** The two values of a pair item (null for a null value). */
  private static String[] split(String item) {
    String[] parts = item.split(PAIR_SEPARATOR, 2);
    for (int i = 0; i < 2; i++) {
      parts[i] = parts[i].equals(NULL_IN_PAIR) ? null : parts[i];
    }
    return parts;
  }

  /** The values of an item, one per column of {@link #columns()}. */
  List<String> values(String item) {
    return mode == Mode.PAIR
        ? java.util.Arrays.asList(split(item))
        : java.util.Collections.singletonList(item);
  }

  /** The features a pair is made of; the feature itself otherwise. */
  List<String> columns() {
    return mode == Mode.PAIR ? List.of(first.feature, second.feature) : List.of(feature);
  }

  static FeatureItems numeric(String feature, long maxDistinct, double[] edges) {
    return new FeatureItems(
        feature, maxDistinct <= EXACT_NUMERIC_DISTINCT ? Mode.EXACT : Mode.BINNED, edges);
  }

  static FeatureItems categorical(String feature, long maxDistinct) {
    return new FeatureItems(
        feature, maxDistinct <= MAX_CATEGORICAL_DISTINCT ? Mode.CATEGORY : Mode.SKIPPED, null);
  }

  String feature() {
    return feature;
  }

  Mode mode() {
    return mode;
  }

  boolean numeric() {
    return mode == Mode.EXACT || mode == Mode.BINNED;
  }

  /** The stored kind of the feature's items: exact, binned, categorical or pair. */
  String kind() {
    return mode == Mode.CATEGORY ? "categorical" : mode.name().toLowerCase();
  }

  /** The item of a numeric value (never null: null values are the null item). */
  Object numericKey(double value) {
    if (!Double.isFinite(value)) {
      return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    if (mode == Mode.EXACT) {
      return value == 0.0 ? 0.0 : value;
    }
    return BinnedHistogram.binIndex(edges, value);
  }

  /** Slots of a binned feature: its k + 1 bins, then NaN, +Infinity, -Infinity and null. */
  int slots() {
    return edges.length + 5;
  }

  /** The slot of a binned feature's value; {@link #nullSlot()} for null. */
  int slot(double value) {
    if (Double.isFinite(value)) {
      return BinnedHistogram.binIndex(edges, value);
    }
    return Double.isNaN(value) ? edges.length + 1 : value > 0 ? edges.length + 2 : edges.length + 3;
  }

  int nullSlot() {
    return edges.length + 4;
  }

  /** The task key of a slot, as {@link #numericKey} gives it. */
  Object slotKey(int slot) {
    int k = edges.length;
    return slot <= k
        ? Integer.valueOf(slot)
        : slot == k + 1 ? "NaN" : slot == k + 2 ? "Infinity" : slot == k + 3 ? "-Infinity" : null;
  }

  /** The stored form of a task key: a numeric key's canonical text, a bin's interval. */
  String itemOf(Object key) {
    if (key == null || key instanceof String) {
      return (String) key;
    }
    if (key instanceof Double d) {
      return Reasons.exact(d);
    }
    if (key instanceof Integer bin) {
      return bin(bin);
    }
    return key.toString();
  }

  private String bin(int index) {
    String lower = index == 0 ? "-Infinity" : Reasons.exact(edges[index - 1]);
    String upper = index == edges.length ? "Infinity" : Reasons.exact(edges[index]);
    return "[" + lower + ", " + upper + ")";
  }

  /** The binned form of a stored item, for drift over a bounded number of bins. */
  String coarse(String item) {
    if (mode != Mode.EXACT || item == null || !Double.isFinite(parse(item))) {
      return item;
    }
    return bin(BinnedHistogram.binIndex(edges, parse(item)));
  }

  /** A predicate selecting the rows whose value is {@code item}. */
  Column predicate(String item) {
    if (mode == Mode.PAIR) {
      String[] values = split(item);
      return first.predicate(values[0]).and(second.predicate(values[1]));
    }
    Column column = Columns.named(feature);
    if (item == null) {
      return column.isNull();
    }
    if (!numeric()) {
      return column.cast(DataTypes.StringType).equalTo(item);
    }
    Column value = column.cast(DataTypes.DoubleType);
    if (item.equals("NaN")) {
      return functions.isnan(value);
    }
    if (mode == Mode.EXACT || item.equals("Infinity") || item.equals("-Infinity")) {
      return value.equalTo(parse(item));
    }
    List<String> bounds = List.of(item.substring(1, item.length() - 1).split(", "));
    double lower = parse(bounds.get(0));
    double upper = parse(bounds.get(1));
    Column above = Double.isInfinite(lower) ? value.gt(Double.NEGATIVE_INFINITY) : value.geq(lower);
    Column below = Double.isInfinite(upper) ? value.lt(Double.POSITIVE_INFINITY) : value.lt(upper);
    return above.and(below);
  }

  /** A readable condition, such as {@code native_country = 'Holand-Netherlands'}. */
  String describe(String item) {
    if (mode == Mode.PAIR) {
      String[] values = split(item);
      return first.describe(values[0]) + " AND " + second.describe(values[1]);
    }
    if (item == null) {
      return feature + " IS NULL";
    }
    if (mode == Mode.BINNED && item.startsWith("[")) {
      return feature + " in " + item;
    }
    return numeric() ? feature + " = " + item : feature + " = '" + item.replace("'", "''") + "'";
  }

  private static double parse(String item) {
    return Double.parseDouble(item);
  }
}
