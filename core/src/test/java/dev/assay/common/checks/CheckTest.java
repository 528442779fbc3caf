package dev.assay.common.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.verdict.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@Tag("fast")
class CheckTest {
  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  private static Assertion assertionOf(Constraint c) {
    return c.assertion().orElseThrow(() -> new AssertionError(c.name() + " has no assertion"));
  }

  // The DSL

  @Test
  void addingAConstraintReturnsANewCheckAndLeavesTheOriginalUnchanged() {
    Check empty = Check.error("transactions");
    Check one = empty.isComplete("amount");
    Check two = one.isUnique("txn_id");
    assertNotSame(empty, one);
    assertNotSame(one, two);
    assertTrue(empty.constraints().isEmpty());
    assertEquals(
        List.of("completeness(amount)"), one.constraints().stream().map(Constraint::name).toList());
    assertEquals(
        List.of("completeness(amount)", "uniqueness(txn_id)"),
        two.constraints().stream().map(Constraint::name).toList());
    assertEquals("transactions", two.name());
    assertEquals(Check.Level.ERROR, two.level());
  }

  @Test
  void theConstraintListCannotBeModified() {
    Check check = Check.error("c").isComplete("a");
    Constraint extra = Check.error("d").isUnique("b").constraints().get(0);
    assertThrows(UnsupportedOperationException.class, () -> check.constraints().add(extra));
    assertThrows(UnsupportedOperationException.class, () -> check.constraints().clear());
    assertEquals(1, check.constraints().size());
  }

  @Test
  void hintNamedAndWithAnomalyChangeOnlyTheLastConstraint() {
    Check base = Check.warning("shape").isComplete("age").hasMean("amount", Assertion.atLeast(0));
    AnomalyStrategy rate = new AnomalyStrategy.RelativeRate(0.5, 2);
    Check changed = base.hint("refunds are separate rows").named("mean_amount").withAnomaly(rate);

    Constraint first = changed.constraints().get(0);
    assertEquals("completeness(age)", first.name());
    assertEquals("", first.hint());
    assertEquals(Optional.empty(), first.anomaly());

    Constraint last = changed.constraints().get(1);
    assertEquals("mean_amount", last.name());
    assertEquals(
        "check 'shape' constraint 'mean_amount'", last.keyPath(), "errors name the new name");
    assertEquals("refunds are separate rows", last.hint());
    assertEquals(Optional.of(rate), last.anomaly());
    assertEquals(new Metric.Mean("amount"), last.metric());
    assertEquals(">= 0", assertionOf(last).description(), "withAnomaly keeps the assertion");
    assertEquals(2, changed.constraints().size());
    assertEquals(Check.Level.WARNING, changed.level());

    // the check they were called on is unchanged
    Constraint before = base.constraints().get(1);
    assertEquals("mean(amount)", before.name());
    assertEquals("", before.hint());
    assertEquals(Optional.empty(), before.anomaly());
  }

  @Test
  void modifiersNeedAConstraintToApplyTo() {
    Check empty = Check.error("c");
    assertThrows(IllegalStateException.class, () -> empty.hint("h"));
    assertThrows(IllegalStateException.class, () -> empty.named("n"));
    assertThrows(
        IllegalStateException.class,
        () -> empty.withAnomaly(new AnomalyStrategy.AbsoluteChange(1, 1)));
  }

  @Test
  void duplicateConstraintNamesAreRejected() {
    Check check = Check.error("shape").isComplete("age");
    assertRejected(
        "check 'shape' already has a constraint named 'completeness(age)'",
        () -> check.isComplete("age"));
    assertRejected(
        "already has a constraint named 'completeness(age)'",
        () -> check.hasCompleteness("age", Assertion.atLeast(0.9)));
    // renaming the last constraint onto an earlier one's name
    assertRejected(
        "already has a constraint named 'completeness(age)'",
        () -> check.isUnique("id").named("completeness(age)"));
    // a new name makes room for a second constraint on the same metric
    Check two = check.named("age_complete").hasCompleteness("age", Assertion.atLeast(0.9));
    assertEquals(
        List.of("age_complete", "completeness(age)"),
        two.constraints().stream().map(Constraint::name).toList());
  }

