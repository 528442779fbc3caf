package dev.assay.jobs.clients;

import dev.assay.common.config.ClientSettings;
import dev.assay.common.job.JobContext;
import dev.assay.common.stats.Robust;
import dev.assay.common.table.Columns;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * The one pass over the pending rounds' updates. The scan cuts every update into slices of {@link
 * #SLICE} coordinates and keeps, per client, exact sums (squares, sizes, bad values) and the sparse
 * projection. Slices of one (round, layer, chunk, slice) meet in one reducer, which takes their
 * coordinate-wise median and each client's dot product and sign agreement with it. Only per-(round,
 * client, layer) sums reach the driver, one round at a time: never the vectors.
 */
final class UpdatePass {
  /** Coordinates per slice: a reducer holds clients x SLICE floats at a time. */
  static final int SLICE = 4096;

  private UpdatePass() {}

  /** Per round, in partition order: the round median's and each client's sums. */
  record RoundSums(
      String round,
      Map<String, Partial> medianByLayer,
      Map<String, Map<String, Partial>> clients) {}

  /** Runs the pass; the iterator fetches one sorted result partition at a time. */
  static Iterator<RoundSums> run(JobContext context, List<String> rounds) {
    ClientSettings settings = context.dataset().clientSettings();
    Map<String, Integer> ordinals = new HashMap<>();
    for (int i = 0; i < rounds.size(); i++) {
      ordinals.put(rounds.get(i), i);
    }
    Dataset<Row> input = context.table().read(rounds).select(columns(context, settings));
    boolean isDouble =
        ((ArrayType) input.schema().apply("update").dataType())
            .elementType()
            .equals(DataTypes.DoubleType);
    JavaRDD<InternalRow> rows = input.queryExecution().toRdd().toJavaRDD();
    int reducers =
        Math.max(1, Integer.parseInt(context.spark().conf().get("spark.sql.shuffle.partitions")));
    SparseProjection projection = new SparseProjection(settings.sketchDim(), settings.sketchSeed());
    JavaPairRDD<Keys.Client, Partial> sums =
        rows.mapPartitionsToPair(new Scan(ordinals, projection, isDouble, settings.perLayer()))
            .repartitionAndSortWithinPartitions(new Keys.GroupPartitioner(reducers))
            .mapPartitionsToPair(new Medians(settings.perLayer()))
            .reduceByKey(Partial::merge)
            .sortByKey();
    return new RoundIterator(sums.toLocalIterator(), rounds);
  }

  private static Column[] columns(JobContext context, ClientSettings settings) {
    return new Column[] {
      context.table().partitionString().as("round"),
      Columns.named(settings.clientColumn()).cast(DataTypes.StringType).as("client"),
      settings.layerColumn().map(c -> Columns.named(c)).orElse(functions.lit("")).as("layer"),
      settings
          .chunkColumn()
          .map(c -> Columns.named(c).cast(DataTypes.LongType))
          .orElse(functions.lit(0L))
          .as("chunk"),
      Columns.named(settings.updateColumn()).as("update")
    };
  }

  /** The scan: slices go out as they are read; each client's totals at the end of the task. */
  static final class Scan
      implements PairFlatMapFunction<Iterator<InternalRow>, Keys.Slice, Object> {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> ordinals;
    private final SparseProjection projection;
    private final boolean isDouble;
    private final boolean perLayer;

    Scan(
        Map<String, Integer> ordinals,
        SparseProjection projection,
        boolean isDouble,
        boolean perLayer) {
      this.ordinals = ordinals;
      this.projection = projection;
      this.isDouble = isDouble;
      this.perLayer = perLayer;
    }

    @Override
    public Iterator<Tuple2<Keys.Slice, Object>> call(Iterator<InternalRow> rows) {
      Map<Keys.Slice, Partial> totals = new HashMap<>();
      ArrayDeque<Tuple2<Keys.Slice, Object>> ready = new ArrayDeque<>();
      return new Iterator<>() {
        private boolean flushed;

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && rows.hasNext()) {
            add(rows.next());
          }
          if (ready.isEmpty() && !flushed) {
            flushed = true;
            totals.forEach((key, partial) -> ready.add(new Tuple2<>(key, partial)));
            totals.clear();
          }
          return !ready.isEmpty();
        }

        @Override
        public Tuple2<Keys.Slice, Object> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }

