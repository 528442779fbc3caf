package dev.assay.jobs.checks;

import java.io.Serializable;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The metric state of one partition: counts, numeric summaries (count, mean and M2 merged with
 * Chan's formula, so the standard deviation stays accurate whatever the mean), serialized quantile
 * sketches, flag counts and, once key hashes are counted, distinct and singleton counts per key
 * set. A few hundred bytes per metric, merged on the driver.
 */
final class PartitionMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  final long[] nulls;
  final long[] nonFinite;
  final long[] count;
  final double[] mean;
  final double[] m2;
  final double[] min;
  final double[] max;
  final byte[][] sketches;
  final long[] passes;
  final long[] keyRows;
  final long[] keyDistinct;
  final long[] keySingletons;

  PartitionMetrics(int numeric, int sketches, int flags, int keySets) {
    nulls = new long[numeric];
    nonFinite = new long[numeric];
    count = new long[numeric];
    mean = new double[numeric];
    m2 = new double[numeric];
    min = new double[numeric];
    max = new double[numeric];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    this.sketches = new byte[sketches][];
    passes = new long[flags];
    keyRows = new long[keySets];
    keyDistinct = new long[keySets];
    keySingletons = new long[keySets];
  }

  /** Adds another task's state of the same partition. */
  PartitionMetrics merge(PartitionMetrics other) {
    rows += other.rows;
    for (int f = 0; f < count.length; f++) {
      nulls[f] += other.nulls[f];
      nonFinite[f] += other.nonFinite[f];
      long n = count[f] + other.count[f];
      if (n > 0) {
        double delta = other.mean[f] - mean[f];
        mean[f] += delta * other.count[f] / n;
        m2[f] += other.m2[f] + delta * delta * ((double) count[f] * other.count[f] / n);
      }
      count[f] = n;
      min[f] = Math.min(min[f], other.min[f]);
      max[f] = Math.max(max[f], other.max[f]);
    }
    for (int s = 0; s < sketches.length; s++) {
      if (sketches[s] == null) {
        sketches[s] = other.sketches[s];
      } else if (other.sketches[s] != null) {
        KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(sketches[s]));
        sketch.merge(KllDoublesSketch.heapify(Memory.wrap(other.sketches[s])));
        sketches[s] = sketch.toByteArray();
      }
    }
    for (int i = 0; i < passes.length; i++) {
      passes[i] += other.passes[i];
    }
    for (int k = 0; k < keyRows.length; k++) {
      keyRows[k] += other.keyRows[k];
      keyDistinct[k] += other.keyDistinct[k];
      keySingletons[k] += other.keySingletons[k];
    }
    return this;
  }
}
