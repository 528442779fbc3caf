package dev.assay.jobs.checks;

import dev.assay.common.checks.Metric;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * A metric's value on one partition, computed from the pass's state.
 *
 * @param value NaN when it cannot be computed, {@code missing} then says why
 * @param rows the rows the value is over (for uniqueness: rows with at least one non-null key
 *     column)
 * @param failingRows rows that fail a row-level condition, or sit in a repeated key; -1 when not
 *     applicable
 */
record Measurement(double value, long rows, long failingRows, String missing) {

  static Measurement of(
      Metric metric, CheckPlan plan, PartitionMetrics m, Map<Metric, Double> external) {
    if (metric instanceof Metric.Size) {
      return new Measurement(m.rows, m.rows, -1, "");
    } else if (metric instanceof Metric.Uniqueness u) {
      return keys(m, plan.keyIndex(u.columnSet()), true);
    } else if (metric instanceof Metric.Distinctness d) {
      return keys(m, plan.keyIndex(d.columnSet()), false);
    } else if (metric instanceof Metric.Minimum n) {
      return summary(m, plan.numericIndex(n.column()), m.min);
    } else if (metric instanceof Metric.Maximum n) {
      return summary(m, plan.numericIndex(n.column()), m.max);
    } else if (metric instanceof Metric.Mean n) {
      return summary(m, plan.numericIndex(n.column()), m.mean);
    } else if (metric instanceof Metric.StandardDeviation n) {
      int f = plan.numericIndex(n.column());
      return m.count[f] < 2
          ? missing(m.count[f], "fewer than two finite values")
          : new Measurement(Math.sqrt(m.m2[f] / (m.count[f] - 1)), m.count[f], -1, "");
    } else if (metric instanceof Metric.Quantile q) {
      int f = plan.numericIndex(q.column());
      if (m.count[f] == 0) {
        return missing(0, "no finite values");
      }
      KllDoublesSketch sketch =
          KllDoublesSketch.heapify(Memory.wrap(m.sketches[plan.sketchSlot(f)]));
      return new Measurement(
          sketch.getQuantile(q.quantile(), QuantileSearchCriteria.INCLUSIVE), m.count[f], -1, "");
    } else if (metric instanceof Metric.IntegrityMetric i) {
      Double value = external.get(i);
      return value == null || value.isNaN()
          ? missing(
              0,
              "no row of integrity."
                  + i.table()
                  + " matched; run that job before checks (nightly does)")
          : new Measurement(value, 0, -1, "");
    }
    if (m.rows == 0) {
      return missing(0, "the partition has no rows");
    }
    long passes = m.passes[plan.flagIndex(metric)];
    return new Measurement((double) passes / m.rows, m.rows, m.rows - passes, "");
  }

  private static Measurement keys(PartitionMetrics m, int k, boolean unique) {
    if (m.keyRows[k] == 0) {
      return missing(0, "no row has a non-null key");
    }
    long counted = unique ? m.keySingletons[k] : m.keyDistinct[k];
    return new Measurement(
        (double) counted / m.keyRows[k],
        m.keyRows[k],
        unique ? m.keyRows[k] - m.keySingletons[k] : -1,
        "");
  }

  private static Measurement summary(PartitionMetrics m, int f, double[] values) {
    return m.count[f] == 0
        ? missing(
            0, "no finite values (" + m.nulls[f] + " null, " + m.nonFinite[f] + " NaN or infinite)")
        : new Measurement(values[f], m.count[f], -1, "");
  }

  private static Measurement missing(long rows, String why) {
    return new Measurement(Double.NaN, rows, -1, why);
  }
}
