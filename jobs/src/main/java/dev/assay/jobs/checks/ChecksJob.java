package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.checks.Metric;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.records.CheckResultRecord;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
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
import org.apache.spark.sql.functions;

/**
 * Deequ-style constraint checks. Every metric of every constraint of every pending partition comes
 * from one pass ({@link CheckPass}); a failing constraint is a result row, never an exception. Each
 * constraint gives one {@code check_results} row per partition, judged by its assertion and, with
 * an anomaly strategy, against the metric's trusted history. Rows that fail row-level constraints
 * of a failed check can be copied to a quarantine table.
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
    int constraints =
        checksOf(context.dataset()).stream().mapToInt(c -> c.constraints().size()).sum();
    return "Checking "
        + constraints
        + " constraints on "
        + context.partitions().size()
        + " partition(s) of "
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
    Map<String, PartitionMetrics> states =
        CheckPass.run(
            plan,
            plan.projection(context.table(), context.partitions())
                .queryExecution()
                .toRdd()
                .toJavaRDD());
    LOG.info(
        "Measured {} partition(s) in {} ms",
        context.partitions().size(),
        (System.nanoTime() - start) / 1_000_000);
    Map<Metric, Map<String, Double>> external = integrityMetrics(context, all);
    MetricHistory history =
        MetricHistory.read(
            context,
            all.stream()
                .flatMap(c -> c.constraints().stream())
                .anyMatch(c -> c.anomaly().isPresent()));
    ConstraintJudge judge = new ConstraintJudge(context.dataset().name(), context.run().runId());
    List<CheckResultRecord> rows = new ArrayList<>();
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
          CheckResultRecord result =
              judge.judge(
                  partition,
                  check,
                  constraint,
                  measurement,
                  history.before(check.name(), constraint.name(), partition),
                  history.position(partition));
          history.record(check.name(), constraint.name(), partition, measurement.value());
          partitionFailed |= result.status().equals(Status.FAIL.name());
          if (!result.status().equals(Status.OK.name())) {
            notOk++;
            if (constraint.metric().rowLevel() && measurement.failingRows() > 0) {
              failedRowLevel
                  .computeIfAbsent(partition, p -> new LinkedHashMap<>())
                  .computeIfAbsent(constraint.metric(), m -> new ArrayList<>())
                  .add(check.name() + "/" + constraint.name());
            }
          }
          rows.add(result);
        }
      }
      if (partitionFailed) {
        history.failed(partition);
      }
    }
    context
        .dataset()
        .checksQuarantine()
        .ifPresent(table -> ChecksQuarantine.write(context, table, plan, failedRowLevel));
    context
        .store()
        .replacePartitions(
            IntegrityTables.CHECK_RESULTS,
            context.dataset().name(),
            context.partitions(),
            rows,
            context.run());
    return new JobOutcome(
        rowsRead,
        "checked "
            + rows.size()
            + " constraint result(s) on "
            + context.partitions().size()
            + " partition(s); "
            + notOk
            + " not OK");
  }

  /** Values of metrics other jobs wrote, per metric and partition. */
  private static Map<Metric, Map<String, Double>> integrityMetrics(
      JobContext context, List<Check> checks) {
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
    IntegrityTable<?> table =
        IntegrityTables.all().stream()
            .filter(t -> t.name().equals(m.table()))
            .findFirst()
            .orElseThrow();
    Map<String, Double> values = new HashMap<>();
    if (!context.store().exists(table)) {
      return values;
    }
    Dataset<Row> rows =
        context
            .store()
            .read(table)
            .where(
                col("dataset")
                    .equalTo(context.dataset().name())
                    .and(col("partition").isin(context.partitions().toArray())));
    for (Map.Entry<String, String> filter : m.where().entrySet()) {
      rows = rows.where(Columns.named(filter.getKey()).equalTo(filter.getValue()));
    }
    Column value = Columns.named(m.column()).cast("double");
    Column aggregate =
        switch (m.aggregate()) {
          case MAX -> functions.max(value);
          case MIN -> functions.min(value);
          case SUM -> functions.sum(value);
          case MEAN -> functions.avg(value);
        };
    for (Row row : rows.groupBy("partition").agg(aggregate.as("value")).collectAsList()) {
      Double aggregated = row.getAs("value");
      values.put(row.getAs("partition"), aggregated == null ? Double.NaN : aggregated);
    }
    return values;
  }
}