  @Test
  void aCheckNeedsANameAndAConstraintNeedsAnAssertionOrAStrategy() {
    assertRejected("needs a name", () -> Check.error(" "));
    assertRejected("needs a name", () -> Check.warning(null));
    assertRejected(
        "needs an assertion, an anomaly strategy or both",
        () ->
            new Constraint("c", new Metric.Size(), Optional.empty(), Optional.empty(), "", "here"));
  }

  @Test
  void levelsMapToStatuses() {
    assertEquals(Status.FAIL, Check.Level.ERROR.status());
    assertEquals(Status.WARN, Check.Level.WARNING.status());
  }

  @Test
  void isCompleteAndIsUniqueDefaultToEveryRow() {
    Check check = Check.error("c").isComplete("age").isUnique("account", "ts");
    Constraint complete = check.constraints().get(0);
    assertEquals(new Metric.Completeness("age"), complete.metric());
    assertEquals("== 1", assertionOf(complete).description());
    assertEquals(1, assertionOf(complete).min());
    assertEquals(1, assertionOf(complete).max());
    assertTrue(assertionOf(complete).test(1));
    assertFalse(assertionOf(complete).test(0.999));
    assertEquals("check 'c' constraint 'completeness(age)'", complete.keyPath());

    Constraint unique = check.constraints().get(1);
    assertEquals(new Metric.Uniqueness(List.of("account", "ts")), unique.metric());
    assertEquals("uniqueness(account,ts)", unique.name());
    assertEquals("== 1", assertionOf(unique).description());
    assertEquals(Optional.empty(), unique.anomaly());
  }

  @Test
  void eachBuilderMethodDeclaresItsMetric() {
    Check check =
        Check.error("all")
            .hasSize(Assertion.atLeast(1))
            .hasDistinctness(List.of("country"), Assertion.atLeast(0.01))
            .isNonNegative("amount")
            .hasMax("age", Assertion.atMost(120))
            .hasStandardDeviation("amount", Assertion.atMost(1000))
            .hasApproxQuantile("amount", 0.99, Assertion.atMost(1e4))
            .isContainedIn("country", "DE", "FR")
            .hasPattern("email", "^[^@]+@[^@]+$")
            .satisfies("amount >= 0", "non_negative", Assertion.atLeast(0.99))
            .isProvenanceComplete("source")
            .hasValidChecksum("row_sha", RowChecksum.Algorithm.SHA256)
            .hasIntegrityMetric(
                "feature_drift",
                "psi",
                Map.of("feature", "age"),
                Metric.Aggregate.MAX,
                Assertion.atMost(0.25))
            .hasAnomaly(new Metric.Mean("amount"), new AnomalyStrategy.MedianMad(4, 30, 5, 0.001));
    List<Metric> metrics = check.constraints().stream().map(Constraint::metric).toList();
    assertEquals(
        List.of(
            new Metric.Size(),
            new Metric.Distinctness(List.of("country")),
            new Metric.Minimum("amount"),
            new Metric.Maximum("age"),
            new Metric.StandardDeviation("amount"),
            new Metric.Quantile("amount", 0.99),
            new Metric.AllowedValues("country", List.of("DE", "FR")),
            new Metric.PatternMatch("email", "^[^@]+@[^@]+$"),
            new Metric.Compliance("non_negative", "amount >= 0"),
            new Metric.Provenance(List.of("source")),
            new Metric.ChecksumMatch("row_sha", RowChecksum.Algorithm.SHA256, List.of(), List.of()),
            new Metric.IntegrityMetric(
                "feature_drift", "psi", Map.of("feature", "age"), Metric.Aggregate.MAX),
            new Metric.Mean("amount")),
        metrics);
    List<String> names = check.constraints().stream().map(Constraint::name).toList();
    assertEquals(
        List.of(
            "size",
            "distinctness(country)",
            "min(amount)",
            "max(age)",
            "stddev(amount)",
            "quantile(amount,0.99)",
            "allowed_values(country)",
            "pattern(email)",
            "satisfies(non_negative)",
            "provenance(source)",
            "checksum(row_sha)",
            "metric(max feature_drift.psi,feature=age)",
            "mean(amount)"),
        names);
    assertEquals(">= 0", assertionOf(check.constraints().get(2)).description());
    assertEquals("== 1", assertionOf(check.constraints().get(6)).description());
    assertEquals("== 1", assertionOf(check.constraints().get(7)).description());
    assertEquals("== 1", assertionOf(check.constraints().get(9)).description());
    assertEquals("== 1", assertionOf(check.constraints().get(10)).description());
    Constraint anomalyOnly = check.constraints().get(12);
    assertEquals(Optional.empty(), anomalyOnly.assertion());
    assertEquals(
        Optional.of(new AnomalyStrategy.MedianMad(4, 30, 5, 0.001)), anomalyOnly.anomaly());
  }

