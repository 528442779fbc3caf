package dev.assay.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import dev.assay.common.checks.AnomalyStrategy;
import dev.assay.common.checks.Assertion;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.checks.Metric;
import dev.assay.common.checks.RowChecksum;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ChecksConfigTest {
  private static final String DATASET = ConfigLoaderTest.VALID;

  private static final String ALL_KINDS =
      DATASET
          + """
          checks:
            - check: shape
              constraints:
                - size: {min: 1000, max: 5000000}
                - complete: age
                - completeness: {column: country, min: 0.95, hint: "country comes from the payment provider"}
                - unique: txn_id
                - uniqueness: {columns: [account, ts], min: 0.99}
                - distinctness: {columns: country, min: 0.001, name: country_variety}
                - min: {column: amount, min: 0}
                - max: {column: age, max: 120}
                - mean: {column: amount, min: 1, max: 500}
                - stddev: {column: amount, max: 1000}
                - quantile: {column: amount, quantile: 0.99, max: 10000}
                - allowed_values: {column: country, values: [DE, FR, "1", "true"]}
                - pattern: {column: email, regex: "^[^@]+@[^@]+$"}
                - satisfies: {predicate: "amount >= 0", name: non_negative_amount}
                - provenance: {columns: [source, ingested_by]}
                - checksum: {column: row_sha}
                - checksum: {column: row_crc, algorithm: crc32, columns: [a, b], exclude: [c], name: crc}
                - metric: {table: feature_drift, column: psi, where: {feature: age}, max: 0.25}
                - unique: [account, ts, device]
                - complete: {column: label}
            - check: history
              level: warning
              constraints:
                - size: {anomaly: {strategy: relative_rate}}
                - mean: {column: amount, name: mean_rr, anomaly: {strategy: relative_rate, min_ratio: 0.8, max_ratio: 1.25}}
                - mean: {column: age, anomaly: {strategy: absolute_change, max_decrease: 2, max_increase: 3.5}}
                - stddev: {column: amount, anomaly: {strategy: normal}}
                - stddev: {column: age, anomaly: {strategy: normal, k: 2, upper_k: 5, window: 10, min_history: 3, min_stddev: 0.5}}
                - min: {column: amount, anomaly: {strategy: mad}}
                - max: {column: amount, anomaly: {strategy: mad, k: 6, window: 14, min_history: 7, min_stddev: 0}}
                - size: {min: 1, name: weekly_size, anomaly: {strategy: seasonal}}
                - completeness: {column: amount, anomaly: {strategy: seasonal, period: 24, cycles: 3, min_cycles: 1, k: 2.5, min_stddev: 0.01}}
                - metric: {table: duplicate_summary, column: replay_rate, aggregate: mean, anomaly: {strategy: normal, lower_k: 10}}
      """;

  private static AssayConfig parse(String yaml) {
    return ConfigLoaderTest.parse(yaml);
  }

  private static AssayException invalid(String yaml) {
    return ConfigLoaderTest.invalid(yaml);
  }

  /**
   * Asserts the config is rejected with a message that starts with {@code prefix} (the key path
   * first).
   */
  private static AssayException rejected(String yaml, String prefix) {
    AssayException e = invalid(yaml);
    assertTrue(
        e.getMessage().startsWith(prefix),
        "expected a message starting with \"" + prefix + "\", got \"" + e.getMessage() + "\"");
    return e;
  }

  /**
   * The dataset with one error-level check named {@code c} holding these constraints, one per line.
   */
  private static String check(String... constraints) {
    StringBuilder yaml =
        new StringBuilder(DATASET).append("    checks:\n      - check: c\n        constraints:\n");
    for (String constraint : constraints) {
      yaml.append("          - ").append(constraint).append('\n');
    }
    return yaml.toString();
  }

  private static final String C0 = "datasets[0].checks[0].constraints[0]";

  private static List<Check> checks(String yaml) {
    return parse(yaml).dataset("transactions").checks();
  }

  private static Assertion assertion(Constraint c) {
    return c.assertion().orElseThrow(() -> new AssertionError(c.name() + " has no assertion"));
  }

  private static void assertBounds(String description, double min, double max, Constraint c) {
    Assertion a = assertion(c);
    assertEquals(description, a.description(), c.name());
    assertEquals(min, a.min(), c.name());
    assertEquals(max, a.max(), c.name());
  }

  // A valid config

  @Test
  void everyConstraintKindParsesIntoItsMetricAndAssertion() {
    List<Check> checks = checks(ALL_KINDS);
    assertEquals(2, checks.size());
    Check shape = checks.get(0);
    assertEquals("shape", shape.name());
    assertEquals(Check.Level.ERROR, shape.level(), "the level defaults to error");
    List<Constraint> c = shape.constraints();
    assertEquals(
        List.of(
            new Metric.Size(),
            new Metric.Completeness("age"),
            new Metric.Completeness("country"),
            new Metric.Uniqueness(List.of("txn_id")),
            new Metric.Uniqueness(List.of("account", "ts")),
            new Metric.Distinctness(List.of("country")),
            new Metric.Minimum("amount"),
            new Metric.Maximum("age"),
            new Metric.Mean("amount"),
            new Metric.StandardDeviation("amount"),
            new Metric.Quantile("amount", 0.99),
            new Metric.AllowedValues("country", List.of("DE", "FR", "1", "true")),
            new Metric.PatternMatch("email", "^[^@]+@[^@]+$"),
            new Metric.Compliance("non_negative_amount", "amount >= 0"),
            new Metric.Provenance(List.of("source", "ingested_by")),
            new Metric.ChecksumMatch("row_sha", RowChecksum.Algorithm.SHA256, List.of(), List.of()),
            new Metric.ChecksumMatch(
                "row_crc", RowChecksum.Algorithm.CRC32, List.of("a", "b"), List.of("c")),
            new Metric.IntegrityMetric(
                "feature_drift", "psi", Map.of("feature", "age"), Metric.Aggregate.MAX),
            new Metric.Uniqueness(List.of("account", "ts", "device")),
            new Metric.Completeness("label")),
        c.stream().map(Constraint::metric).toList());
    assertEquals(
        List.of(
            "size",
            "completeness(age)",
            "completeness(country)",
            "uniqueness(txn_id)",
            "uniqueness(account,ts)",
            "country_variety",
            "min(amount)",
            "max(age)",
            "mean(amount)",
            "stddev(amount)",
            "quantile(amount,0.99)",
            "allowed_values(country)",
            "pattern(email)",
            "satisfies(non_negative_amount)",
            "provenance(source,ingested_by)",
            "checksum(row_sha)",
            "crc",
            "metric(max feature_drift.psi,feature=age)",
            "uniqueness(account,ts,device)",
            "completeness(label)"),
        c.stream().map(Constraint::name).toList());

    assertBounds("in [1000, 5000000]", 1000, 5000000, c.get(0));
    assertBounds("== 1", 1, 1, c.get(1));
    assertBounds(">= 0.95", 0.95, Double.NaN, c.get(2));
    assertBounds("== 1", 1, 1, c.get(3));
    assertBounds(">= 0.99", 0.99, Double.NaN, c.get(4));
    assertBounds(">= 0.001", 0.001, Double.NaN, c.get(5));
    assertBounds(">= 0", 0, Double.NaN, c.get(6));
    assertBounds("<= 120", Double.NaN, 120, c.get(7));
    assertBounds("in [1, 500]", 1, 500, c.get(8));
    assertBounds("<= 1000", Double.NaN, 1000, c.get(9));
    assertBounds("<= 10000", Double.NaN, 10000, c.get(10));
    // row-level kinds without a bound default to "every row passes"
    for (int i : new int[] {11, 12, 13, 14, 15, 16, 18, 19}) {
      assertBounds("== 1", 1, 1, c.get(i));
    }
    assertBounds("<= 0.25", Double.NaN, 0.25, c.get(17));
    for (Constraint constraint : c) {
      assertEquals(Optional.empty(), constraint.anomaly(), constraint.name());
    }

    assertEquals("country comes from the payment provider", c.get(2).hint());
    assertEquals("", c.get(1).hint());
    assertEquals("datasets[0].checks[0].constraints[2]", c.get(2).keyPath());
    assertEquals("datasets[0].checks[0].constraints[0]", c.get(0).keyPath());
  }

  @Test
  void everyAnomalyStrategyParsesWithItsParametersAndDefaults() {
    Check history = checks(ALL_KINDS).get(1);
    assertEquals("history", history.name());
    assertEquals(Check.Level.WARNING, history.level());
    List<Constraint> c = history.constraints();
    assertEquals(
        List.of(
            new AnomalyStrategy.RelativeRate(0.5, 2.0),
            new AnomalyStrategy.RelativeRate(0.8, 1.25),
            new AnomalyStrategy.AbsoluteChange(2, 3.5),
            new AnomalyStrategy.OnlineNormal(3, 3, 30, 5, 0.001),
            new AnomalyStrategy.OnlineNormal(2, 5, 10, 3, 0.5),
            new AnomalyStrategy.MedianMad(4, 30, 5, 0.001),
            new AnomalyStrategy.MedianMad(6, 14, 7, 0),
            new AnomalyStrategy.Seasonal(7, 4, 2, 3, 0.001),
            new AnomalyStrategy.Seasonal(24, 3, 1, 2.5, 0.01),
            new AnomalyStrategy.OnlineNormal(10, 3, 30, 5, 0.001)),
        c.stream().map(k -> k.anomaly().orElseThrow()).toList());
    assertEquals(
        List.of(
            "size",
            "mean_rr",
            "mean(age)",
            "stddev(amount)",
            "stddev(age)",
            "min(amount)",
            "max(amount)",
            "weekly_size",
            "completeness(amount)",
            "metric(mean duplicate_summary.replay_rate)"),
        c.stream().map(Constraint::name).toList());
    // an anomaly strategy alone needs no bound, even for a row-level kind
    for (int i = 0; i < c.size(); i++) {
      if (i != 7) {
        assertEquals(Optional.empty(), c.get(i).assertion(), c.get(i).name());
      }
    }
    assertBounds(">= 1", 1, Double.NaN, c.get(7));
    assertEquals(
        new Metric.IntegrityMetric(
            "duplicate_summary", "replay_rate", Map.of(), Metric.Aggregate.MEAN),
        c.get(9).metric());
  }

  @Test
  void noChecksMeansAnEmptyList() {
    assertEquals(List.of(), checks(DATASET));
    assertEquals(List.of(), checks(DATASET + "    checks: []\n"));
  }

  @Test
  void aChecksQuarantineTableIsResolvedLikeOtherTables() {
    DatasetConfig d =
        parse(check("complete: age") + "    checks_quarantine:\n      table: lake/quarantine\n")
            .dataset("transactions");
    assertEquals(Optional.of("/base/lake/quarantine"), d.checksQuarantine());
    assertEquals(
        Optional.empty(), parse(check("complete: age")).dataset("transactions").checksQuarantine());
  }

  @Test
  void nonFiniteBoundsAreRejected() {
    rejected(
        check("mean: {column: amount, min: .nan}"), C0 + ".mean.min: expected a finite number");
    rejected(
        check("mean: {column: amount, max: .inf}"), C0 + ".mean.max: expected a finite number");
  }

  // Rejected configs: the message starts with the key path

  @Test
  void unknownConstraintKindIsRejected() {
    AssayException e =
        rejected(
            check("complete: age", "completenes: {column: age, min: 0.9}"),
            "datasets[0].checks[0].constraints[1]: unknown constraint 'completenes'");
    assertTrue(
        e.getMessage().contains("completeness"), "the message lists the kinds: " + e.getMessage());
  }

  @Test
  void aConstraintMustBeAOneKeyMapping() {
    rejected(
        check("{complete: age, unique: id}"),
        C0 + ": expected a constraint such as '- complete: age'");
    rejected(check("complete"), C0 + ": expected a constraint such as '- complete: age'");
  }

  @Test
  void unknownKeyInsideAConstraintIsRejected() {
    AssayException e =
        rejected(
            check("mean: {column: amount, min: 1, colum: x}"), C0 + ".mean.colum: unknown key");
    assertTrue(e.getMessage().contains("column"), e.getMessage());
    rejected(check("size: {min: 1, column: amount}"), C0 + ".size.column: unknown key");
    rejected(
        check("size: {anomaly: {strategy: normal, windows: 3}}"),
        C0 + ".size.anomaly.windows: unknown key");
    rejected(
        check("size: {anomaly: {strategy: relative_rate, k: 3}}"),
        C0 + ".size.anomaly.k: unknown key");
  }

  @Test
  void wrongTypesAreRejected() {
    rejected(
        check("size: {anomaly: normal}"),
        C0
            + ".size.anomaly: expected a mapping such as {strategy: mad, k: 4}, found the string 'normal'");
    rejected(
        check("checksum: {column: sum, columns: [a, b, a]}"),
        C0 + ".checksum.columns: a column is listed twice");
    AssayException high =
        rejected(check("min: {column: amount, min: \"high\"}"), C0 + ".min.min: expected a number");
    assertTrue(high.getMessage().contains("'high'"), high.getMessage());
    rejected(
        check("quantile: {column: amount, quantile: 2, max: 1}"),
        C0 + ".quantile.quantile: expected a quantile within [0, 1], found 2.0");
    rejected(
        check("quantile: {column: amount, quantile: -0.1, max: 1}"),
        C0 + ".quantile.quantile: expected a quantile");
    rejected(
        check("quantile: {column: amount, max: 1}"), C0 + ".quantile.quantile: expected a number");
    rejected(
        check("uniqueness: {columns: 5, min: 1}"),
        C0 + ".uniqueness.columns: expected a string, found number 5");
    rejected(
        check("uniqueness: {columns: [], min: 1}"),
        C0 + ".uniqueness.columns: expected a column name");
    rejected(check("unique: [a, b, a]"), C0 + ".unique: a column is listed twice");
    rejected(
        check("checksum: {column: row_sha, columns: 5}"),
        C0 + ".checksum.columns: expected a string, found number 5");
    rejected(
        check("checksum: {column: row_sha, columns: []}"),
        C0 + ".checksum.columns: expected a column name");
    rejected(check("min: {column: [a, b], min: 0}"), C0 + ".min.column: expected a string");
    rejected(check("min: {min: 0}"), C0 + ".min.column: missing required value");
    rejected(check("mean: amount"), C0 + ".mean: expected a mapping");
    rejected(
        check("allowed_values: {column: country, values: []}"),
        C0 + ".allowed_values.values: expected a non-empty list of allowed values");
    rejected(
        check("allowed_values: {column: country, values: [DE, [FR]]}"),
        C0 + ".allowed_values.values[1]: expected a quoted string, found a list");
    rejected(
        check("mean: {column: amount, min: 5, max: 1}"),
        C0 + ".mean.min: min 5.0 is above max 1.0");
    rejected(
        check("size: {anomaly: {strategy: normal, window: 0}}"),
        C0 + ".size.anomaly.window: expected a whole number of at least 1");
    rejected(
        check("size: {anomaly: {strategy: normal, window: 2.5}}"),
        C0 + ".size.anomaly.window: expected a whole number of at least 1");
    rejected(
        check("size: {anomaly: {strategy: mad, k: 0}}"),
        C0 + ".size.anomaly.k: expected a positive number");
    rejected(
        check("size: {anomaly: {strategy: normal, min_stddev: -1}}"),
        C0 + ".size.anomaly.min_stddev: expected a number >= 0");
    rejected(
        check("size: {anomaly: {strategy: relative_rate, min_ratio: 2, max_ratio: 1}}"),
        C0 + ".size.anomaly: expected 0 <= min_ratio <= max_ratio");
    rejected(
        check("size: {anomaly: {strategy: absolute_change, max_decrease: -1, max_increase: 1}}"),
        C0 + ".size.anomaly.max_decrease: expected a number >= 0");
    rejected(
        check("size: {anomaly: {strategy: seasonal, cycles: 2, min_cycles: 3}}"),
        C0 + ".size.anomaly.min_cycles: min_cycles 3 is above cycles 2");
  }

  @Test
  void aKindThatNeedsABoundIsRejectedWithoutOne() {
    rejected(
        check("mean: {column: amount}"),
        C0 + ".mean: expected 'min', 'max' or an 'anomaly' strategy for a mean constraint");
    rejected(
        check("completeness: {column: amount, hint: h}"),
        C0 + ".completeness: expected 'min', 'max'");
    rejected(
        check("metric: {table: feature_drift, column: psi}"),
        C0 + ".metric: expected 'min', 'max'");
    rejected(check("size:"), C0 + ".size: expected bounds or an anomaly strategy");
    rejected(
        check("size: {}"),
        C0 + ".size: expected 'min', 'max' or an 'anomaly' strategy for a size constraint");
  }

  @Test
  void unknownAnomalyStrategyIsRejected() {
    AssayException e =
        rejected(
            check("size: {anomaly: {strategy: arima}}"),
            C0 + ".size.anomaly.strategy: unknown anomaly strategy 'arima'");
    assertTrue(
        e.getMessage().contains("relative_rate, absolute_change, normal, mad or seasonal"),
        e.getMessage());
    rejected(
        check("size: {anomaly: {k: 3}}"), C0 + ".size.anomaly.strategy: missing required value");
  }

  @Test
  void invalidRegexIsRejected() {
    AssayException e =
        rejected(
            check("pattern: {column: email, regex: \"[a-z\"}"),
            C0 + ".pattern.regex: invalid regular expression '[a-z'");
    assertTrue(e.getMessage().contains("Java regex syntax"), e.getMessage());
  }

  @Test
  void unknownChecksumAlgorithmIsRejected() {
    AssayException e =
        rejected(
            check("checksum: {column: row_sha, algorithm: sha3}"),
            C0 + ".checksum.algorithm: unknown checksum algorithm 'sha3'");
    assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    rejected(
        check("checksum: {column: row_sha, algorithm: SHA256}"),
        C0 + ".checksum.algorithm: unknown checksum algorithm 'SHA256'");
  }

  @Test
  void unknownIntegrityTableIsRejected() {
    AssayException e =
        rejected(
            check("metric: {table: feature_drifts, column: psi, max: 1}"),
            C0 + ".metric.table: unknown integrity table 'feature_drifts'");
    assertTrue(e.getMessage().contains("feature_drift"), e.getMessage());
    // a state table has no verdict rows to read
    rejected(
        check("metric: {table: feature_edges, column: edges, max: 1}"),
        C0 + ".metric.table: unknown integrity table 'feature_edges'");
  }

  @Test
  void checkResultsCannotFeedAMetricConstraint() {
    rejected(
        check("metric: {table: check_results, column: value, max: 1}"),
        C0 + ".metric.table: unknown integrity table 'check_results'");
  }

  @Test
  void allowedValuesKeepTheTextAsWrittenOrAreRejected() {
    String yaml =
        check(
            "allowed_values: {column: country, values: [DE, NO, yes, off, \"01\", 01, 1.50, 0x10]}");
    AssayConfig config;
    try {
      config = parse(yaml);
    } catch (AssayException e) {
      // rejecting an ambiguous unquoted value is fine too, if the message names it
      assertEquals(ExitCode.INVALID, e.exitCode(), e.getMessage());
      assertTrue(e.getMessage().startsWith(C0 + ".allowed_values.values["), e.getMessage());
      return;
    }
    Metric metric = config.dataset("transactions").checks().get(0).constraints().get(0).metric();
    assertEquals(
        new Metric.AllowedValues(
            "country", List.of("DE", "NO", "yes", "off", "01", "01", "1.50", "0x10")),
        metric);
  }

  @Test
  void aWindowSmallerThanMinHistoryIsRejected() {
    rejected(check("size: {anomaly: {strategy: normal, window: 3}}"), C0 + ".size.anomaly");
    rejected(
        check("size: {anomaly: {strategy: mad, window: 4, min_history: 5}}"), C0 + ".size.anomaly");
  }

  @Test
  void integrityColumnsMustBeNumericAndFiltersMustBeTextKeys() {
    AssayException text =
        rejected(
            check("metric: {table: feature_drift, column: feature, max: 1}"),
            C0 + ".metric.column: integrity.feature_drift.feature is string, not a number");
    assertTrue(
        text.getMessage().contains("psi"),
        "the message lists the numeric columns: " + text.getMessage());
    rejected(
        check("metric: {table: feature_drift, column: baseline, max: 1}"),
        C0 + ".metric.column: integrity.feature_drift.baseline is array<string>, not a number");
    rejected(
        check("metric: {table: feature_drift, column: psii, max: 1}"),
        C0 + ".metric.column: integrity.feature_drift has no column 'psii'");
    rejected(
        check("metric: {table: feature_drift, column: psi, where: {status: OK}, max: 1}"),
        C0 + ".metric.where.status: cannot filter integrity.feature_drift on 'status'");
    rejected(
        check("metric: {table: feature_drift, column: psi, where: {rows: 5}, max: 1}"),
        C0 + ".metric.where.rows: cannot filter");
    rejected(
        check("metric: {table: feature_drift, column: psi, where: {feature: 5}, max: 1}"),
        C0 + ".metric.where.feature: expected a string");
    rejected(
        check("metric: {table: feature_drift, column: psi, aggregate: median, max: 1}"),
        C0 + ".metric.aggregate: unknown aggregate 'median'");
  }

  @Test
  void unknownLevelIsRejected() {
    rejected(
        check("complete: age").replace("- check: c\n", "- check: c\n        level: fatal\n"),
        "datasets[0].checks[0].level: unknown level 'fatal'");
  }

  @Test
  void checkEntriesAreValidated() {
    rejected(
        check("complete: age").replace("- check: c\n", "- check: c\n        severity: error\n"),
        "datasets[0].checks[0].severity: unknown key");
    rejected(
        check("complete: age").replace("- check: c\n", "- level: error\n"),
        "datasets[0].checks[0].check: missing required value");
    rejected(
        DATASET + "    checks:\n      - check: c\n        constraints: []\n",
        "datasets[0].checks[0].constraints: expected a non-empty list of constraints");
    rejected(DATASET + "    checks:\n      check: c\n", "datasets[0].checks: expected a list");
  }

  @Test
  void duplicateCheckNamesAreRejected() {
    String twice =
        check("complete: age") + "      - check: c\n        constraints:\n          - unique: id\n";
    rejected(twice, "datasets[0].checks[1].check: duplicate check name 'c'");
  }

  @Test
  void duplicateConstraintNamesInOneCheckAreRejected() {
    rejected(
        check("complete: age", "unique: id", "completeness: {column: age, min: 0.9}"),
        "datasets[0].checks[0].constraints[2]: check 'c' already has a constraint named 'completeness(age)'");
    rejected(
        check("size: {min: 1, name: rows}", "mean: {column: amount, min: 0, name: rows}"),
        "datasets[0].checks[0].constraints[1]: check 'c' already has a constraint named 'rows'");
    // the same names in two different checks are fine
    String two =
        check("complete: age")
            + "      - check: d\n        constraints:\n          - complete: age\n";
    assertEquals(2, checks(two).size());
  }

  @Test
  void aChecksQuarantineNeedsChecks() {
    rejected(
        DATASET + "    checks_quarantine:\n      table: lake/quarantine\n",
        "datasets[0].checks_quarantine: a checks quarantine needs 'checks'");
    rejected(
        DATASET + "    checks: []\n    checks_quarantine:\n      table: lake/quarantine\n",
        "datasets[0].checks_quarantine: a checks quarantine needs 'checks'");
    rejected(
        check("complete: age") + "    checks_quarantine:\n      path: lake/quarantine\n",
        "datasets[0].checks_quarantine.path: unknown key");
  }

  @Test
  void controlCharactersInACheckNameAreRejectedAndEscaped() {
    AssayException e =
        rejected(
            check("complete: age").replace("- check: c\n", "- check: \"bad\\u0007name\\n\"\n"),
            "datasets[0].checks[0].check: control characters are not allowed");
    assertTrue(e.getMessage().contains("'bad\\u0007name\\u000a'"), e.getMessage());
    assertTrue(
        e.getMessage().chars().noneMatch(ch -> ch < 0x20),
        "the message itself has no control characters");
    rejected(
        check("complete: age").replace("- check: c\n", "- check: \"  \"\n"),
        "datasets[0].checks[0].check: expected a non-empty string");
    rejected(
        check("complete: {column: \"a\\u001bb\"}"),
        C0 + ".complete.column: control characters are not allowed");
    rejected(
        check("mean: {column: amount, min: 0, hint: \"x\\ry\"}"),
        C0 + ".mean.hint: control characters are not allowed");
  }

  @Test
  void hostileKeysAreEscapedInTheKeyPath() {
    AssayException e = invalid(check("mean: {column: amount, min: 0, \"co\\u0000l\": x}"));
    assertTrue(e.getMessage().startsWith(C0 + ".mean.'co\\u0000l': unknown key"), e.getMessage());
  }
}
