package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.checks.AnomalyStrategy.Point;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.CheckResultRecord;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Earlier values of each constraint's metric, from {@code check_results}, for anomaly strategies.
 * Partitions that FAILed are left out (a FAIL verdict, a FAIL row in any verdict-source table, or a
 * FAIL this run gave them), so an attacker's partitions never become the norm. One row per
 * partition and constraint is read: the history is small.
 */
final class MetricHistory {
  private final List<String> allPartitions;
  private final Set<String> failed = new HashSet<>();

  /** Per "check/constraint", partition → value. */
  private final Map<String, Map<String, Double>> values = new HashMap<>();

  /** An empty history of a dataset whose partitions, in order, are {@code allPartitions}. */
  MetricHistory(List<String> allPartitions) {
    this.allPartitions = allPartitions;
  }

  /**
   * The stored history of the context's dataset, without its pending partitions; empty when no
   * constraint has an anomaly strategy.
   */
  static MetricHistory read(JobContext context, boolean anyAnomaly) {
    MetricHistory history = new MetricHistory(context.allPartitions());
    if (!anyAnomaly) {
      return history;
    }
    String dataset = context.dataset().name();
    for (VerdictRecord verdict :
        IntegrityTables.VERDICTS.collect(
            context
                .store()
                .read(IntegrityTables.VERDICTS)
                .where(col("dataset").equalTo(dataset).and(col("verdict").equalTo("FAIL")))
                .select("partition"))) {
      history.failed(verdict.partition());
    }
    BaselinePicker.flagged(context, List.of(IntegrityTables.CHECK_RESULTS), List.of("FAIL"))
        .forEach(history::failed);
    Set<String> pending = new HashSet<>(context.partitions());
    for (CheckResultRecord result :
        IntegrityTables.CHECK_RESULTS.collect(
            context
                .store()
                .read(IntegrityTables.CHECK_RESULTS)
                .where(col("dataset").equalTo(dataset).and(col("value").isNotNull()))
                .select("partition", "check", "constraint", "value", "status"))) {
      if (!pending.contains(result.partition())) {
        history.stored(result);
      }
    }
    return history;
  }

  /**
   * Adds an earlier run's result; a FAIL result takes its partition out of every constraint's
   * history.
   */
  void stored(CheckResultRecord result) {
    if ("FAIL".equals(result.status())) {
      failed.add(result.partition());
    }
    record(result.check(), result.constraint(), result.partition(), result.value());
  }

  private static String key(String check, String constraint) {
    return check + "\u0000" + constraint;
  }

  /** The trusted values before {@code partition}, oldest first. */
  List<Point> before(String check, String constraint, String partition) {
    Map<String, Double> known = values.getOrDefault(key(check, constraint), Map.of());
    List<Point> points = new ArrayList<>();
    int position = allPartitions.indexOf(partition);
    for (int i = 0; i < position; i++) {
      String earlier = allPartitions.get(i);
      Double value = known.get(earlier);
      if (value != null && !value.isNaN() && !failed.contains(earlier)) {
        points.add(new Point(i, earlier, value));
      }
    }
    return points;
  }

  int position(String partition) {
    return allPartitions.indexOf(partition);
  }

  /** Records this run's value of a constraint on a partition, for the partitions after it. */
  void record(String check, String constraint, String partition, double value) {
    values.computeIfAbsent(key(check, constraint), k -> new HashMap<>()).put(partition, value);
  }

  /** Records that the partition FAILed (a verdict, or this run): its values leave the history. */
  void failed(String partition) {
    failed.add(partition);
  }
}
