package dev.assay.jobs.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.AssayException;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.FeatureEdgesRecord;
import dev.assay.common.stats.QuantileEdges;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Frozen histogram edges per numeric feature. A feature's edges are the baseline's quantiles, fixed
 * once so every partition's histogram is comparable. A feature seen for the first time takes them
 * from the earliest partition being profiled (one extra read of that partition, once in the
 * feature's life); they are stored in {@code integrity.feature_edges}.
 */
final class FeatureEdges {
  private static final int ACCURACY = 10_000;

  private FeatureEdges() {}

  static double[][] resolve(JobContext context, List<String> features) {
    String dataset = context.dataset().name();
    Map<String, double[]> frozen = new HashMap<>();
    for (FeatureEdgesRecord stored :
        IntegrityTables.FEATURE_EDGES.collect(
            context
                .store()
                .read(IntegrityTables.FEATURE_EDGES)
                .where(col("dataset").equalTo(dataset)))) {
      frozen.put(
          stored.feature(), stored.edges().stream().mapToDouble(Double::doubleValue).toArray());
    }
    List<String> missing = features.stream().filter(f -> !frozen.containsKey(f)).toList();
    if (!missing.isEmpty()) {
      frozen.putAll(bootstrap(context, missing));
    }
    double[][] edges = new double[features.size()][];
    for (int i = 0; i < features.size(); i++) {
      edges[i] = frozen.get(features.get(i));
    }
    return edges;
  }

  private static Map<String, double[]> bootstrap(JobContext context, List<String> features) {
    String source = context.partitions().get(0);
    int bins = context.dataset().profile().bins();
    Column probabilities =
        functions.array(
            java.util.Arrays.stream(QuantileEdges.probabilities(bins))
                .mapToObj(p -> lit(p))
                .toArray(Column[]::new));
    List<Column> quantiles = new ArrayList<>();
    for (String feature : features) {
      Column value = Columns.named(feature).cast(DataTypes.DoubleType);
      Column finite =
          when(
              value
                  .isNotNull()
                  .and(functions.not(functions.isnan(value)))
                  .and(functions.abs(value).notEqual(lit(Double.POSITIVE_INFINITY))),
              value);
      quantiles.add(percentile_approx(finite, probabilities, lit(ACCURACY)));
    }
    Row row =
        context
            .table()
            .read(List.of(source))
            .agg(quantiles.get(0), quantiles.subList(1, quantiles.size()).toArray(Column[]::new))
            .head();
    Map<String, double[]> edges = new LinkedHashMap<>();
    List<FeatureEdgesRecord> records = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      String feature = features.get(i);
      double[] cuts =
          row.isNullAt(i)
              ? new double[0]
              : row.<Double>getList(i).stream().mapToDouble(Double::doubleValue).toArray();
      double[] featureEdges = QuantileEdges.fromQuantiles(cuts);
      if (featureEdges.length == 0) {
        throw AssayException.invalidAt(
            context.dataset().keyPath() + ".features.numeric",
            "feature '"
                + feature
                + "' has no finite values in partition "
                + context.dataset().partitionColumn()
                + "="
                + source
                + " (all null, NaN or Infinity),"
                + " so no histogram edges can be fixed. Fix the upstream data or remove the feature.");
      }
      edges.put(feature, featureEdges);
      records.add(
          new FeatureEdgesRecord(
              context.dataset().name(),
              feature,
              boxed(featureEdges),
              source,
              context.run().runId()));
    }
    context
        .store()
        .replace(
            IntegrityTables.FEATURE_EDGES,
            context.dataset().name(),
            "feature",
            features,
            IntegrityTables.FEATURE_EDGES.frame(context.spark(), records),
            context.run());
    return edges;
  }

  private static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
