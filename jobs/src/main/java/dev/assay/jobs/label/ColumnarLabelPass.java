package dev.assay.jobs.label;

import dev.assay.common.scan.ColumnReader;
import dev.assay.common.scan.ColumnarScan;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The label pass over Parquet column batches: labels are indexed once per run of rows, then each
 * segment and feature column is counted column by column. Text columns are (label, segments...,
 * categorical features...), numeric columns the numeric features, both in {@link FeatureItems}
 * order.
 */
final class ColumnarLabelPass
    implements FlatMapFunction<Iterator<ColumnarBatch>, Map<String, LabelState>> {
  private static final long serialVersionUID = 1L;

  private final int segmentColumns;
  private final FeatureItems[] features;
  private final int numericFeatures;
  private final ColumnReader partition;
  private final ColumnReader numbers;
  private final ColumnReader texts;

  /** Features that are part of a pair; their row keys are kept per batch to count combinations. */
  private final boolean[] paired;

  private transient Object[][] keys;

  ColumnarLabelPass(int segmentColumns, FeatureItems[] features, ColumnarScan scan) {
    this.segmentColumns = segmentColumns;
    this.features = features;
    this.paired = pairedFeatures(features);
    this.numericFeatures = scan.numbers().size();
    this.partition = scan.partition();
    this.numbers = scan.numbers();
    this.texts = scan.texts();
  }

  @Override
  public Iterator<Map<String, LabelState>> call(Iterator<ColumnarBatch> batches) {
    LabelCounter counter = new LabelCounter(segmentColumns, features);
    keys = new Object[features.length][];
    int[] labels = new int[0];
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      if (labels.length < batch.numRows()) {
        labels = new int[batch.numRows()];
      }
      int[] labelOf = labels;
      ColumnarScan.forEachRun(
          partition,
          batch,
          (key, start, end) -> add(counter, counter.partition(key), batch, labelOf, start, end));
    }
    return List.of(counter.seal()).iterator();
  }

  /** Which features take part in a pair feature. */
  static boolean[] pairedFeatures(FeatureItems[] features) {
    boolean[] paired = new boolean[features.length];
    for (FeatureItems item : features) {
      if (item.mode() == FeatureItems.Mode.PAIR) {
        paired[item.firstIndex()] = true;
        paired[item.secondIndex()] = true;
      }
    }
    return paired;
  }

  private void add(
      LabelCounter counter,
      LabelCounter.Counts counts,
      ColumnarBatch batch,
      int[] labels,
      int start,
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
      if (features[f].mode() == FeatureItems.Mode.SKIPPED
          || features[f].mode() == FeatureItems.Mode.PAIR) {
        continue;
      }
      boolean numeric = f < numericFeatures;
      int column = numeric ? f : 1 + segmentColumns + f - numericFeatures;
      ColumnVector vector = numeric ? numbers.vector(batch, f) : texts.vector(batch, column);
      Object[] keys = paired[f] ? rowKeys(f, end) : null;
      for (int i = start; i < end; i++) {
        if (labels[i] < 0) {
          continue;
        }
        boolean isNull = vector.isNullAt(i);
        Object key =
            numeric
                ? counts.number(f, isNull, isNull ? 0 : numbers.number(vector, f, i), labels[i])
                : counts.text(f, isNull ? null : texts.text(vector, column, i), labels[i]);
        if (keys != null) {
          keys[i] = key;
        }
      }
    }
    for (int f = 0; f < features.length; f++) {
      if (features[f].mode() == FeatureItems.Mode.PAIR) {
        Object[] a = keys[features[f].firstIndex()];
        Object[] b = keys[features[f].secondIndex()];
        for (int i = start; i < end; i++) {
          if (labels[i] >= 0) {
            counts.pair(f, a[i], b[i], labels[i]);
          }
        }
      }
    }
  }

  /** The row keys of a paired feature, for rows below {@code rows} of the current batch. */
  private Object[] rowKeys(int f, int rows) {
    if (keys[f] == null || keys[f].length < rows) {
      keys[f] = new Object[Math.max(rows, 4096)];
    }
    return keys[f];
  }
}