        private void add(InternalRow row) {
          int round = ordinals.get(row.getUTF8String(0).toString());
          String client =
              row.isNullAt(1) ? RoundScorer.NULL_CLIENT : row.getUTF8String(1).toString();
          String layer = row.isNullAt(2) ? "" : row.getUTF8String(2).toString();
          long chunk = row.isNullAt(3) ? 0 : row.getLong(3);
          Keys.Slice totalsKey = new Keys.Slice(round, perLayer ? layer : "", -1, -1, client);
          Partial sums = totals.computeIfAbsent(totalsKey, k -> new Partial());
          if (row.isNullAt(4)) {
            sums.nullUpdates++;
            return;
          }
          ArrayData array = row.getArray(4);
          int n = array.numElements();
          float[] values = new float[n];
          for (int i = 0; i < n; i++) {
            double v =
                array.isNullAt(i) ? Double.NaN : isDouble ? array.getDouble(i) : array.getFloat(i);
            if (Double.isFinite(v)) {
              sums.sumSquares += v * v;
              values[i] = (float) v;
            } else {
              sums.nonFinite++;
            }
          }
          sums.elements += n;
          if (sums.sketch == null) {
            sums.sketch = new double[projection.dimension()];
          }
          projection.add(sums.sketch, projection.base(layer, chunk), 0, values, 0, n);
          for (int from = 0, slice = 0; from < n; from += SLICE, slice++) {
            float[] part = java.util.Arrays.copyOfRange(values, from, Math.min(n, from + SLICE));
            ready.add(new Tuple2<>(new Keys.Slice(round, layer, chunk, slice, client), part));
          }
        }
      };
    }
  }

  /**
   * The reducer: records arrive sorted by slice group, then client. Each group's coordinate-wise
   * median gives every client's dot product and sign agreement with it.
   */
  static final class Medians
      implements PairFlatMapFunction<Iterator<Tuple2<Keys.Slice, Object>>, Keys.Client, Partial> {
    private static final long serialVersionUID = 1L;
    private final boolean perLayer;

    Medians(boolean perLayer) {
      this.perLayer = perLayer;
    }

    @Override
    public Iterator<Tuple2<Keys.Client, Partial>> call(
        Iterator<Tuple2<Keys.Slice, Object>> records) {
      ArrayDeque<Tuple2<Keys.Client, Partial>> ready = new ArrayDeque<>();
      List<String> clients = new ArrayList<>();
      List<float[]> slices = new ArrayList<>();
      return new Iterator<>() {
        private Tuple2<Keys.Slice, Object> pending;

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && (pending != null || records.hasNext())) {
            Tuple2<Keys.Slice, Object> first = pending != null ? pending : records.next();
            pending = null;
            Keys.Slice key = first._1();
            if (key.isTotals()) {
              ready.add(
                  new Tuple2<>(
                      new Keys.Client(key.round(), key.client(), key.layer()),
                      (Partial) first._2()));
              continue;
            }
            clients.clear();
            slices.clear();
            clients.add(key.client());
            slices.add((float[]) first._2());
            while (records.hasNext()) {
              Tuple2<Keys.Slice, Object> next = records.next();
              if (!key.sameGroup(next._1())) {
                pending = next;
                break;
              }
              clients.add(next._1().client());
              slices.add((float[]) next._2());
            }
            group(key);
          }
          return !ready.isEmpty();
        }

        @Override
        public Tuple2<Keys.Client, Partial> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }

        private void group(Keys.Slice key) {
          String layer = perLayer ? key.layer() : "";
          int n = slices.size();
          int length = 0;
          for (float[] slice : slices) {
            length = Math.max(length, slice.length);
          }
          float[] median = new float[length];
          float[] column = new float[n];
          for (int j = 0; j < length; j++) {
            int present = 0;
            for (float[] slice : slices) {
              if (j < slice.length) {
                column[present++] = slice[j];
              }
            }
            median[j] = Robust.medianInPlace(column, present);
          }
          Partial medianSums = new Partial();
          for (float m : median) {
            medianSums.medianSquares += (double) m * m;
          }
          ready.add(new Tuple2<>(new Keys.Client(key.round(), null, layer), medianSums));
          for (int c = 0; c < n; c++) {
            float[] slice = slices.get(c);
            Partial sums = new Partial();
            if (c > 0 && java.util.Objects.equals(clients.get(c), clients.get(c - 1))) {
              sums.duplicates = 1;
            }
            for (int j = 0; j < slice.length; j++) {
              float m = median[j];
              sums.dot += (double) slice[j] * m;
              if (m != 0) {
                sums.signed++;
                if ((slice[j] > 0 && m > 0) || (slice[j] < 0 && m < 0)) {
                  sums.agree++;
                }
              }
            }
            ready.add(new Tuple2<>(new Keys.Client(key.round(), clients.get(c), layer), sums));
          }
        }
      };
    }
  }

  /** Regroups the sorted (round, client, layer) sums into one {@link RoundSums} per round. */
  private static final class RoundIterator implements Iterator<RoundSums> {
    private final Iterator<Tuple2<Keys.Client, Partial>> sums;
    private final List<String> rounds;
    private Tuple2<Keys.Client, Partial> pending;

    RoundIterator(Iterator<Tuple2<Keys.Client, Partial>> sums, List<String> rounds) {
      this.sums = sums;
      this.rounds = rounds;
    }

    @Override
    public boolean hasNext() {
      return pending != null || sums.hasNext();
    }

    @Override
    public RoundSums next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<Keys.Client, Partial> first = pending != null ? pending : sums.next();
      pending = null;
      int round = first._1().round();
      Map<String, Partial> medians = new HashMap<>();
      Map<String, Map<String, Partial>> clients = new java.util.LinkedHashMap<>();
      Tuple2<Keys.Client, Partial> item = first;
      while (true) {
        Keys.Client key = item._1();
        if (key.client() == null) {
          medians.put(key.layer(), item._2());
        } else {
          clients
              .computeIfAbsent(key.client(), c -> new java.util.TreeMap<>())
              .put(key.layer(), item._2());
        }
        if (!sums.hasNext()) {
          break;
        }
        item = sums.next();
        if (item._1().round() != round) {
          pending = item;
          break;
        }
      }
      return new RoundSums(rounds.get(round), medians, clients);
    }
  }
}
