package dev.assay.jobs.label;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The label pass over {@code InternalRow}s laid out as (partition string, label string, segment
 * strings..., feature values...), numeric features as doubles and categorical ones as strings: the
 * fallback for tables whose column batches cannot be read directly ({@link ColumnarLabelPass}).
 */
final class LabelPass implements FlatMapFunction<Iterator<InternalRow>, Map<String, LabelState>> {
  private static final long serialVersionUID = 1L;

  private final int segmentColumns;
  private final FeatureItems[] features;

  LabelPass(int segmentColumns, FeatureItems[] features) {
    this.segmentColumns = segmentColumns;
    this.features = features;
  }

  @Override
  public Iterator<Map<String, LabelState>> call(Iterator<InternalRow> rows) {
    LabelCounter counter = new LabelCounter(segmentColumns, features);
    UTF8String lastPartition = null;
    LabelCounter.Counts counts = null;
    int firstFeature = 2 + segmentColumns;
    Object[] keys = new Object[features.length];
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      UTF8String partition = row.getUTF8String(0);
      if (counts == null || !partition.equals(lastPartition)) {
        lastPartition = partition.clone();
        counts = counter.partition(partition.toString());
      }
      int label = counter.label(row.isNullAt(1) ? null : row.getUTF8String(1));
      counts.row(label);
      if (label < 0) {
        continue;
      }
      for (int s = 0; s < segmentColumns; s++) {
        counts.segment(s, row.isNullAt(2 + s) ? null : row.getUTF8String(2 + s), label);
      }
      for (int f = 0; f < features.length; f++) {
        if (features[f].mode() == FeatureItems.Mode.PAIR) {
          counts.pair(f, keys[features[f].firstIndex()], keys[features[f].secondIndex()], label);
          continue;
        }
        int ordinal = firstFeature + f;
        boolean isNull = row.isNullAt(ordinal);
        keys[f] =
            features[f].numeric()
                ? counts.number(f, isNull, isNull ? 0 : row.getDouble(ordinal), label)
                : counts.text(f, isNull ? null : row.getUTF8String(ordinal), label);
      }
    }
    return List.of(counter.seal()).iterator();
  }
}
