package dev.assay.common.checks;

import java.util.Optional;

/**
 * One constraint of a check: a metric, and an assertion on its value, an anomaly strategy over its
 * history, or both. It yields one {@code check_results} row per partition.
 *
 * @param name unique within its check; by default the metric's display name, such as {@code
 *     completeness(age)}
 * @param hint shown with a failure: what the constraint protects, or what to do
 * @param keyPath where it was declared, for errors: a YAML key path, or the check and constraint
 *     for the Java DSL
 */
public record Constraint(
    String name,
    Metric metric,
    Optional<Assertion> assertion,
    Optional<AnomalyStrategy> anomaly,
    String hint,
    String keyPath) {
  public Constraint {
    if (assertion.isEmpty() && anomaly.isEmpty()) {
      throw new IllegalArgumentException(
          "constraint " + name + " needs an assertion, an anomaly strategy or both");
    }
  }

  Constraint withName(String newName) {
    return new Constraint(newName, metric, assertion, anomaly, hint, keyPath);
  }

  Constraint withHint(String newHint) {
    return new Constraint(name, metric, assertion, anomaly, newHint, keyPath);
  }

  Constraint withAnomaly(AnomalyStrategy strategy) {
    return new Constraint(name, metric, assertion, Optional.of(strategy), hint, keyPath);
  }

  Constraint at(String path) {
    return new Constraint(name, metric, assertion, anomaly, hint, path);
  }
}
