package dev.assay.jobs.checks;

import dev.assay.common.checks.AnomalyStrategy;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.records.CheckResultRecord;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one constraint's measurement on one partition by its assertion and, with an anomaly
 * strategy, against the metric's trusted history: a {@code check_results} record. Plain inputs, no
 * Spark.
 */
final class ConstraintJudge {
  private final String dataset;
  private final String runId;

  ConstraintJudge(String dataset, String runId) {
    this.dataset = dataset;
    this.runId = runId;
  }

  /** A constraint's status on one partition, with what was expected. */
  private record Judgement(
      Status status,
      String message,
      String reason,
      double low,
      double high,
      List<String> used,
      String strategy) {}

  /**
   * @param past the metric's trusted values before the partition, oldest first
   * @param position the partition's position among all partitions
   */
  CheckResultRecord judge(
      String partition,
      Check check,
      Constraint constraint,
      Measurement m,
      List<AnomalyStrategy.Point> past,
      int position) {
    Judgement j = judgement(check, constraint, m, past, position);
    return new CheckResultRecord(
        dataset,
        partition,
        runId,
        check.name(),
        constraint.name(),
        check.level().name().toLowerCase(),
        constraint.metric().name(),
        constraint.metric().subject(),
        Double.isNaN(m.value()) ? null : m.value(),
        m.rows(),
        m.failingRows() < 0 ? null : m.failingRows(),
        constraint.assertion().map(a -> a.description()).orElse(null),
        j.strategy(),
        Double.isNaN(j.low()) ? null : j.low(),
        Double.isNaN(j.high()) ? null : j.high(),
        j.used(),
        constraint.hint().isEmpty() ? null : constraint.hint(),
        j.message(),
        j.status().name(),
        j.reason());
  }

  private static Judgement judgement(
      Check check,
      Constraint constraint,
      Measurement m,
      List<AnomalyStrategy.Point> past,
      int position) {
    String subject = check.name() + "/" + constraint.name();
    Status failure = check.level().status();
    String strategy = constraint.anomaly().map(AnomalyStrategy::name).orElse(null);
    if (Double.isNaN(m.value())) {
      String message = constraint.name() + " has no value: " + m.missing();
      return new Judgement(
          failure,
          message,
          "checks: " + subject + " has no value (" + m.missing() + ")",
          Double.NaN,
          Double.NaN,
          List.of(),
          strategy);
    }
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String value = Reasons.number(m.value());
    constraint
        .assertion()
        .ifPresent(
            a -> {
              if (!a.test(m.value())) {
                problems.add(subject + " = " + value + ", expected " + a.description());
              }
            });
    double low = Double.NaN;
    double high = Double.NaN;
    List<String> used = List.of();
    if (constraint.anomaly().isPresent()) {
      AnomalyStrategy.Evaluation e = constraint.anomaly().get().evaluate(m.value(), position, past);
      low = e.low();
      high = e.high();
      used = e.used();
      if (e.anomalous()) {
        problems.add(
            subject + " = " + value + " is an anomaly (" + strategy + "): " + e.explanation());
      } else {
        notes.add(strategy + ": " + e.explanation());
      }
    }
    String rowsNote =
        m.failingRows() > 0 ? " (" + m.failingRows() + " of " + m.rows() + " rows fail)" : "";
    String hint = constraint.hint().isEmpty() ? "" : " Hint: " + constraint.hint();
    if (problems.isEmpty()) {
      String message =
          constraint.name()
              + " = "
              + value
              + rowsNote
              + " passes"
              + constraint.assertion().map(a -> " " + a.description()).orElse("")
              + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
      return new Judgement(Status.OK, message, null, low, high, used, strategy);
    }
    String failed = String.join("; ", problems) + rowsNote;
    return new Judgement(failure, failed + hint, "checks: " + failed, low, high, used, strategy);
  }
}
