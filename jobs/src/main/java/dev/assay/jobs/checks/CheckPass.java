package dev.assay.jobs.checks;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * The one pass over a plan's projection. Each task keeps, per partition value, primitive counters
 * and summaries, and buffers the key hashes of each uniqueness column set, split into buckets by
 * hash, with repeats collapsed ({@link KeyHashes}). When there are key sets, one shuffle brings
 * each bucket's sorted runs together to count distinct and once-only keys exactly (up to hash
 * collisions); the summaries travel through the same shuffle. Only per-partition states, never rows
 * or hashes, reach the driver.
 */
final class CheckPass {
  private CheckPass() {}

  /** Runs the pass: per partition value, its merged metrics. */
  static Map<String, PartitionMetrics> run(CheckPlan plan, JavaRDD<InternalRow> rows) {
    Shape shape = plan.shape(Math.max(1, rows.getNumPartitions()));
    JavaRDD<Map<String, PartitionMetrics>> perPartition;
    if (shape.keySets == 0) {
      perPartition = rows.mapPartitions(it -> List.of(scan(shape, it).states()).iterator());
    } else {
      JavaPairRDD<Integer, Object> parts = rows.mapPartitionsToPair(it -> scan(shape, it).emit());
      perPartition =
          parts
              .partitionBy(new HashPartitioner(shape.buckets))
              .mapPartitions(it -> List.of(countKeys(shape, it)).iterator());
    }
    if (perPartition.getNumPartitions() == 0) {
      return new HashMap<>();
    }
    return perPartition.reduce(CheckPass::merge);
  }

  private static Map<String, PartitionMetrics> merge(
      Map<String, PartitionMetrics> a, Map<String, PartitionMetrics> b) {
    Map<String, PartitionMetrics> merged = new HashMap<>(a);
    b.forEach((key, state) -> merged.merge(key, state, PartitionMetrics::merge));
    return merged;
  }

  /**
   * How the projection carries the partition value: as text, or as a date or integer made text on
   * change.
   */
  enum PartitionKind {
    TEXT,
    DATE,
    INT,
    LONG;

    /** The value as Spark casts it to a string. */
    String text(long value) {
      return this == DATE ? LocalDate.ofEpochDay(value).toString() : Long.toString(value);
    }
  }

  /** Sizes of the state arrays, how the partition value is read, and the number of hash buckets. */
  record Shape(
      PartitionKind partitionKind,
      int numeric,
      int[] sketchSlots,
      int sketches,
      int flags,
      int keySets,
      int buckets)
      implements Serializable {
    PartitionMetrics empty() {
      return new PartitionMetrics(numeric, sketches, flags, keySets);
    }
  }

  /**
   * The key hashes of one partition value, key set and bucket: a sorted run (see {@link
   * KeyHashes}).
   */
  record HashChunk(String partition, int keySet, long[] hashes) implements Serializable {}

