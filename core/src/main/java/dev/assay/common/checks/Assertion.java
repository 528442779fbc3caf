package dev.assay.common.checks;

import dev.assay.common.verdict.Reasons;
import java.util.function.DoublePredicate;

/**
 * A test on a metric value with a readable description, such as {@code >= 0.95}. NaN never passes.
 * Bounds from YAML are inclusive; a Java lambda is described as a custom assertion.
 */
public final class Assertion implements DoublePredicate {
  private final DoublePredicate test;
  private final String description;
  private final double min;
  private final double max;

  private Assertion(DoublePredicate test, String description, double min, double max) {
    this.test = test;
    this.description = description;
    this.min = min;
    this.max = max;
  }

  /** Inclusive bounds; either may be NaN for "no bound", not both. */
  public static Assertion between(double min, double max) {
    boolean hasMin = !Double.isNaN(min);
    boolean hasMax = !Double.isNaN(max);
    if (!hasMin && !hasMax) {
      throw new IllegalArgumentException("an assertion needs a min, a max or both");
    }
    if (hasMin && hasMax && min > max) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
    String description =
        hasMin && hasMax
            ? (min == max
                ? "== " + Reasons.exact(min)
                : "in [" + Reasons.exact(min) + ", " + Reasons.exact(max) + "]")
            : hasMin ? ">= " + Reasons.exact(min) : "<= " + Reasons.exact(max);
    return new Assertion(
        v -> (!hasMin || v >= min) && (!hasMax || v <= max), description, min, max);
  }

  public static Assertion atLeast(double min) {
    return between(min, Double.NaN);
  }

  public static Assertion atMost(double max) {
    return between(Double.NaN, max);
  }

  public static Assertion equalTo(double value) {
    return between(value, value);
  }

  /** A Java predicate, as Deequ's assertions are; wraps it unless it is an Assertion already. */
  public static Assertion of(DoublePredicate predicate) {
    if (predicate instanceof Assertion assertion) {
      return assertion;
    }
    return new Assertion(predicate, "a custom assertion", Double.NaN, Double.NaN);
  }

  @Override
  public boolean test(double value) {
    return !Double.isNaN(value) && test.test(value);
  }

  /** For example {@code >= 0.95} or {@code in [0, 120]}. */
  public String description() {
    return description;
  }

  /** The lower bound, NaN when there is none or the assertion is a custom one. */
  public double min() {
    return min;
  }

  /** The upper bound, NaN when there is none or the assertion is a custom one. */
  public double max() {
    return max;
  }

  @Override
  public String toString() {
    return description;
  }
}