  @Test
  void aLambdaIsWrappedAsACustomAssertion() {
    Constraint c = Check.error("c").hasSize(v -> v > 10).constraints().get(0);
    Assertion a = assertionOf(c);
    assertEquals("a custom assertion", a.description());
    assertEquals("a custom assertion", a.toString());
    assertTrue(a.test(11));
    assertFalse(a.test(10));
    assertTrue(Double.isNaN(a.min()) && Double.isNaN(a.max()), a.min() + ", " + a.max());
    assertFalse(Assertion.of(v -> true).test(Double.NaN), "NaN fails even an always-true lambda");
    Assertion bounds = Assertion.atLeast(1);
    assertSame(bounds, Assertion.of(bounds), "an Assertion is used as it is");
    assertEquals(
        ">= 1", assertionOf(Check.error("c").hasSize(bounds).constraints().get(0)).description());
  }

  // Assertions

  @Test
  void boundsAreInclusiveAndDescribed() {
    Assertion atLeast = Assertion.atLeast(0.95);
    assertEquals(">= 0.95", atLeast.description());
    assertTrue(atLeast.test(0.95));
    assertTrue(atLeast.test(1));
    assertFalse(atLeast.test(Math.nextDown(0.95)));
    assertEquals(0.95, atLeast.min());
    assertTrue(Double.isNaN(atLeast.max()));

    Assertion atMost = Assertion.atMost(120);
    assertEquals("<= 120", atMost.description());
    assertTrue(atMost.test(120));
    assertTrue(atMost.test(-1e9));
    assertFalse(atMost.test(120.000001));

    Assertion between = Assertion.between(0, 120);
    assertEquals("in [0, 120]", between.description());
    assertEquals("in [0, 120]", between.toString());
    assertTrue(between.test(0));
    assertTrue(between.test(120));
    assertTrue(between.test(60.5));
    assertFalse(between.test(-0.001));
    assertFalse(between.test(120.001));
    assertEquals("in [-1.5, 2.25]", Assertion.between(-1.5, 2.25).description());

    Assertion one = Assertion.equalTo(1);
    assertEquals("== 1", one.description());
    assertEquals("== 1", Assertion.between(1, 1).description());
    assertTrue(one.test(1));
    assertFalse(one.test(Math.nextUp(1.0)));
    assertFalse(one.test(Math.nextDown(1.0)));
    assertEquals("== 0.5", Assertion.equalTo(0.5).description());
  }

  @Test
  void nanNeverPasses() {
    for (Assertion a :
        List.of(
            Assertion.atLeast(0),
            Assertion.atMost(1),
            Assertion.between(-1e300, 1e300),
            Assertion.equalTo(0),
            Assertion.of(v -> true),
            Assertion.of(Double::isNaN))) {
      assertFalse(a.test(Double.NaN), a.description());
    }
  }

  @Test
  void anAssertionNeedsABoundAndOrderedBounds() {
    assertRejected("needs a min, a max or both", () -> Assertion.between(Double.NaN, Double.NaN));
    assertRejected("min 2.0 is above max 1.0", () -> Assertion.between(2, 1));
  }
}
