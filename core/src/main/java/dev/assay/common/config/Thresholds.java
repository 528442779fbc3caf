package dev.assay.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Effect-size thresholds, the keys under a dataset's {@code thresholds:}. At lake scale every
 * p-value is tiny, so effect sizes with a minimum row count decide statuses and p-values only
 * inform. A threshold of {@code +Infinity} is switched off.
 *
 * <p>Each threshold is declared once, as an {@link Entry} in {@link #ENTRIES}: its key, default,
 * how its value is read and which values it accepts. Defaults, parsing and validation all come from
 * that list; the accessors ({@link #psiWarn()} and so on) read an entry's value.
 */
public final class Thresholds {

  /**
   * One threshold: its YAML key, default, parser, the values it accepts and what it means.
   *
   * @param <T> the value type, {@code Double} for effect sizes and {@code Long} for counts
   */
  public static final class Entry<T> {
    private final String key;
    private final T defaultValue;
    private final Function<YamlNode, T> parser;
    private final Predicate<T> validator;
    private final String accepted;
    private final String doc;

    private Entry(
        String key,
        T defaultValue,
        Function<YamlNode, T> parser,
        Predicate<T> validator,
        String accepted,
        String doc) {
      this.key = key;
      this.defaultValue = defaultValue;
      this.parser = parser;
      this.validator = validator;
      this.accepted = accepted;
      this.doc = doc;
    }

    /** The key under {@code thresholds:}, such as {@code psi_warn}. */
    public String key() {
      return key;
    }

    public T defaultValue() {
      return defaultValue;
    }

    /** True when the threshold accepts {@code value}. */
    public boolean isValid(T value) {
      return validator.test(value);
    }

    /** The values the threshold accepts, as an error message says them. */
    public String accepted() {
      return accepted;
    }

    public String doc() {
      return doc;
    }

    /**
     * Reads and validates the value at {@code node}; errors name the key, the value and the fix.
     */
    T read(YamlNode node) {
      T value = parser.apply(node);
      if (!validator.test(value)) {
        throw node.error(
            "expected "
                + accepted
                + ", found "
                + value
                + "; fix the value, or leave "
                + key
                + " out for the default "
                + shown(defaultValue));
      }
      return value;
    }

    @Override
    public String toString() {
      return key;
    }
  }

  /** A change of effect size: any number from 0 up; the default may be {@code +Infinity} (off). */
  private static Entry<Double> effectSize(String key, double defaultValue, String doc) {
    return new Entry<>(
        key,
        defaultValue,
        YamlNode::finiteNumber,
        v -> v >= 0,
        "a number >= 0 (an effect size)",
        doc);
  }

  /** A share or agreement between 0 and 1, such as a significance level or a kappa. */
  private static Entry<Double> unitInterval(String key, double defaultValue, String doc) {
    return new Entry<>(
        key,
        defaultValue,
        YamlNode::finiteNumber,
        v -> v >= 0 && v <= 1,
        "a number in [0, 1]",
        doc);
  }

  /** A number of rows or items. */
  private static Entry<Long> count(String key, long defaultValue, String doc) {
    return new Entry<>(
        key,
        defaultValue,
        n -> (long) n.positiveInt(),
        v -> v >= 1,
        "a whole number of at least 1",
        doc);
  }

  private static final double OFF = Double.POSITIVE_INFINITY;

  public static final Entry<Double> PSI_WARN =
      effectSize(
          "psi_warn",
          0.1,
          "PSI at or above which a feature WARNs (the conventional \"moderate shift\")");
  public static final Entry<Double> PSI_FAIL =
      effectSize(
          "psi_fail",
          0.25,
          "PSI at or above which a feature FAILs (the conventional \"major shift\")");
  public static final Entry<Double> JS_WARN =
      effectSize("js_warn", 0.1, "Jensen-Shannon distance (natural log) that WARNs");
  public static final Entry<Double> JS_FAIL =
      effectSize("js_fail", OFF, "Jensen-Shannon distance that FAILs");
  public static final Entry<Double> WASSERSTEIN_WARN =
      effectSize(
          "wasserstein_warn",
          0.1,
          "Wasserstein distance divided by the baseline stddev that WARNs");
  public static final Entry<Double> WASSERSTEIN_FAIL =
      effectSize("wasserstein_fail", OFF, "normalised Wasserstein distance that FAILs");
  public static final Entry<Double> NULL_SHARE_WARN =
      effectSize(
          "null_share_warn",
          0.05,
          "absolute change of the null share against the baseline that WARNs");
  public static final Entry<Double> NULL_SHARE_FAIL =
      effectSize("null_share_fail", 0.2, "absolute change of the null share that FAILs");
  public static final Entry<Double> NON_FINITE_SHARE_WARN =
      effectSize(
          "non_finite_share_warn",
          0.0,
          "share of NaN/Infinity values above which a feature WARNs (0: any)");
  public static final Entry<Double> NON_FINITE_SHARE_FAIL =
      effectSize(
          "non_finite_share_fail",
          0.01,
          "share of NaN/Infinity values above which a feature FAILs");
  public static final Entry<Long> MIN_ROWS =
      count("min_rows", 100, "rows a partition and its baseline need before drift is judged");
  public static final Entry<Double> LABEL_SHARE_WARN =
      effectSize(
          "label_share_warn",
          0.02,
          "largest change of one class's label share that WARNs (the \"under 2% label-share change per week\" SLO)");
  public static final Entry<Double> LABEL_SHARE_FAIL =
      effectSize("label_share_fail", 0.05, "largest label-share change that FAILs");
  public static final Entry<Double> LABEL_ALPHA =
      unitInterval(
          "label_alpha",
          0.01,
          "significance a label change must also reach (Benjamini-Hochberg adjusted over segments, features and"
              + " classes of a partition) before it FAILs");
  public static final Entry<Double> LABEL_WARN_ALPHA =
      unitInterval(
          "label_warn_alpha",
          0.001,
          "the stricter significance a change needs to WARN: the small warn effect sizes are within a small"
              + " partition's noise, so they need stronger evidence");
  public static final Entry<Long> SEGMENT_MIN_ROWS =
      count(
          "segment_min_rows",
          100,
          "rows a segment needs in the partition and in its baseline to be judged");
  public static final Entry<Double> KAPPA_WARN =
      unitInterval("kappa_warn", 0.7, "annotator kappa below which an annotator WARNs");
  public static final Entry<Double> KAPPA_FAIL =
      unitInterval(
          "kappa_fail",
          0.6,
          "annotator kappa below which an annotator FAILs (the lower end of Landis and Koch's \"substantial\")");
  public static final Entry<Double> KAPPA_DROP_FAIL =
      unitInterval(
          "kappa_drop_fail",
          0.2,
          "drop of an annotator's kappa below their own baseline mean that FAILs");
  public static final Entry<Long> ANNOTATOR_MIN_ITEMS =
      count("annotator_min_items", 30, "items an annotator must share with others to be judged");
  public static final Entry<Double> DUPLICATE_RATE_WARN =
      effectSize(
          "duplicate_rate_warn",
          0.02,
          "excess of the duplicate-row rate over the trusted baseline's that WARNs");
  public static final Entry<Double> DUPLICATE_RATE_FAIL =
      effectSize("duplicate_rate_fail", 0.05, "excess duplicate-row rate that FAILs");
  public static final Entry<Double> REPLAY_RATE_WARN =
      effectSize(
          "replay_rate_warn",
          0.02,
          "excess of the replayed-row rate over the baseline's that WARNs");
  public static final Entry<Double> REPLAY_RATE_FAIL =
      effectSize("replay_rate_fail", 0.05, "excess replayed-row rate that FAILs");
  public static final Entry<Double> REPLAY_SOURCE_WARN =
      effectSize(
          "replay_source_warn",
          0.01,
          "share of rows that repeat content found in one earlier partition alone, beyond what natural recurrence"
              + " spread over the history predicts, that WARNs");
  public static final Entry<Double> REPLAY_SOURCE_FAIL =
      effectSize(
          "replay_source_fail", 0.02, "that share of single-source repeated rows which FAILs");
  public static final Entry<Double> CONFLICT_RATE_WARN =
      effectSize(
          "conflict_rate_warn",
          0.01,
          "excess of the label-conflict row rate over the baseline's that WARNs");
  public static final Entry<Double> CONFLICT_RATE_FAIL =
      effectSize("conflict_rate_fail", 0.03, "excess label-conflict row rate that FAILs");
  public static final Entry<Double> NEAR_DUPLICATE_RATE_WARN =
      effectSize("near_duplicate_rate_warn", 0.02, "excess near-duplicate row rate that WARNs");
  public static final Entry<Double> NEAR_DUPLICATE_RATE_FAIL =
      effectSize("near_duplicate_rate_fail", 0.05, "excess near-duplicate row rate that FAILs");

  /** Every threshold, in documentation order. */
  public static final List<Entry<?>> ENTRIES =
      List.of(
          PSI_WARN,
          PSI_FAIL,
          JS_WARN,
          JS_FAIL,
          WASSERSTEIN_WARN,
          WASSERSTEIN_FAIL,
          NULL_SHARE_WARN,
          NULL_SHARE_FAIL,
          NON_FINITE_SHARE_WARN,
          NON_FINITE_SHARE_FAIL,
          MIN_ROWS,
          LABEL_SHARE_WARN,
          LABEL_SHARE_FAIL,
          LABEL_ALPHA,
          LABEL_WARN_ALPHA,
          SEGMENT_MIN_ROWS,
          KAPPA_WARN,
          KAPPA_FAIL,
          KAPPA_DROP_FAIL,
          ANNOTATOR_MIN_ITEMS,
          DUPLICATE_RATE_WARN,
          DUPLICATE_RATE_FAIL,
          REPLAY_RATE_WARN,
          REPLAY_RATE_FAIL,
          REPLAY_SOURCE_WARN,
          REPLAY_SOURCE_FAIL,
          CONFLICT_RATE_WARN,
          CONFLICT_RATE_FAIL,
          NEAR_DUPLICATE_RATE_WARN,
          NEAR_DUPLICATE_RATE_FAIL);

  /**
   * Two thresholds where {@code lower} must not exceed {@code upper}; {@code why} says why, for the
   * error message.
   */
  record Order(Entry<Double> lower, Entry<Double> upper, String why) {
    private static Order warnBeforeFail(Entry<Double> warn, Entry<Double> fail) {
      return new Order(warn, fail, "whatever FAILs must also WARN");
    }

    void check(Thresholds thresholds, YamlNode node) {
      double low = thresholds.get(lower);
      double high = thresholds.get(upper);
      if (low > high) {
        throw node.child(lower.key())
            .error(
                lower.key()
                    + " "
                    + low
                    + " is above "
                    + upper.key()
                    + " "
                    + shown(high)
                    + "; "
                    + why
                    + ", so set "
                    + lower.key()
                    + " <= "
                    + upper.key());
      }
    }
  }

  /** The orders between thresholds that a config must keep. */
  static final List<Order> ORDERS =
      List.of(
          Order.warnBeforeFail(PSI_WARN, PSI_FAIL),
          Order.warnBeforeFail(JS_WARN, JS_FAIL),
          Order.warnBeforeFail(WASSERSTEIN_WARN, WASSERSTEIN_FAIL),
          Order.warnBeforeFail(NULL_SHARE_WARN, NULL_SHARE_FAIL),
          Order.warnBeforeFail(NON_FINITE_SHARE_WARN, NON_FINITE_SHARE_FAIL),
          Order.warnBeforeFail(LABEL_SHARE_WARN, LABEL_SHARE_FAIL),
          Order.warnBeforeFail(DUPLICATE_RATE_WARN, DUPLICATE_RATE_FAIL),
          Order.warnBeforeFail(REPLAY_RATE_WARN, REPLAY_RATE_FAIL),
          Order.warnBeforeFail(REPLAY_SOURCE_WARN, REPLAY_SOURCE_FAIL),
          Order.warnBeforeFail(CONFLICT_RATE_WARN, CONFLICT_RATE_FAIL),
          Order.warnBeforeFail(NEAR_DUPLICATE_RATE_WARN, NEAR_DUPLICATE_RATE_FAIL),
          new Order(KAPPA_FAIL, KAPPA_WARN, "a lower kappa is worse"));

  private static final Set<String> KEYS =
      ENTRIES.stream().map(Entry::key).collect(Collectors.toUnmodifiableSet());

  /** Every threshold at its default. */
  public static final Thresholds DEFAULTS = new Thresholds(defaults());

  private final Map<Entry<?>, Object> values;

  private Thresholds(Map<Entry<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  private static Map<Entry<?>, Object> defaults() {
    Map<Entry<?>, Object> values = new LinkedHashMap<>();
    for (Entry<?> entry : ENTRIES) {
      values.put(entry, entry.defaultValue());
    }
    return values;
  }

  static Thresholds parse(YamlNode node) {
    if (node.isMissing()) {
      return DEFAULTS;
    }
    node.requireMapWithKeys(KEYS);
    Map<Entry<?>, Object> values = defaults();
    for (Entry<?> entry : ENTRIES) {
      YamlNode child = node.child(entry.key());
      if (!child.isMissing()) {
        values.put(entry, entry.read(child));
      }
    }
    Thresholds thresholds = new Thresholds(values);
    for (Order order : ORDERS) {
      order.check(thresholds, node);
    }
    return thresholds;
  }

  /** The value of one threshold. */
  @SuppressWarnings("unchecked")
  public <T> T get(Entry<T> entry) {
    return (T) values.get(entry);
  }

  public double psiWarn() {
    return get(PSI_WARN);
  }

  public double psiFail() {
    return get(PSI_FAIL);
  }

  public double jsWarn() {
    return get(JS_WARN);
  }

  public double jsFail() {
    return get(JS_FAIL);
  }

  public double wassersteinWarn() {
    return get(WASSERSTEIN_WARN);
  }

  public double wassersteinFail() {
    return get(WASSERSTEIN_FAIL);
  }

  public double nullShareWarn() {
    return get(NULL_SHARE_WARN);
  }

  public double nullShareFail() {
    return get(NULL_SHARE_FAIL);
  }

  public double nonFiniteShareWarn() {
    return get(NON_FINITE_SHARE_WARN);
  }

  public double nonFiniteShareFail() {
    return get(NON_FINITE_SHARE_FAIL);
  }

  public long minRows() {
    return get(MIN_ROWS);
  }

  public double labelShareWarn() {
    return get(LABEL_SHARE_WARN);
  }

  public double labelShareFail() {
    return get(LABEL_SHARE_FAIL);
  }

  public double labelAlpha() {
    return get(LABEL_ALPHA);
  }

  public double labelWarnAlpha() {
    return get(LABEL_WARN_ALPHA);
  }

  public long segmentMinRows() {
    return get(SEGMENT_MIN_ROWS);
  }

  public double kappaWarn() {
    return get(KAPPA_WARN);
  }

  public double kappaFail() {
    return get(KAPPA_FAIL);
  }

  public double kappaDropFail() {
    return get(KAPPA_DROP_FAIL);
  }

  public long annotatorMinItems() {
    return get(ANNOTATOR_MIN_ITEMS);
  }

  public double duplicateRateWarn() {
    return get(DUPLICATE_RATE_WARN);
  }

  public double duplicateRateFail() {
    return get(DUPLICATE_RATE_FAIL);
  }

  public double replayRateWarn() {
    return get(REPLAY_RATE_WARN);
  }

  public double replayRateFail() {
    return get(REPLAY_RATE_FAIL);
  }

  public double replaySourceWarn() {
    return get(REPLAY_SOURCE_WARN);
  }

  public double replaySourceFail() {
    return get(REPLAY_SOURCE_FAIL);
  }

  public double conflictRateWarn() {
    return get(CONFLICT_RATE_WARN);
  }

  public double conflictRateFail() {
    return get(CONFLICT_RATE_FAIL);
  }

  public double nearDuplicateRateWarn() {
    return get(NEAR_DUPLICATE_RATE_WARN);
  }

  public double nearDuplicateRateFail() {
    return get(NEAR_DUPLICATE_RATE_FAIL);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Thresholds that && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }

  @Override
  public String toString() {
    return ENTRIES.stream()
        .map(entry -> entry.key() + "=" + shown(get(entry)))
        .collect(Collectors.joining(", ", "Thresholds[", "]"));
  }

  /** A value as messages show it: {@code +Infinity} is "off". */
  private static String shown(Object value) {
    return value instanceof Double d && d.isInfinite() ? "off" : String.valueOf(value);
  }
}
