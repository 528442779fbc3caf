package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.checks.AnomalyStrategy;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.checks.Metric;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;

/**
 * Deequ-style constraint checks. Every metric of every constraint of every pending partition comes
 * from one pass ({@link CheckPass}); a failing constraint is a result row, never an exception. Each
 * constraint gives one {@code check_results} row per partition, judged by its assertion and, with an
 * anomaly strategy, against the metric's trusted history. Rows that fail row-level constraints of a
 * failed check can be copied to a quarantine table.
 */
public final class ChecksJob implements Job {
  private static final Logger LOG = LogManager.getLogger(ChecksJob.class);
  private final Optional<List<Check>> checks;

  /** Runs each dataset's configured checks. */
  public ChecksJob() {
    this.checks = Optional.empty();
  }

  /** Runs checks built with the Java DSL instead of the configured ones. */
  public ChecksJob(List<Check> checks) {
    this.checks = Optional.of(List.copyOf(checks));
  }

  @Override
  public String name() {
    return "checks";
  }

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.isTable() && !checksOf(dataset).isEmpty();
  }

  @Override
  public Optional<IntegrityTable<?>> verdictSource() {
    return Optional.of(IntegrityTables.CHECK_RESULTS);
  }

  @Override
  public String describe(JobContext context) {
    int constraints = checksOf(context.dataset()).stream().mapToInt(c -> c.constraints().size()).sum();
    return "Checking " + constraints + " constraints on " + context.partitions().size() + " partition(s) of "
        + context.dataset().table();
  }

  private List<Check> checksOf(DatasetConfig dataset) {
    return checks.orElse(dataset.checks());
  }

  @Override
  public JobOutcome run(JobContext context) {
    List<Check> all = checksOf(context.dataset());
    CheckPlan plan = new CheckPlan(context.table(), all);
    long start = System.nanoTime();
    Map<String, PartitionMetrics> states = CheckPass.run(plan,
        plan.projection(context.table(), context.partitions()).queryExecution().toRdd().toJavaRDD());
    LOG.info("Measured {} partition(s) in {} ms", context.partitions().size(), (System.nanoTime() - start) / 1_000_000);
    Map<Metric, Map<String, Double>> external = integrityMetrics(context, all);
    MetricHistory history = new MetricHistory(context,
        all.stream().flatMap(c -> c.constraints().stream()).anyMatch(c -> c.anomaly().isPresent()));
    List<Row> rows = new ArrayList<>();
    Map<String, Map<Metric, List<String>>> failedRowLevel = new LinkedHashMap<>();
    long rowsRead = 0;
    int notOk = 0;
    PartitionMetrics none = plan.shape(1).empty();
    for (String partition : context.partitions()) {
      PartitionMetrics metrics = states.getOrDefault(partition, none);
      rowsRead += metrics.rows;
      boolean partitionFailed = false;
      Map<Metric, Double> values = new HashMap<>();
      external.forEach((metric, byPartition) -> values.put(metric, byPartition.get(partition)));
      for (Check check : all) {
        for (Constraint constraint : check.constraints()) {
          Measurement measurement = Measurement.of(constraint.metric(), plan, metrics, values);
          Judgement judgement = judge(check, constraint, measurement,
              history.before(check.name(), constraint.name(), partition), history.position(partition));
          history.record(check.name(), constraint.name(), partition, measurement.value());
          partitionFailed |= judgement.status == Status.FAIL;
          if (judgement.status != Status.OK) {
            notOk++;
            if (constraint.metric().rowLevel() && measurement.failingRows() > 0) {
              failedRowLevel.computeIfAbsent(partition, p -> new LinkedHashMap<>())
                  .computeIfAbsent(constraint.metric(), m -> new ArrayList<>())
                  .add(check.name() + "/" + constraint.name());
            }
          }
          rows.add(row(context, partition, check, constraint, measurement, judgement));
        }
      }
      if (partitionFailed) {
        history.failed(partition);
      }
    }
    context.dataset().checksQuarantine().ifPresent(table ->
        ChecksQuarantine.write(context, table, plan, failedRowLevel));
    context.store().replacePartitions(IntegrityTables.CHECK_RESULTS, context.dataset().name(), context.partitions(),
        context.spark().createDataFrame(rows, IntegrityTables.CHECK_RESULTS.schema()), context.run());
    return new JobOutcome(rowsRead, "checked " + rows.size() + " constraint result(s) on " + context.partitions().size()
        + " partition(s); " + notOk + " not OK");
  }

  /** A constraint's status on one partition, with what was expected. */
  private record Judgement(Status status, String message, String reason, double low, double high, List<String> used,
      String strategy) {}

  private static Judgement judge(Check check, Constraint constraint, Measurement m, List<AnomalyStrategy.Point> past,
      int position) {
    String subject = check.name() + "/" + constraint.name();
    Status failure = check.level().status();
    String strategy = constraint.anomaly().map(AnomalyStrategy::name).orElse(null);
    if (Double.isNaN(m.value())) {
      String message = constraint.name() + " has no value: " + m.missing();
      return new Judgement(failure, message, "checks: " + subject + " has no value (" + m.missing() + ")",
          Double.NaN, Double.NaN, List.of(), strategy);
    }
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String value = Reasons.number(m.value());
    constraint.assertion().ifPresent(a -> {
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
        problems.add(subject + " = " + value + " is an anomaly (" + strategy + "): " + e.explanation());
      } else {
        notes.add(strategy + ": " + e.explanation());
      }
    }
    String rowsNote = m.failingRows() > 0 ? " (" + m.failingRows() + " of " + m.rows() + " rows fail)" : "";
    String hint = constraint.hint().isEmpty() ? "" : " Hint: " + constraint.hint();
    if (problems.isEmpty()) {
      String message = constraint.name() + " = " + value + rowsNote + " passes"
          + constraint.assertion().map(a -> " " + a.description()).orElse("")
          + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
      return new Judgement(Status.OK, message, null, low, high, used, strategy);
    }
    String failed = String.join("; ", problems) + rowsNote;
    return new Judgement(failure, failed + hint, "checks: " + failed, low, high, used, strategy);
  }

  private static Row row(JobContext context, String partition, Check check, Constraint c, Measurement m, Judgement j) {
    return RowFactory.create(context.dataset().name(), partition, context.run().runId(), check.name(), c.name(),
        check.level().name().toLowerCase(), c.metric().name(), c.metric().subject(),
        Double.isNaN(m.value()) ? null : m.value(), m.rows(), m.failingRows() < 0 ? null : m.failingRows(),
        c.assertion().map(a -> a.description()).orElse(null), j.strategy(),
        Double.isNaN(j.low()) ? null : j.low(), Double.isNaN(j.high()) ? null : j.high(),
        j.used().toArray(new String[0]), c.hint().isEmpty() ? null : c.hint(), j.message(), j.status().name(),
        j.reason());
  }

  /** Values of metrics other jobs wrote, per metric and partition. */
  private static Map<Metric, Map<String, Double>> integrityMetrics(JobContext context, List<Check> checks) {
    Map<Metric, Map<String, Double>> values = new HashMap<>();
    for (Check check : checks) {
      for (Constraint constraint : check.constraints()) {
        if (constraint.metric() instanceof Metric.IntegrityMetric m && !values.containsKey(m)) {
          values.put(m, read(context, m));
        }
      }
    }
    return values;
  }

  private static Map<String, Double> read(JobContext context, Metric.IntegrityMetric m) {
    IntegrityTable<?> table = IntegrityTables.all().stream().filter(t -> t.name().equals(m.table())).findFirst()
        .orElseThrow();
    Map<String, Double> values = new HashMap<>();
    if (!context.store().exists(table)) {
      return values;
    }
    Dataset<Row> rows = context.store().read(table).where(col("dataset").equalTo(context.dataset().name())
        .and(col("partition").isin(context.partitions().toArray())));
    for (Map.Entry<String, String> filter : m.where().entrySet()) {
      rows = rows.where(Columns.named(filter.getKey()).equalTo(filter.getValue()));
    }
    Column value = Columns.named(m.column()).cast("double");
    Column aggregate = switch (m.aggregate()) {
      case MAX -> functions.max(value);
      case MIN -> functions.min(value);
      case SUM -> functions.sum(value);
      case MEAN -> functions.avg(value);
    };
    for (Row row : rows.groupBy("partition").agg(aggregate).collectAsList()) {
      values.put(row.getString(0), row.isNullAt(1) ? Double.NaN : row.getDouble(1));
    }
    return values;
  }
}
