package dev.assay.jobs.profile;

import dev.assay.common.AssayException;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.profile.NumericProfile;
import dev.assay.common.profile.ProfileRows;
import dev.assay.common.records.FeatureProfileRecord;
import dev.assay.common.scan.ColumnarScan;
import dev.assay.common.stats.BinnedHistogram;
import dev.assay.common.stats.Moments;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-partition feature profiles. All features of all pending partitions come from one pass over
 * the data ({@link ProfilePass}); the results replace the partitions' rows in {@code
 * integrity.feature_profiles}.
 */
public final class ProfileJob implements Job {
  private static final Logger LOG = LogManager.getLogger(ProfileJob.class);

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.isTable();
  }

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public String describe(JobContext context) {
    int features =
        context.table().numericFeatures().size() + context.table().categoricalFeatures().size();
    return "Profiling "
        + features
        + " features of "
        + context.dataset().table()
        + " ("
        + span(context.dataset().partitionColumn(), context.partitions())
        + ")";
  }

  static String span(String column, List<String> partitions) {
    return partitions.size() == 1
        ? column + "=" + partitions.get(0)
        : column
            + "="
            + partitions.get(0)
            + ".."
            + partitions.get(partitions.size() - 1)
            + ", "
            + partitions.size()
            + " partitions";
  }

  @Override
  public JobOutcome run(JobContext context) {
    List<String> numeric = context.table().numericFeatures();
    List<String> categorical = context.table().categoricalFeatures();
    double[][] edges = FeatureEdges.resolve(context, numeric);
    long scanStart = System.nanoTime();
    Map<String, PartitionState> states = scan(context, numeric, categorical, edges);
    LOG.info(
        "Scanned {} partition(s) in {} ms",
        context.partitions().size(),
        (System.nanoTime() - scanStart) / 1_000_000);
    List<FeatureProfileRecord> rows = new ArrayList<>();
    long rowsRead = 0;
    String dataset = context.dataset().name();
    for (String partition : context.partitions()) {
      PartitionState state = states.get(partition);
      if (state == null) {
        throw context.table().emptyPartition("Cannot profile partition", partition);
      }
      rowsRead += state.rows;
      for (int f = 0; f < numeric.size(); f++) {
        NumericProfile profile = numericProfile(numeric.get(f), state, f, edges[f]);
        requireValues(
            context,
            "numeric",
            f,
            numeric.get(f),
            partition,
            state.rows - state.nulls[f] - state.nonFinite[f]);
        rows.add(
            ProfileRows.numericRecord(
                dataset, partition, context.run().runId(), profile, state.numericDistinct[f]));
      }
      for (int c = 0; c < categorical.size(); c++) {
        CategoricalProfile profile =
            categoricalProfile(categorical.get(c), state, c, context.dataset().profile().topK());
        requireValues(
            context,
            "categorical",
            c,
            categorical.get(c),
            partition,
            state.rows - state.categoricalNulls[c]);
        rows.add(
            ProfileRows.categoricalRecord(
                dataset, partition, context.run().runId(), profile, state.categoricalDistinct[c]));
      }
    }
    context
        .store()
        .replacePartitions(
            IntegrityTables.FEATURE_PROFILES, dataset, context.partitions(), rows, context.run());
    return new JobOutcome(
        rowsRead,
        "profiled "
            + (numeric.size() + categorical.size())
            + " features of "
            + context.partitions().size()
            + " partition(s), "
            + rowsRead
            + " rows");
  }

  private static void requireValues(
      JobContext context, String kind, int index, String feature, String partition, long values) {
    if (values > 0) {
      return;
    }
    String keyPath =
        context.dataset().keyPath()
            + ".features."
            + kind
            + (context.dataset().numeric().isAuto() && kind.equals("numeric")
                    || context.dataset().categorical().isAuto() && kind.equals("categorical")
                ? ""
                : "[" + index + "]");
    throw AssayException.invalidAt(
        keyPath,
        "feature '"
            + feature
            + "' has no "
            + (kind.equals("numeric") ? "finite " : "non-null ")
            + "values in partition "
            + context.dataset().partitionColumn()
            + "="
            + partition
            + " (all null"
            + (kind.equals("numeric") ? ", NaN or Infinity" : "")
            + "). Nothing was written."
            + " Fix the upstream data, or remove the feature from the config.");
  }

  /**
   * The one pass: every feature of every partition, merged per partition on the driver. It reads
   * Parquet's column batches directly when the plan is a plain columnar scan (a Delta table
   * partitioned by the partition column, without deletion vectors), and rows otherwise.
   */
  private static Map<String, PartitionState> scan(
      JobContext context, List<String> numeric, List<String> categorical, double[][] edges) {
    Optional<JavaRDD<Map<String, PartitionState>>> columnar =
        ColumnarScan.find(context, numeric, categorical)
            .map(scan -> scan.batches().mapPartitions(new ColumnarProfilePass(edges, scan)));
    LOG.info("Profile pass reads {}", columnar.isPresent() ? "Parquet column batches" : "rows");
    JavaRDD<Map<String, PartitionState>> perTask =
        columnar.orElseGet(() -> rowPass(context, numeric, categorical, edges));
    if (perTask.getNumPartitions() == 0) {
      return new HashMap<>();
    }
    return perTask.reduce(ProfileJob::merge);
  }

  private static JavaRDD<Map<String, PartitionState>> rowPass(
      JobContext context, List<String> numeric, List<String> categorical, double[][] edges) {
    List<Column> columns = new ArrayList<>();
    columns.add(context.table().partitionString());
    numeric.forEach(f -> columns.add(Columns.named(f).cast(DataTypes.DoubleType)));
    categorical.forEach(f -> columns.add(Columns.named(f).cast(DataTypes.StringType)));
    JavaRDD<InternalRow> rows =
        context
            .table()
            .read(context.partitions())
            .select(columns.toArray(Column[]::new))
            .queryExecution()
            .toRdd()
            .toJavaRDD();
    return rows.mapPartitions(new ProfilePass(edges, categorical.size()));
  }

  private static Map<String, PartitionState> merge(
      Map<String, PartitionState> a, Map<String, PartitionState> b) {
    Map<String, PartitionState> merged = new HashMap<>(a);
    b.forEach((key, state) -> merged.merge(key, state, PartitionState::merge));
    return merged;
  }

  private static NumericProfile numericProfile(
      String feature, PartitionState s, int f, double[] edges) {
    Moments moments =
        s.finite[f] == 0
            ? Moments.empty()
            : Moments.of(s.finite[f], s.sum[f], s.sumSquares[f], s.min[f], s.max[f]);
    return new NumericProfile(
        feature,
        s.rows,
        s.nulls[f],
        s.nonFinite[f],
        PartitionState.distinct(s.numericDistinct[f]),
        moments,
        BinnedHistogram.of(edges, s.bins[f]),
        s.kll[f],
        s.exactValues[f]);
  }

  private static CategoricalProfile categoricalProfile(
      String feature, PartitionState s, int c, int topK) {
    ItemsSketch<String> sketch = PartitionState.items(s.items[c]);
    Map<String, Long> top = new LinkedHashMap<>();
    long kept = 0;
    List<ItemsSketch.Row<String>> items =
        new ArrayList<>(List.of(sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)));
    items.sort(
        Comparator.comparingLong((ItemsSketch.Row<String> r) -> -r.getEstimate())
            .thenComparing(ItemsSketch.Row::getItem));
    for (ItemsSketch.Row<String> item : items.subList(0, Math.min(topK, items.size()))) {
      top.put(item.getItem(), item.getEstimate());
      kept += item.getEstimate();
    }
    long nonNull = s.rows - s.categoricalNulls[c];
    return new CategoricalProfile(
        feature,
        s.rows,
        s.categoricalNulls[c],
        PartitionState.distinct(s.categoricalDistinct[c]),
        top,
        Math.max(0, nonNull - kept));
  }
}