  private static TaskState scan(Shape shape, Iterator<InternalRow> rows) {
    TaskState task = new TaskState(shape);
    Accumulator current = null;
    long lastNumber = 0;
    UTF8String lastText = null;
    int flagBase = 1 + shape.numeric;
    int keyBase = flagBase + shape.flags;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      if (row.isNullAt(0)) {
        continue;
      }
      // Rows of one partition arrive together: the partition's text is made only when it changes.
      if (shape.partitionKind == PartitionKind.TEXT) {
        UTF8String text = row.getUTF8String(0);
        if (current == null || !text.equals(lastText)) {
          lastText = text.clone();
          current = task.byPartition.computeIfAbsent(text.toString(), k -> new Accumulator(shape));
        }
      } else {
        long number = shape.partitionKind == PartitionKind.LONG ? row.getLong(0) : row.getInt(0);
        if (current == null || number != lastNumber) {
          lastNumber = number;
          current =
              task.byPartition.computeIfAbsent(
                  shape.partitionKind.text(number), k -> new Accumulator(shape));
        }
      }
      PartitionMetrics m = current.metrics;
      m.rows++;
      for (int f = 0; f < shape.numeric; f++) {
        if (row.isNullAt(1 + f)) {
          m.nulls[f]++;
          continue;
        }
        double x = row.getDouble(1 + f);
        if (!Double.isFinite(x)) {
          m.nonFinite[f]++;
          continue;
        }
        long n = ++m.count[f];
        double delta = x - m.mean[f];
        m.mean[f] += delta / n;
        m.m2[f] += delta * (x - m.mean[f]);
        if (x < m.min[f]) {
          m.min[f] = x;
        }
        if (x > m.max[f]) {
          m.max[f] = x;
        }
        int slot = shape.sketchSlots[f];
        if (slot >= 0) {
          current.sketches[slot].update(x);
        }
      }
      for (int i = 0; i < shape.flags; i++) {
        if (row.getBoolean(flagBase + i)) {
          m.passes[i]++;
        }
      }
      for (int k = 0; k < shape.keySets; k++) {
        if (!row.isNullAt(keyBase + k)) {
          long hash = row.getLong(keyBase + k);
          m.keyRows[k]++;
          current.hashes[k][bucket(hash, shape.buckets)].add(hash);
        }
      }
    }
    return task;
  }

  private static int bucket(long hash, int buckets) {
    return (int) Long.remainderUnsigned(hash * 0x9E3779B97F4A7C15L, buckets);
  }

  /** Counts each key set's distinct and once-only hashes in one bucket, and merges the states. */
  private static Map<String, PartitionMetrics> countKeys(
      Shape shape, Iterator<Tuple2<Integer, Object>> parts) {
    Map<String, PartitionMetrics> states = new HashMap<>();
    Map<String, List<long[]>> chunks = new HashMap<>();
    while (parts.hasNext()) {
      Object part = parts.next()._2();
      if (part instanceof HashChunk chunk) {
        chunks
            .computeIfAbsent(chunk.partition() + "\u0000" + chunk.keySet(), k -> new ArrayList<>())
            .add(chunk.hashes());
      } else {
        @SuppressWarnings("unchecked")
        Map<String, PartitionMetrics> state = (Map<String, PartitionMetrics>) part;
        state.forEach((key, m) -> states.merge(key, m, PartitionMetrics::merge));
      }
    }
    chunks.forEach(
        (id, runs) -> {
          int split = id.lastIndexOf('\u0000');
          long[] counts = KeyHashes.count(runs);
          PartitionMetrics counted = shape.empty();
          int keySet = Integer.parseInt(id.substring(split + 1));
          counted.keyDistinct[keySet] = counts[0];
          counted.keySingletons[keySet] = counts[1];
          states.merge(id.substring(0, split), counted, PartitionMetrics::merge);
        });
    return states;
  }

  /** One task's accumulators, per partition value. */
  private static final class TaskState {
    final Shape shape;
    final Map<String, Accumulator> byPartition = new HashMap<>();

    TaskState(Shape shape) {
      this.shape = shape;
    }

    Map<String, PartitionMetrics> states() {
      Map<String, PartitionMetrics> out = new HashMap<>();
      byPartition.forEach((key, accumulator) -> out.put(key, accumulator.seal()));
      return out;
    }

    /** The states under bucket -1, and every non-empty hash buffer under its bucket. */
    Iterator<Tuple2<Integer, Object>> emit() {
      List<Tuple2<Integer, Object>> out = new ArrayList<>();
      out.add(new Tuple2<>(-1, states()));
      byPartition.forEach(
          (key, accumulator) -> {
            for (int k = 0; k < shape.keySets; k++) {
              for (int b = 0; b < shape.buckets; b++) {
                KeyHashes buffer = accumulator.hashes[k][b];
                if (!buffer.isEmpty()) {
                  out.add(new Tuple2<>(b, new HashChunk(key, k, buffer.sortedRun())));
                }
              }
            }
          });
      return out.iterator();
    }
  }

  /** One partition value's live state in a task. */
  private static final class Accumulator {
    final PartitionMetrics metrics;
    final KllDoublesSketch[] sketches;
    final KeyHashes[][] hashes;

    Accumulator(Shape shape) {
      metrics = shape.empty();
      sketches = new KllDoublesSketch[shape.sketches];
      for (int s = 0; s < sketches.length; s++) {
        sketches[s] = KllDoublesSketch.newHeapInstance();
      }
      hashes = new KeyHashes[shape.keySets][shape.buckets];
      for (KeyHashes[] row : hashes) {
        for (int b = 0; b < row.length; b++) {
          row[b] = KeyHashes.create();
        }
      }
    }

    PartitionMetrics seal() {
      for (int s = 0; s < sketches.length; s++) {
        metrics.sketches[s] = sketches[s].toByteArray();
      }
      return metrics;
    }
  }
}
