package dev.assay.common.checks;

import dev.assay.common.checks.Metric.Aggregate;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * A named group of constraints with one level, built in Deequ's style. Every method returns a new
 * check; a check is immutable and can be shared.
 *
 * <pre>{@code
 * Check check = Check.error("transactions")
 *     .isComplete("amount")
 *     .isUnique("txn_id")
 *     .hasMin("amount", v -> v >= 0).hint("refunds are separate rows")
 *     .hasSize(Assertion.atLeast(1)).withAnomaly(new AnomalyStrategy.RelativeRate(0.5, 2.0));
 * }</pre>
 *
 * {@link #hint}, {@link #named} and {@link #withAnomaly} apply to the constraint added last.
 */
public final class Check {
  /** ERROR constraints FAIL their partition; WARNING ones make it WARN. */
  public enum Level {
    ERROR,
    WARNING;

    public Status status() {
      return this == ERROR ? Status.FAIL : Status.WARN;
    }
  }

  private final String name;
  private final Level level;
  private final List<Constraint> constraints;

  private Check(String name, Level level, List<Constraint> constraints) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a check needs a name");
    }
    this.name = name;
    this.level = level;
    this.constraints = List.copyOf(constraints);
  }

  public static Check error(String name) {
    return new Check(name, Level.ERROR, List.of());
  }

  public static Check warning(String name) {
    return new Check(name, Level.WARNING, List.of());
  }

  public String name() {
    return name;
  }

  public Level level() {
    return level;
  }

  public List<Constraint> constraints() {
    return constraints;
  }

  /** Adds a constraint as it is; names must be unique within the check. */
  public Check add(Constraint constraint) {
    for (Constraint existing : constraints) {
      if (existing.name().equals(constraint.name())) {
        throw new IllegalArgumentException(
            "check '"
                + name
                + "' already has a constraint named '"
                + constraint.name()
                + "'; give one of them another name");
      }
    }
    List<Constraint> more = new ArrayList<>(constraints);
    more.add(constraint);
    return new Check(name, level, more);
  }

  private Check add(Metric metric, DoublePredicate assertion) {
    return add(
        new Constraint(
            metric.display(),
            metric,
            Optional.of(Assertion.of(assertion)),
            Optional.empty(),
            "",
            "check '" + name + "' constraint '" + metric.display() + "'"));
  }

  private Check replaceLast(java.util.function.UnaryOperator<Constraint> change) {
    if (constraints.isEmpty()) {
      throw new IllegalStateException("check '" + name + "' has no constraint yet");
    }
    List<Constraint> changed = new ArrayList<>(constraints.subList(0, constraints.size() - 1));
    Check rest = new Check(name, level, changed);
    return rest.add(change.apply(constraints.get(constraints.size() - 1)));
  }

  /** Sets the hint of the last constraint. */
  public Check hint(String hint) {
    return replaceLast(c -> c.withHint(hint));
  }

  /** Renames the last constraint. */
  public Check named(String constraintName) {
    return replaceLast(
        c ->
            c.withName(constraintName)
                .at("check '" + name + "' constraint '" + constraintName + "'"));
  }

  /** Also judges the last constraint's metric against its history. */
  public Check withAnomaly(AnomalyStrategy strategy) {
    return replaceLast(c -> c.withAnomaly(strategy));
  }

  /** Judges a metric against its history only, with no fixed bound. */
  public Check hasAnomaly(Metric metric, AnomalyStrategy strategy) {
    return add(
        new Constraint(
            metric.display(),
            metric,
            Optional.empty(),
            Optional.of(strategy),
            "",
            "check '" + name + "' constraint '" + metric.display() + "'"));
  }

  public Check hasSize(DoublePredicate assertion) {
    return add(new Metric.Size(), assertion);
  }

  public Check isComplete(String column) {
    return hasCompleteness(column, Assertion.equalTo(1));
  }

  public Check hasCompleteness(String column, DoublePredicate assertion) {
    return add(new Metric.Completeness(column), assertion);
  }

  public Check isUnique(String... columns) {
    return hasUniqueness(Arrays.asList(columns), Assertion.equalTo(1));
  }

  public Check hasUniqueness(List<String> columns, DoublePredicate assertion) {
    return add(new Metric.Uniqueness(columns), assertion);
  }

  public Check hasDistinctness(List<String> columns, DoublePredicate assertion) {
    return add(new Metric.Distinctness(columns), assertion);
  }

  public Check hasMin(String column, DoublePredicate assertion) {
    return add(new Metric.Minimum(column), assertion);
  }

  public Check isNonNegative(String column) {
    return hasMin(column, Assertion.atLeast(0));
  }

  public Check hasMax(String column, DoublePredicate assertion) {
    return add(new Metric.Maximum(column), assertion);
  }

  public Check hasMean(String column, DoublePredicate assertion) {
    return add(new Metric.Mean(column), assertion);
  }

  public Check hasStandardDeviation(String column, DoublePredicate assertion) {
    return add(new Metric.StandardDeviation(column), assertion);
  }

  public Check hasApproxQuantile(String column, double quantile, DoublePredicate assertion) {
    return add(new Metric.Quantile(column, quantile), assertion);
  }

  /** Every non-null value is one of {@code values}. */
  public Check isContainedIn(String column, String... values) {
    return hasAllowedValues(column, Arrays.asList(values), Assertion.equalTo(1));
  }

  public Check hasAllowedValues(String column, List<String> values, DoublePredicate assertion) {
    return add(new Metric.AllowedValues(column, values), assertion);
  }

  public Check hasPattern(String column, String regex) {
    return hasPattern(column, regex, Assertion.equalTo(1));
  }

  public Check hasPattern(String column, String regex, DoublePredicate assertion) {
    return add(new Metric.PatternMatch(column, regex), assertion);
  }

  /** The fraction of rows where the SQL predicate holds, such as {@code "amount >= 0"}. */
  public Check satisfies(String predicate, String label, DoublePredicate assertion) {
    return add(new Metric.Compliance(label, predicate), assertion);
  }

  /** Every row names its provenance: the columns are not null and not blank. */
  public Check isProvenanceComplete(String... columns) {
    return hasProvenance(Arrays.asList(columns), Assertion.equalTo(1));
  }

  public Check hasProvenance(List<String> columns, DoublePredicate assertion) {
    return add(new Metric.Provenance(columns), assertion);
  }

  /** Every row's stored checksum matches its content, hashed over the default columns. */
  public Check hasValidChecksum(String checksumColumn, RowChecksum.Algorithm algorithm) {
    return hasValidChecksum(checksumColumn, algorithm, List.of(), Assertion.equalTo(1));
  }

  /**
   * @param content the hashed columns in order; empty for the default (see {@link
   *     Metric.ChecksumMatch})
   */
  public Check hasValidChecksum(
      String checksumColumn,
      RowChecksum.Algorithm algorithm,
      List<String> content,
      DoublePredicate assertion) {
    return add(new Metric.ChecksumMatch(checksumColumn, algorithm, content, List.of()), assertion);
  }

  /** A metric another job wrote, such as {@code feature_drift.psi} where {@code feature = age}. */
  public Check hasIntegrityMetric(
      String table,
      String column,
      Map<String, String> where,
      Aggregate aggregate,
      DoublePredicate assertion) {
    return add(new Metric.IntegrityMetric(table, column, where, aggregate), assertion);
  }

  @Override
  public String toString() {
    return "Check(" + name + ", " + level + ", " + constraints.size() + " constraints)";
  }
}
