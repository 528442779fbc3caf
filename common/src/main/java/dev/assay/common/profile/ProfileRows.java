package dev.assay.common.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.stats.Moments;
import dev.assay.common.stats.ValueCounts;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Converts profiles to and from rows of {@code integrity.feature_profiles}. */
public final class ProfileRows {
  public static final String NUMERIC = "numeric";
  public static final String CATEGORICAL = "categorical";

  private ProfileRows() {}

  public static Row numericRow(String dataset, String partition, String runId, NumericProfile p, byte[] hll) {
    Moments m = p.moments();
    double[] edges = p.histogram().edges();
    long[] counts = p.histogram().counts();
    Row[] bins = new Row[counts.length];
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? Double.NEGATIVE_INFINITY : edges[i - 1];
      double upper = i == counts.length - 1 ? Double.POSITIVE_INFINITY : edges[i];
      bins[i] = RowFactory.create(lower, upper, counts[i]);
    }
    return RowFactory.create(
        dataset, partition, runId, p.feature(), NUMERIC, p.rows(), p.nulls(), p.nonFinite(),
        p.distinctEstimate(), nullIfNaN(m.min()), nullIfNaN(m.max()), nullIfNaN(m.mean()),
        nullIfNaN(m.stddev()), m.sum(), m.sumSquares(), bins, null, null, p.kllSketch(), hll,
        exactValues(p.exactValues()));
  }

  private static Row[] exactValues(ValueCounts counts) {
    if (counts == null) {
      return null;
    }
    Row[] entries = new Row[counts.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = RowFactory.create(counts.value(i), counts.count(i));
    }
    return entries;
  }

  public static Row categoricalRow(
      String dataset, String partition, String runId, CategoricalProfile p, byte[] hll) {
    Row[] categories = new Row[p.categories().size()];
    int i = 0;
    for (Map.Entry<String, Long> entry : p.categories().entrySet()) {
      categories[i++] = RowFactory.create(entry.getKey(), entry.getValue());
    }
    return RowFactory.create(
        dataset, partition, runId, p.feature(), CATEGORICAL, p.rows(), p.nulls(), 0L,
        p.distinctEstimate(), null, null, null, null, null, null, null, categories,
        p.otherCount(), null, hll, null);
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /**
   * Stored profiles of {@code dataset} for the given partitions, keyed by partition then feature.
   * A table written before {@code exact_values} existed reads as if every row had it null.
   */
  public static Map<String, Map<String, Object>> read(
      IntegrityStore store, String dataset, Collection<String> partitions) {
    Map<String, Map<String, Object>> byPartition = new HashMap<>();
    if (partitions.isEmpty()) {
      return byPartition;
    }
    Dataset<Row> table = store.read(IntegrityTables.FEATURE_PROFILES);
    Column exact = Arrays.asList(table.columns()).contains("exact_values")
        ? col("exact_values")
        : lit(null).cast(IntegrityTables.EXACT_VALUES).as("exact_values");
    List<Row> rows = table
        .where(col("dataset").equalTo(dataset).and(col("partition").isin(partitions.toArray())))
        .select(col("partition"), col("feature"), col("kind"), col("rows"), col("nulls"), col("non_finite"),
            col("distinct_estimate"), col("min"), col("max"), col("sum"), col("sum_squares"), col("bins"),
            col("categories"), col("other_count"), col("kll_sketch"), exact)
        .collectAsList();
    for (Row row : rows) {
      Object profile = row.getString(2).equals(NUMERIC) ? numeric(row) : categorical(row);
      byPartition.computeIfAbsent(row.getString(0), k -> new HashMap<>()).put(row.getString(1), profile);
    }
    return byPartition;
  }

  private static NumericProfile numeric(Row row) {
    List<Row> bins = row.getList(11);
    double[] edges = new double[bins.size() - 1];
    long[] counts = new long[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      counts[i] = bins.get(i).getLong(2);
      if (i > 0) {
        edges[i - 1] = bins.get(i).getDouble(0);
      }
    }
    long finite = row.getLong(3) - row.getLong(4) - row.getLong(5);
    Moments moments = finite == 0
        ? Moments.empty()
        : Moments.of(finite, row.getDouble(9), row.getDouble(10), row.getDouble(7), row.getDouble(8));
    return new NumericProfile(
        row.getString(1), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6), moments,
        BinnedHistogram.of(edges, counts), row.isNullAt(14) ? null : (byte[]) row.get(14),
        row.isNullAt(15) ? null : exactValues(row.<Row>getList(15)));
  }

  private static ValueCounts exactValues(List<Row> entries) {
    double[] values = new double[entries.size()];
    long[] counts = new long[entries.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = entries.get(i).getDouble(0);
      counts[i] = entries.get(i).getLong(1);
    }
    return ValueCounts.of(values, counts);
  }

  private static CategoricalProfile categorical(Row row) {
    Map<String, Long> categories = new LinkedHashMap<>();
    for (Row entry : row.<Row>getList(12)) {
      categories.put(entry.getString(0), entry.getLong(1));
    }
    return new CategoricalProfile(
        row.getString(1), row.getLong(3), row.getLong(4), row.getLong(6), categories, row.getLong(13));
  }

  /** Merges the profiles of one feature over several partitions; null when there are none. */
  public static Object mergeAll(List<Object> profiles) {
    Object merged = null;
    for (Object profile : profiles) {
      if (merged == null) {
        merged = profile;
      } else if (merged instanceof NumericProfile n && profile instanceof NumericProfile o) {
        if (java.util.Arrays.equals(n.histogram().edges(), o.histogram().edges())) {
          merged = n.merge(o);
        }
      } else if (merged instanceof CategoricalProfile c && profile instanceof CategoricalProfile o) {
        merged = c.merge(o);
      }
    }
    return merged;
  }
}
