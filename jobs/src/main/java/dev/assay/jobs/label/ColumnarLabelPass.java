package dev.assay.jobs.label;

import dev.assay.jobs.scan.ColumnReader;
import dev.assay.jobs.scan.ColumnarScan;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The label pass over Parquet column batches: labels are indexed once per run of rows, then each
 * segment and feature column is counted column by column. Text columns are (label, segments...,
 * categorical features...), numeric columns the numeric features, both in {@link FeatureItems} order.
 */
final class ColumnarLabelPass implements FlatMapFunction<Iterator<ColumnarBatch>, Map<String, LabelState>> {
  private static final long serialVersionUID = 1L;

  private final int segmentColumns;
  private final FeatureItems[] features;
  private final int numericFeatures;
  private final ColumnReader partition;
  private final ColumnReader numbers;
  private final ColumnReader texts;

  ColumnarLabelPass(int segmentColumns, FeatureItems[] features, ColumnarScan scan) {
    this.segmentColumns = segmentColumns;
    this.features = features;
    this.numericFeatures = scan.numbers().size();
    this.partition = scan.partition();
    this.numbers = scan.numbers();
    this.texts = scan.texts();
  }

  @Override
  public Iterator<Map<String, LabelState>> call(Iterator<ColumnarBatch> batches) {
    LabelCounter counter = new LabelCounter(segmentColumns, features);
    int[] labels = new int[0];
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      if (labels.length < batch.numRows()) {
        labels = new int[batch.numRows()];
      }
      int[] labelOf = labels;
      ColumnarScan.forEachRun(partition, batch, (key, start, end) -> add(counter, counter.partition(key), batch,
          labelOf, start, end));
    }
    return List.of(counter.seal()).iterator();
  }

  private void add(LabelCounter counter, LabelCounter.Counts counts, ColumnarBatch batch, int[] labels, int start,
      int end) {
    ColumnVector label = texts.vector(batch, 0);
    for (int i = start; i < end; i++) {
      labels[i] = counter.label(label.isNullAt(i) ? null : texts.text(label, 0, i));
      counts.row(labels[i]);
    }
    for (int s = 0; s < segmentColumns; s++) {
      ColumnVector vector = texts.vector(batch, 1 + s);
      for (int i = start; i < end; i++) {
        if (labels[i] >= 0) {
          counts.segment(s, vector.isNullAt(i) ? null : texts.text(vector, 1 + s, i), labels[i]);
        }
      }
    }
    for (int f = 0; f < features.length; f++) {
      if (features[f].mode() == FeatureItems.Mode.SKIPPED) {
        continue;
      }
      boolean numeric = f < numericFeatures;
      int column = numeric ? f : 1 + segmentColumns + f - numericFeatures;
      ColumnVector vector = numeric ? numbers.vector(batch, f) : texts.vector(batch, column);
      for (int i = start; i < end; i++) {
        if (labels[i] < 0) {
          continue;
        }
        boolean isNull = vector.isNullAt(i);
        if (numeric) {
          counts.number(f, isNull, isNull ? 0 : numbers.number(vector, f, i), labels[i]);
        } else {
          counts.text(f, isNull ? null : texts.text(vector, column, i), labels[i]);
        }
      }
    }
  }
}
