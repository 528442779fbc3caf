package dev.assay.common.profile;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.records.Bin;
import dev.assay.common.records.CategoryCount;
import dev.assay.common.records.ExactCount;
import dev.assay.common.records.FeatureProfileRecord;
import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.stats.Moments;
import dev.assay.common.stats.ValueCounts;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts profiles to and from records of {@code integrity.feature_profiles}. */
public final class ProfileRows {
  public static final String NUMERIC = "numeric";
  public static final String CATEGORICAL = "categorical";

  private ProfileRows() {}

  public static FeatureProfileRecord numericRecord(
      String dataset, String partition, String runId, NumericProfile p, byte[] hll) {
    Moments m = p.moments();
    double[] edges = p.histogram().edges();
    long[] counts = p.histogram().counts();
    List<Bin> bins = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? Double.NEGATIVE_INFINITY : edges[i - 1];
      double upper = i == counts.length - 1 ? Double.POSITIVE_INFINITY : edges[i];
      bins.add(new Bin(lower, upper, counts[i]));
    }
    return new FeatureProfileRecord(
        dataset,
        partition,
        runId,
        p.feature(),
        NUMERIC,
        p.rows(),
        p.nulls(),
        p.nonFinite(),
        p.distinctEstimate(),
        nullIfNaN(m.min()),
        nullIfNaN(m.max()),
        nullIfNaN(m.mean()),
        nullIfNaN(m.stddev()),
        m.sum(),
        m.sumSquares(),
        bins,
        null,
        null,
        p.kllSketch(),
        hll,
        exactValues(p.exactValues()));
  }

  private static List<ExactCount> exactValues(ValueCounts counts) {
    if (counts == null) {
      return null;
    }
    List<ExactCount> entries = new ArrayList<>(counts.size());
    for (int i = 0; i < counts.size(); i++) {
      entries.add(new ExactCount(counts.value(i), counts.count(i)));
    }
    return entries;
  }

  public static FeatureProfileRecord categoricalRecord(
      String dataset, String partition, String runId, CategoricalProfile p, byte[] hll) {
    List<CategoryCount> categories = new ArrayList<>(p.categories().size());
    for (Map.Entry<String, Long> entry : p.categories().entrySet()) {
      categories.add(new CategoryCount(entry.getKey(), entry.getValue()));
    }
    return new FeatureProfileRecord(
        dataset,
        partition,
        runId,
        p.feature(),
        CATEGORICAL,
        p.rows(),
        p.nulls(),
        0L,
        p.distinctEstimate(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        categories,
        p.otherCount(),
        null,
        hll,
        null);
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /**
   * Stored profiles of {@code dataset} for the given partitions, keyed by partition then feature. A
   * table written before {@code exact_values} existed reads as if every row had it null.
   */
  public static Map<String, Map<String, Object>> read(
      IntegrityStore store, String dataset, Collection<String> partitions) {
    Map<String, Map<String, Object>> byPartition = new HashMap<>();
    if (partitions.isEmpty()) {
      return byPartition;
    }
    for (FeatureProfileRecord stored :
        IntegrityTables.FEATURE_PROFILES.collect(
            store
                .read(IntegrityTables.FEATURE_PROFILES)
                .where(
                    col("dataset")
                        .equalTo(dataset)
                        .and(col("partition").isin(partitions.toArray()))))) {
      byPartition
          .computeIfAbsent(stored.partition(), k -> new HashMap<>())
          .put(stored.feature(), profile(stored));
    }
    return byPartition;
  }

  /**
   * The profile a stored record holds: a {@link NumericProfile} or a {@link CategoricalProfile}.
   */
  public static Object profile(FeatureProfileRecord stored) {
    return stored.kind().equals(NUMERIC) ? numeric(stored) : categorical(stored);
  }

  private static NumericProfile numeric(FeatureProfileRecord stored) {
    List<Bin> bins = stored.bins();
    double[] edges = new double[bins.size() - 1];
    long[] counts = new long[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      counts[i] = bins.get(i).count();
      if (i > 0) {
        edges[i - 1] = bins.get(i).lower();
      }
    }
    long finite = stored.rows() - stored.nulls() - stored.nonFinite();
    Moments moments =
        finite == 0
            ? Moments.empty()
            : Moments.of(finite, stored.sum(), stored.sumSquares(), stored.min(), stored.max());
    return new NumericProfile(
        stored.feature(),
        stored.rows(),
        stored.nulls(),
        stored.nonFinite(),
        stored.distinctEstimate(),
        moments,
        BinnedHistogram.of(edges, counts),
        stored.kllSketch(),
        stored.exactValues() == null ? null : exactValues(stored.exactValues()));
  }

  private static ValueCounts exactValues(List<ExactCount> entries) {
    double[] values = new double[entries.size()];
    long[] counts = new long[entries.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = entries.get(i).value();
      counts[i] = entries.get(i).count();
    }
    return ValueCounts.of(values, counts);
  }

  private static CategoricalProfile categorical(FeatureProfileRecord stored) {
    Map<String, Long> categories = new LinkedHashMap<>();
    for (CategoryCount entry : stored.categories()) {
      categories.put(entry.value(), entry.count());
    }
    return new CategoricalProfile(
        stored.feature(),
        stored.rows(),
        stored.nulls(),
        stored.distinctEstimate(),
        categories,
        stored.otherCount());
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
      } else if (merged instanceof CategoricalProfile c
          && profile instanceof CategoricalProfile o) {
        merged = c.merge(o);
      }
    }
    return merged;
  }
}
