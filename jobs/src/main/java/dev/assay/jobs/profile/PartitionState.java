package dev.assay.jobs.profile;

import dev.assay.common.stats.DistinctSketch;
import dev.assay.common.stats.ValueCounts;
import java.io.Serializable;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The profile state of one partition as one task saw it: primitive arrays and serialized sketches,
 * a few KB per feature, merged on the driver.
 */
final class PartitionState implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  final long[] nulls;
  final long[] nonFinite;
  final long[] finite;
  final double[] sum;
  final double[] sumSquares;
  final double[] min;
  final double[] max;
  final long[][] bins;
  final byte[][] kll;
  final byte[][] numericDistinct;

  /**
   * Exact value counts per numeric feature; null for a feature with more than 100 distinct values.
   */
  final ValueCounts[] exactValues;

  final long[] categoricalNulls;
  final byte[][] items;
  final byte[][] categoricalDistinct;

  PartitionState(int numeric, int categorical) {
    nulls = new long[numeric];
    nonFinite = new long[numeric];
    finite = new long[numeric];
    sum = new double[numeric];
    sumSquares = new double[numeric];
    min = new double[numeric];
    max = new double[numeric];
    bins = new long[numeric][];
    kll = new byte[numeric][];
    numericDistinct = new byte[numeric][];
    exactValues = new ValueCounts[numeric];
    categoricalNulls = new long[categorical];
    items = new byte[categorical][];
    categoricalDistinct = new byte[categorical][];
  }

  /** Adds another task's state of the same partition into this one. */
  PartitionState merge(PartitionState other) {
    rows += other.rows;
    for (int f = 0; f < nulls.length; f++) {
      nulls[f] += other.nulls[f];
      nonFinite[f] += other.nonFinite[f];
      finite[f] += other.finite[f];
      sum[f] += other.sum[f];
      sumSquares[f] += other.sumSquares[f];
      min[f] = Math.min(min[f], other.min[f]);
      max[f] = Math.max(max[f], other.max[f]);
      for (int b = 0; b < bins[f].length; b++) {
        bins[f][b] += other.bins[f][b];
      }
      KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(kll[f]));
      sketch.merge(KllDoublesSketch.heapify(Memory.wrap(other.kll[f])));
      kll[f] = sketch.toByteArray();
      numericDistinct[f] = unionDistinct(numericDistinct[f], other.numericDistinct[f]);
      exactValues[f] = ValueCounts.merge(exactValues[f], other.exactValues[f]);
    }
    for (int f = 0; f < categoricalNulls.length; f++) {
      categoricalNulls[f] += other.categoricalNulls[f];
      ItemsSketch<String> sketch = items(items[f]);
      sketch.merge(items(other.items[f]));
      items[f] = sketch.toByteArray(new ArrayOfStringsSerDe());
      categoricalDistinct[f] = unionDistinct(categoricalDistinct[f], other.categoricalDistinct[f]);
    }
    return this;
  }

  static ItemsSketch<String> items(byte[] bytes) {
    return ItemsSketch.getInstance(Memory.wrap(bytes), new ArrayOfStringsSerDe());
  }

  static long distinct(byte[] sketch) {
    return Math.round(DistinctSketch.fromBytes(sketch).estimate());
  }

  private static byte[] unionDistinct(byte[] a, byte[] b) {
    return DistinctSketch.fromBytes(a).merge(DistinctSketch.fromBytes(b)).toBytes();
  }
}
