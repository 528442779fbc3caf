package dev.assay.jobs.profile;

import dev.assay.common.scan.ColumnReader;
import dev.assay.common.scan.ColumnarScan;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The profile pass over Parquet's column batches, as the vectorized reader produces them: no row is
 * ever materialised. Each feature is read column by column, and the partition value, a constant
 * vector for a partitioned table, is looked up once per batch.
 */
final class ColumnarProfilePass
    implements FlatMapFunction<Iterator<ColumnarBatch>, Map<String, PartitionState>> {
  private static final long serialVersionUID = 1L;

  private final double[][] edges;
  private final ColumnReader partition;
  private final ColumnReader numeric;
  private final ColumnReader categorical;

  ColumnarProfilePass(double[][] edges, ColumnarScan scan) {
    this.edges = edges;
    this.partition = scan.partition();
    this.numeric = scan.numbers();
    this.categorical = scan.texts();
  }

  @Override
  public Iterator<Map<String, PartitionState>> call(Iterator<ColumnarBatch> batches) {
    Map<String, PartitionAccumulator> byPartition = new HashMap<>();
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      ColumnarScan.forEachRun(
          partition,
          batch,
          (key, start, end) ->
              add(
                  batch,
                  byPartition.computeIfAbsent(
                      key, k -> new PartitionAccumulator(edges, categorical.size())),
                  start,
                  end));
    }
    Map<String, PartitionState> out = new HashMap<>();
    byPartition.forEach((key, accumulator) -> out.put(key, accumulator.seal()));
    return List.of(out).iterator();
  }

  private void add(ColumnarBatch batch, PartitionAccumulator accumulator, int start, int end) {
    accumulator.addRows(end - start);
    for (int f = 0; f < numeric.size(); f++) {
      ColumnVector vector = numeric.vector(batch, f);
      for (int i = start; i < end; i++) {
        if (vector.isNullAt(i)) {
          accumulator.addNull(f);
        } else {
          accumulator.addNumeric(f, numeric.number(vector, f, i));
        }
      }
    }
    for (int c = 0; c < categorical.size(); c++) {
      ColumnVector vector = categorical.vector(batch, c);
      for (int i = start; i < end; i++) {
        if (vector.isNullAt(i)) {
          accumulator.addCategoricalNull(c);
        } else {
          accumulator.count(c, categorical.text(vector, c, i));
        }
      }
    }
  }
}
