package dev.assay.common.config;

import dev.assay.common.checks.AnomalyStrategy;
import dev.assay.common.checks.Assertion;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.checks.Metric;
import dev.assay.common.checks.RowChecksum;
import dev.assay.common.records.CheckResultRecord;
import dev.assay.common.records.TableRecords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses a dataset's {@code checks:} list into {@link Check}s. Each constraint is a one-key mapping
 * from its kind to its parameters; docs/checks.md lists every kind and key. Column names, types and
 * SQL predicates are checked against the table when the checks job opens it.
 */
final class ChecksParser {
  private static final Set<String> COMMON = Set.of("name", "hint", "min", "max", "anomaly");

  /** Kinds and their own keys, besides {@link #COMMON}. */
  private static final Map<String, Set<String>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("size", Set.of());
    KINDS.put("complete", Set.of("column"));
    KINDS.put("completeness", Set.of("column"));
    KINDS.put("unique", Set.of("columns"));
    KINDS.put("uniqueness", Set.of("columns"));
    KINDS.put("distinctness", Set.of("columns"));
    KINDS.put("min", Set.of("column"));
    KINDS.put("max", Set.of("column"));
    KINDS.put("mean", Set.of("column"));
    KINDS.put("stddev", Set.of("column"));
    KINDS.put("quantile", Set.of("column", "quantile"));
    KINDS.put("allowed_values", Set.of("column", "values"));
    KINDS.put("pattern", Set.of("column", "regex"));
    KINDS.put("satisfies", Set.of("predicate"));
    KINDS.put("provenance", Set.of("columns"));
    KINDS.put("checksum", Set.of("column", "algorithm", "columns", "exclude"));
    KINDS.put("metric", Set.of("table", "column", "where", "aggregate"));
  }

  /** Kinds that default to "every row passes" (min 1) when no bound or anomaly is given. */
  private static final Set<String> ALL_ROWS_BY_DEFAULT =
      Set.of(
          "complete", "unique", "allowed_values", "pattern", "satisfies", "provenance", "checksum");

  private ChecksParser() {}

  static List<Check> parse(YamlNode node) {
    List<Check> checks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode item : node.list()) {
      item.requireMapWithKeys(Set.of("check", "level", "constraints"));
      String name = item.child("check").string();
      if (!names.add(name)) {
        throw item.child("check")
            .error("duplicate check name '" + name + "'; check names must be unique per dataset");
      }
      String level = item.child("level").stringOr("error");
      Check check =
          switch (level) {
            case "error" -> Check.error(name);
            case "warning" -> Check.warning(name);
            default ->
                throw item.child("level")
                    .error(
                        "unknown level "
                            + YamlNode.printable(level)
                            + "; expected 'error' (a failure FAILs the partition) or 'warning' (it WARNs)");
          };
      List<YamlNode> constraints = item.child("constraints").list();
      if (constraints.isEmpty()) {
        throw item.child("constraints").error("expected a non-empty list of constraints");
      }
      for (YamlNode entry : constraints) {
        Constraint constraint = constraint(entry);
        try {
          check = check.add(constraint);
        } catch (IllegalArgumentException e) {
          throw entry.error(e.getMessage());
        }
      }
      checks.add(check);
    }
    return List.copyOf(checks);
  }

  private static Constraint constraint(YamlNode entry) {
    String kind =
        entry.singleKey(
            "a constraint such as '- complete: age'; kinds are "
                + String.join(", ", KINDS.keySet()));
    if (!KINDS.containsKey(kind)) {
      throw entry.error(
          "unknown constraint "
              + YamlNode.printable(kind)
              + "; expected one of "
              + String.join(", ", KINDS.keySet())
              + " (docs/checks.md)");
    }
    YamlNode params = entry.child(kind);
    if (kind.equals("complete") && params.isScalar()) {
      return shorthand(new Metric.Completeness(params.string()), entry.path());
    }
    if (kind.equals("unique") && (params.isScalar() || params.isList())) {
      return shorthand(new Metric.Uniqueness(columns(params)), entry.path());
    }
    if (params.isMissing() && kind.equals("size")) {
      throw params.error("expected bounds or an anomaly strategy, e.g. 'size: {min: 1000}'");
    }
    Set<String> allowed = new TreeSet<>(COMMON);
    allowed.addAll(KINDS.get(kind));
    params.requireMapWithKeys(allowed);
    Metric metric = metric(kind, params);
    Optional<Assertion> assertion = assertion(params);
    Optional<AnomalyStrategy> anomaly =
        params.has("anomaly") ? Optional.of(anomaly(params.child("anomaly"))) : Optional.empty();
    if (assertion.isEmpty() && anomaly.isEmpty()) {
      if (!ALL_ROWS_BY_DEFAULT.contains(kind)) {
        throw params.error(
            "expected 'min', 'max' or an 'anomaly' strategy for a " + kind + " constraint");
      }
      assertion = Optional.of(Assertion.equalTo(1));
    }
    // A satisfies constraint's name labels its predicate: the constraint is satisfies(<name>).
    String name =
        params.has("name") && !kind.equals("satisfies")
            ? params.child("name").string()
            : metric.display();
    String hint = params.has("hint") ? params.child("hint").string() : "";
    return new Constraint(name, metric, assertion, anomaly, hint, entry.path());
  }

  private static Constraint shorthand(Metric metric, String path) {
    return new Constraint(
        metric.display(), metric, Optional.of(Assertion.equalTo(1)), Optional.empty(), "", path);
  }

  private static Metric metric(String kind, YamlNode p) {
    return switch (kind) {
      case "size" -> new Metric.Size();
      case "complete", "completeness" -> new Metric.Completeness(p.child("column").string());
      case "unique", "uniqueness" -> new Metric.Uniqueness(columns(p.child("columns")));
      case "distinctness" -> new Metric.Distinctness(columns(p.child("columns")));
      case "min" -> new Metric.Minimum(p.child("column").string());
      case "max" -> new Metric.Maximum(p.child("column").string());
      case "mean" -> new Metric.Mean(p.child("column").string());
      case "stddev" -> new Metric.StandardDeviation(p.child("column").string());
      case "quantile" -> {
        double q = p.child("quantile").finiteNumber();
        if (q < 0 || q > 1) {
          throw p.child("quantile").error("expected a quantile within [0, 1], found " + q);
        }
        yield new Metric.Quantile(p.child("column").string(), q);
      }
      case "allowed_values" -> {
        List<String> values = new ArrayList<>();
        for (YamlNode value : p.child("values").list()) {
          if (!value.isText()) {
            throw value.error(
                "expected a quoted string, found "
                    + value.describe()
                    + ". Allowed values are compared"
                    + " as text, and YAML reads unquoted yes, no, 01 or 1.50 as other values: write \"yes\", \"01\".");
          }
          values.add(value.string());
        }
        if (values.isEmpty()) {
          throw p.child("values").error("expected a non-empty list of allowed values");
        }
        yield new Metric.AllowedValues(p.child("column").string(), values);
      }
      case "pattern" -> {
        String regex = p.child("regex").string();
        try {
          Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
          throw p.child("regex")
              .error(
                  "invalid regular expression "
                      + YamlNode.printable(regex)
                      + ": "
                      + e.getDescription()
                      + " near index "
                      + e.getIndex()
                      + ". Use Java regex syntax.");
        }
        yield new Metric.PatternMatch(p.child("column").string(), regex);
      }
      case "satisfies" -> {
        String predicate = p.child("predicate").string();
        yield new Metric.Compliance(
            p.has("name") ? p.child("name").string() : predicate, predicate);
      }
      case "provenance" -> new Metric.Provenance(columns(p.child("columns")));
      case "checksum" ->
          new Metric.ChecksumMatch(
              p.child("column").string(),
              algorithm(p.child("algorithm")),
              p.has("columns") ? columns(p.child("columns")) : List.of(),
              p.child("exclude").stringList());
      case "metric" -> integrityMetric(p);
      default -> throw new IllegalStateException(kind);
    };
  }

  private static List<String> columns(YamlNode node) {
    List<String> columns = node.isScalar() ? List.of(node.string()) : node.stringList();
    if (columns.isEmpty()) {
      throw node.error("expected a column name or a non-empty list of column names");
    }
    if (new HashSet<>(columns).size() < columns.size()) {
      throw node.error("a column is listed twice in " + columns);
    }
    return columns;
  }

  private static RowChecksum.Algorithm algorithm(YamlNode node) {
    String name = node.stringOr("sha256");
    for (RowChecksum.Algorithm algorithm : RowChecksum.Algorithm.values()) {
      if (algorithm.yamlName().equals(name)) {
        return algorithm;
      }
    }
    throw node.error(
        "unknown checksum algorithm "
            + YamlNode.printable(name)
            + "; expected one of sha256, sha512,"
            + " sha1, md5, crc32, xxhash64, spark_xxhash64 (docs/checks.md defines what each one hashes)");
  }

  private static Metric integrityMetric(YamlNode p) {
    String tableName = p.child("table").string();
    List<String> sources =
        TableRecords.ALL.stream()
            .filter(TableRecords::feedsVerdicts)
            .map(TableRecords::tableName)
            .filter(n -> !n.equals(CHECK_RESULTS))
            .toList();
    if (!sources.contains(tableName)) {
      throw p.child("table")
          .error(
              "unknown integrity table "
                  + YamlNode.printable(tableName)
                  + "; expected a result table of another job: "
                  + String.join(", ", sources));
    }
    Class<? extends Record> table = TableRecords.byName(tableName).orElseThrow();
    String column = p.child("column").string();
    Class<?> type =
        TableRecords.columnType(table, column)
            .orElseThrow(
                () ->
                    p.child("column")
                        .error(
                            "integrity."
                                + tableName
                                + " has no column "
                                + YamlNode.printable(column)
                                + "; its numeric columns are "
                                + numericColumns(table)));
    if (!isNumber(type)) {
      throw p.child("column")
          .error(
              "integrity."
                  + tableName
                  + "."
                  + column
                  + " is "
                  + TableRecords.sqlType(table, column).orElseThrow()
                  + ", not a number; its numeric columns are "
                  + numericColumns(table));
    }
    Map<String, String> where = new LinkedHashMap<>();
    YamlNode filter = p.child("where");
    for (String key : filter.keys()) {
      Optional<Class<?>> keyType = TableRecords.columnType(table, key);
      if (keyType.isEmpty()
          || keyType.get() != String.class
          || Set.of("dataset", "partition", "run_id", "status", "reason").contains(key)) {
        throw filter
            .child(key)
            .error(
                "cannot filter integrity."
                    + tableName
                    + " on "
                    + YamlNode.printable(key)
                    + "; expected one of its text key columns, such as feature or segment_column");
      }
      where.put(key, filter.child(key).string());
    }
    String aggregate = p.child("aggregate").stringOr("max");
    Metric.Aggregate how;
    try {
      how = Metric.Aggregate.valueOf(aggregate.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw p.child("aggregate")
          .error(
              "unknown aggregate "
                  + YamlNode.printable(aggregate)
                  + "; expected max, min, sum or mean");
    }
    return new Metric.IntegrityMetric(tableName, column, where, how);
  }

  private static final String CHECK_RESULTS = TableRecords.tableName(CheckResultRecord.class);

  private static boolean isNumber(Class<?> type) {
    return type == Long.class || type == Double.class;
  }

  private static String numericColumns(Class<? extends Record> table) {
    List<String> names = new ArrayList<>();
    for (String column : TableRecords.columns(table)) {
      if (isNumber(TableRecords.columnType(table, column).orElseThrow())) {
        names.add(column);
      }
    }
    return String.join(", ", names);
  }

  private static Optional<Assertion> assertion(YamlNode p) {
    double min = p.has("min") ? p.child("min").finiteNumber() : Double.NaN;
    double max = p.has("max") ? p.child("max").finiteNumber() : Double.NaN;
    if (Double.isNaN(min) && Double.isNaN(max)) {
      return Optional.empty();
    }
    if (min > max) {
      throw p.child("min").error("min " + min + " is above max " + max);
    }
    return Optional.of(Assertion.between(min, max));
  }

  private static AnomalyStrategy anomaly(YamlNode node) {
    if (node.isScalar()) {
      throw node.error(
          "expected a mapping such as {strategy: mad, k: 4}, found " + node.describe());
    }
    String strategy = node.child("strategy").string();
    double minStddev = 0.001;
    switch (strategy) {
      case "relative_rate" -> {
        node.requireMapWithKeys(Set.of("strategy", "min_ratio", "max_ratio"));
        double low = node.has("min_ratio") ? node.child("min_ratio").finiteNumber() : 0.5;
        double high = node.has("max_ratio") ? node.child("max_ratio").finiteNumber() : 2.0;
        if (low < 0 || high < low) {
          throw node.error("expected 0 <= min_ratio <= max_ratio, found " + low + " and " + high);
        }
        return new AnomalyStrategy.RelativeRate(low, high);
      }
      case "absolute_change" -> {
        node.requireMapWithKeys(Set.of("strategy", "max_decrease", "max_increase"));
        double down = nonNegative(node.child("max_decrease"));
        double up = nonNegative(node.child("max_increase"));
        return new AnomalyStrategy.AbsoluteChange(down, up);
      }
      case "normal" -> {
        node.requireMapWithKeys(
            Set.of("strategy", "k", "lower_k", "upper_k", "window", "min_history", "min_stddev"));
        double k = node.has("k") ? positive(node.child("k")) : 3;
        int[] window = window(node);
        return new AnomalyStrategy.OnlineNormal(
            node.has("lower_k") ? positive(node.child("lower_k")) : k,
            node.has("upper_k") ? positive(node.child("upper_k")) : k,
            window[0],
            window[1],
            node.has("min_stddev") ? nonNegative(node.child("min_stddev")) : minStddev);
      }
      case "mad" -> {
        node.requireMapWithKeys(Set.of("strategy", "k", "window", "min_history", "min_stddev"));
        int[] window = window(node);
        return new AnomalyStrategy.MedianMad(
            node.has("k") ? positive(node.child("k")) : 4,
            window[0],
            window[1],
            node.has("min_stddev") ? nonNegative(node.child("min_stddev")) : minStddev);
      }
      case "seasonal" -> {
        node.requireMapWithKeys(
            Set.of("strategy", "period", "cycles", "min_cycles", "k", "min_stddev"));
        int period = node.has("period") ? node.child("period").positiveInt() : 7;
        int cycles = node.has("cycles") ? node.child("cycles").positiveInt() : 4;
        int minCycles = node.has("min_cycles") ? node.child("min_cycles").positiveInt() : 2;
        if (minCycles > cycles) {
          throw node.child("min_cycles")
              .error("min_cycles " + minCycles + " is above cycles " + cycles);
        }
        return new AnomalyStrategy.Seasonal(
            period,
            cycles,
            minCycles,
            node.has("k") ? positive(node.child("k")) : 3,
            node.has("min_stddev") ? nonNegative(node.child("min_stddev")) : minStddev);
      }
      default ->
          throw node.child("strategy")
              .error(
                  "unknown anomaly strategy "
                      + YamlNode.printable(strategy)
                      + "; expected relative_rate, absolute_change, normal, mad or seasonal");
    }
  }

  /** The window and the minimum history within it (defaults 30 and 5). */
  private static int[] window(YamlNode node) {
    int window = node.has("window") ? node.child("window").positiveInt() : 30;
    int minHistory = node.has("min_history") ? node.child("min_history").positiveInt() : 5;
    if (minHistory > window) {
      throw node.error(
          "min_history "
              + minHistory
              + " is above window "
              + window
              + ": the strategy would never"
              + " have enough history to judge. Raise window or lower min_history.");
    }
    return new int[] {window, minHistory};
  }

  private static double positive(YamlNode node) {
    double value = node.finiteNumber();
    if (value <= 0) {
      throw node.error("expected a positive number, found " + value);
    }
    return value;
  }

  private static double nonNegative(YamlNode node) {
    double value = node.finiteNumber();
    if (value < 0) {
      throw node.error("expected a number >= 0, found " + value);
    }
    return value;
  }
}
