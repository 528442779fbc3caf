package dev.assay.jobs.profile;

import dev.assay.common.stats.BinnedHistogram;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The single pass of the profile job, run once per Spark task over {@code InternalRow}s laid out
 * as (partition string, numeric doubles..., categorical strings...). It keeps primitive arrays per
 * partition value and emits one small {@link PartitionState} map per task. No Row conversion.
 */
final class ProfilePass implements FlatMapFunction<Iterator<InternalRow>, Map<String, PartitionState>> {
  private static final long serialVersionUID = 1L;
  /** Exact counting per categorical feature up to this many values, then a frequent-items sketch. */
  static final int EXACT_CATEGORIES = 4096;
  /** Map size of the frequent-items sketch: exact below 0.75 × this many distinct values. */
  static final int ITEMS_MAP_SIZE = 8192;
  static final int KLL_K = 200;

  private final double[][] edges;
  private final int categorical;

  ProfilePass(double[][] edges, int categorical) {
    this.edges = edges;
    this.categorical = categorical;
  }

  @Override
  public Iterator<Map<String, PartitionState>> call(Iterator<InternalRow> rows) {
    Map<UTF8String, Accumulator> byPartition = new HashMap<>();
    UTF8String lastKey = null;
    Accumulator current = null;
    int numeric = edges.length;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      UTF8String key = row.getUTF8String(0);
      if (current == null || !key.equals(lastKey)) {
        lastKey = key.clone();
        current = byPartition.computeIfAbsent(lastKey, k -> new Accumulator(edges, categorical));
      }
      current.rows++;
      for (int f = 0; f < numeric; f++) {
        int ordinal = f + 1;
        if (row.isNullAt(ordinal)) {
          current.nulls[f]++;
          continue;
        }
        double x = row.getDouble(ordinal);
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          current.nonFinite[f]++;
          continue;
        }
        current.finite[f]++;
        current.sum[f] += x;
        current.sumSquares[f] += x * x;
        if (x < current.min[f]) {
          current.min[f] = x;
        }
        if (x > current.max[f]) {
          current.max[f] = x;
        }
        current.bins[f][BinnedHistogram.binIndex(edges[f], x)]++;
        current.kll[f].update(x);
        current.numericHll[f].update(Double.doubleToLongBits(x == 0.0 ? 0.0 : x));
      }
      for (int c = 0; c < categorical; c++) {
        int ordinal = 1 + numeric + c;
        if (row.isNullAt(ordinal)) {
          current.categoricalNulls[c]++;
          continue;
        }
        current.count(c, row.getUTF8String(ordinal));
      }
    }
    Map<String, PartitionState> out = new HashMap<>();
    byPartition.forEach((key, accumulator) -> out.put(key.toString(), accumulator.seal()));
    return List.of(out).iterator();
  }

  /** Per-partition mutable state inside one task. */
  private static final class Accumulator {
    long rows;
    final long[] nulls;
    final long[] nonFinite;
    final long[] finite;
    final double[] sum;
    final double[] sumSquares;
    final double[] min;
    final double[] max;
    final long[][] bins;
    final KllDoublesSketch[] kll;
    final HllSketch[] numericHll;
    final long[] categoricalNulls;
    final Map<UTF8String, long[]>[] exact;
    final ItemsSketch<String>[] items;
    final HllSketch[] categoricalHll;

    @SuppressWarnings("unchecked")
    Accumulator(double[][] edges, int categorical) {
      int numeric = edges.length;
      nulls = new long[numeric];
      nonFinite = new long[numeric];
      finite = new long[numeric];
      sum = new double[numeric];
      sumSquares = new double[numeric];
      min = new double[numeric];
      max = new double[numeric];
      bins = new long[numeric][];
      kll = new KllDoublesSketch[numeric];
      numericHll = new HllSketch[numeric];
      for (int f = 0; f < numeric; f++) {
        min[f] = Double.POSITIVE_INFINITY;
        max[f] = Double.NEGATIVE_INFINITY;
        bins[f] = new long[edges[f].length + 1];
        kll[f] = KllDoublesSketch.newHeapInstance(KLL_K);
        numericHll[f] = new HllSketch(PartitionState.HLL_LG_K, TgtHllType.HLL_8);
      }
      categoricalNulls = new long[categorical];
      exact = new Map[categorical];
      items = new ItemsSketch[categorical];
      categoricalHll = new HllSketch[categorical];
      for (int c = 0; c < categorical; c++) {
        exact[c] = new HashMap<>();
        categoricalHll[c] = new HllSketch(PartitionState.HLL_LG_K, TgtHllType.HLL_8);
      }
    }

    void count(int c, UTF8String value) {
      if (items[c] != null) {
        String text = value.toString();
        items[c].update(text);
        categoricalHll[c].update(text);
        return;
      }
      long[] counter = exact[c].get(value);
      if (counter == null) {
        if (exact[c].size() >= EXACT_CATEGORIES) {
          items[c] = drain(exact[c]);
          count(c, value);
          return;
        }
        counter = new long[1];
        exact[c].put(value.clone(), counter);
        categoricalHll[c].update(value.toString());
      }
      counter[0]++;
    }

    private static ItemsSketch<String> drain(Map<UTF8String, long[]> counts) {
      ItemsSketch<String> sketch = new ItemsSketch<>(ITEMS_MAP_SIZE);
      counts.forEach((value, counter) -> sketch.update(value.toString(), counter[0]));
      counts.clear();
      return sketch;
    }

    PartitionState seal() {
      PartitionState state = new PartitionState(nulls.length, categoricalNulls.length);
      state.rows = rows;
      for (int f = 0; f < nulls.length; f++) {
        state.nulls[f] = nulls[f];
        state.nonFinite[f] = nonFinite[f];
        state.finite[f] = finite[f];
        state.sum[f] = sum[f];
        state.sumSquares[f] = sumSquares[f];
        state.min[f] = min[f];
        state.max[f] = max[f];
        state.bins[f] = bins[f];
        state.kll[f] = kll[f].toByteArray();
        state.numericHll[f] = numericHll[f].toCompactByteArray();
      }
      for (int c = 0; c < categoricalNulls.length; c++) {
        state.categoricalNulls[c] = categoricalNulls[c];
        ItemsSketch<String> sketch = items[c] != null ? items[c] : drain(exact[c]);
        state.items[c] = sketch.toByteArray(new ArrayOfStringsSerDe());
        state.categoricalHll[c] = categoricalHll[c].toCompactByteArray();
      }
      return state;
    }
  }
}
