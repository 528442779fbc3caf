package dev.assay.jobs.profile;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The single pass of the profile job, run once per Spark task over {@code InternalRow}s laid out as
 * (partition string, numeric doubles..., categorical strings...). It keeps primitive arrays per
 * partition value and emits one small {@link PartitionState} map per task. No Row conversion.
 */
final class ProfilePass
    implements FlatMapFunction<Iterator<InternalRow>, Map<String, PartitionState>> {
  private static final long serialVersionUID = 1L;

  private final double[][] edges;
  private final int categorical;

  ProfilePass(double[][] edges, int categorical) {
    this.edges = edges;
    this.categorical = categorical;
  }

  @Override
  public Iterator<Map<String, PartitionState>> call(Iterator<InternalRow> rows) {
    Map<UTF8String, PartitionAccumulator> byPartition = new HashMap<>();
    UTF8String lastKey = null;
    PartitionAccumulator current = null;
    int numeric = edges.length;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      UTF8String key = row.getUTF8String(0);
      if (current == null || !key.equals(lastKey)) {
        lastKey = key.clone();
        current =
            byPartition.computeIfAbsent(lastKey, k -> new PartitionAccumulator(edges, categorical));
      }
      current.addRows(1);
      for (int f = 0; f < numeric; f++) {
        int ordinal = f + 1;
        if (row.isNullAt(ordinal)) {
          current.addNull(f);
          continue;
        }
        current.addNumeric(f, row.getDouble(ordinal));
      }
      for (int c = 0; c < categorical; c++) {
        int ordinal = 1 + numeric + c;
        if (row.isNullAt(ordinal)) {
          current.addCategoricalNull(c);
          continue;
        }
        current.count(c, row.getUTF8String(ordinal));
      }
    }
    Map<String, PartitionState> out = new HashMap<>();
    byPartition.forEach((key, accumulator) -> out.put(key.toString(), accumulator.seal()));
    return List.of(out).iterator();
  }
}
