package dev.assay.jobs.label;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import dev.assay.common.AssayException;
import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.config.LabelSettings;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.AnnotatorAgreementRecord;
import dev.assay.common.stats.Agreement;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import io.delta.tables.DeltaTable;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Annotator agreement per partition, from a table of judgements (item, annotator, label): Fleiss'
 * kappa over all items, and each annotator's Cohen's kappa against the leave-one-out majority of
 * the item's other annotators, with the confusion table against that consensus. Judgements are
 * grouped by item on the executors; only per-annotator tables reach the driver.
 */
final class Annotators {
  private final JobContext context;
  private final BaselinePicker picker;
  private final Optional<LabelSettings.Annotations> config;
  private final Map<String, PartitionAgreement> agreements;

  /** Per partition, annotator → kappa: stored, plus those judged in this run. */
  private final Map<String, Map<String, Double>> kappas = new HashMap<>();

  /** What a partition's judgements add up to; mergeable across tasks. */
  static final class PartitionAgreement implements Serializable {
    private static final long serialVersionUID = 1L;
    final Agreement.FleissState fleiss = new Agreement.FleissState();

    /** annotator → own label → consensus label → items. */
    final Map<String, Map<String, Map<String, Long>>> confusion = new HashMap<>();

    final Map<String, Long> judgements = new HashMap<>();
    long nullLabels;

    PartitionAgreement merge(PartitionAgreement other) {
      fleiss.merge(other.fleiss);
      other.confusion.forEach(
          (annotator, table) ->
              table.forEach(
                  (label, row) ->
                      row.forEach(
                          (consensus, n) ->
                              confusion
                                  .computeIfAbsent(annotator, k -> new HashMap<>())
                                  .computeIfAbsent(label, k -> new HashMap<>())
                                  .merge(consensus, n, Long::sum))));
      other.judgements.forEach((annotator, n) -> judgements.merge(annotator, n, Long::sum));
      nullLabels += other.nullLabels;
      return this;
    }
  }

  Annotators(JobContext context, BaselinePicker picker) {
    this.context = context;
    this.picker = picker;
    this.config = context.dataset().labels().annotations();
    this.agreements = config.isPresent() ? scan(config.get()) : Map.of();
    if (config.isPresent()) {
      for (AnnotatorAgreementRecord row :
          IntegrityTables.ANNOTATOR_AGREEMENT.collect(
              context
                  .store()
                  .read(IntegrityTables.ANNOTATOR_AGREEMENT)
                  .where(
                      col("dataset")
                          .equalTo(context.dataset().name())
                          .and(col("annotator").isNotNull())
                          .and(col("kappa").isNotNull()))
                  .select("partition", "annotator", "kappa"))) {
        kappas
            .computeIfAbsent(row.partition(), k -> new HashMap<>())
            .put(row.annotator(), row.kappa());
      }
    }
  }

  private Map<String, PartitionAgreement> scan(LabelSettings.Annotations annotations) {
    String at = context.dataset().keyPath() + ".labels.annotations";
    Dataset<Row> table = open(annotations.table(), at + ".table");
    List<String> columns = List.of(table.columns());
    String partitionColumn = context.dataset().partitionColumn();
    String[][] required = {
      {"partition_column", partitionColumn},
      {"item_column", annotations.itemColumn()},
      {"annotator_column", annotations.annotatorColumn()},
      {"label_column", annotations.labelColumn()}
    };
    for (String[] column : required) {
      if (!columns.contains(column[1])) {
        throw AssayException.invalidAt(
            at + (column[0].equals("partition_column") ? ".table" : "." + column[0]),
            "column '"
                + column[1]
                + "' not found in annotations table "
                + annotations.table()
                + "; columns are: "
                + String.join(", ", columns)
                + (column[0].equals("partition_column")
                    ? ". The annotations table needs the dataset's partition column."
                    : ""));
      }
    }
    JavaRDD<Map<String, PartitionAgreement>> perTask =
        table
            .where(
                Columns.named(partitionColumn)
                    .cast(DataTypes.StringType)
                    .isin(context.partitions().toArray()))
            .where(
                Columns.named(annotations.itemColumn())
                    .isNotNull()
                    .and(Columns.named(annotations.annotatorColumn()).isNotNull()))
            .groupBy(
                Columns.named(partitionColumn).cast(DataTypes.StringType).as("p"),
                Columns.named(annotations.itemColumn()).cast(DataTypes.StringType).as("item"))
            .agg(
                collect_list(
                        struct(
                            Columns.named(annotations.annotatorColumn()).cast(DataTypes.StringType),
                            Columns.named(annotations.labelColumn()).cast(DataTypes.StringType)))
                    .as("judgements"))
            .toJavaRDD()
            .mapPartitions(Annotators::agree);
    if (perTask.getNumPartitions() == 0) {
      return Map.of();
    }
    return perTask.reduce(
        (a, b) -> {
          Map<String, PartitionAgreement> merged = new HashMap<>(a);
          b.forEach(
              (partition, state) -> merged.merge(partition, state, PartitionAgreement::merge));
          return merged;
        });
  }

  private Dataset<Row> open(String table, String keyPath) {
    boolean catalog = ConfigLoader.isCatalogName(table);
    boolean exists;
    try {
      exists =
          catalog
              ? context.spark().catalog().tableExists(table)
              : DeltaTable.isDeltaTable(context.spark(), table);
    } catch (Exception e) {
      exists = false;
    }
    if (!exists) {
      throw AssayException.invalidAt(
          keyPath,
          "no Delta table of annotations at '"
              + table
              + "'. Create it (one row per judgement: partition, item, annotator, label), fix the path, or remove"
              + " 'labels.annotations' from the config.");
    }
    return catalog
        ? context.spark().read().table(table)
        : context.spark().read().format("delta").load(table);
  }

  /** Per task: every item's judgements against the leave-one-out majority of the item's others. */
  private static Iterator<Map<String, PartitionAgreement>> agree(Iterator<Row> items) {
    Map<String, PartitionAgreement> byPartition = new HashMap<>();
    while (items.hasNext()) {
      Row item = items.next();
      PartitionAgreement agreement =
          byPartition.computeIfAbsent(item.getString(0), k -> new PartitionAgreement());
      List<Row> judgements = item.getList(2);
      Map<String, Integer> counts = new HashMap<>();
      for (Row judgement : judgements) {
        if (judgement.isNullAt(1)) {
          agreement.nullLabels++;
        } else {
          counts.merge(judgement.getString(1), 1, Integer::sum);
        }
      }
      agreement.fleiss.add(counts);
      for (Row judgement : judgements) {
        if (judgement.isNullAt(1)) {
          continue;
        }
        String annotator = judgement.getString(0);
        String label = judgement.getString(1);
        agreement.judgements.merge(annotator, 1L, Long::sum);
        String consensus = Agreement.leaveOneOutMajority(counts, label);
        if (consensus != null) {
          agreement
              .confusion
              .computeIfAbsent(annotator, k -> new HashMap<>())
              .computeIfAbsent(label, k -> new HashMap<>())
              .merge(consensus, 1L, Long::sum);
        }
      }
    }
    return List.of(byPartition).iterator();
  }

  /**
   * The agreement rows of one partition (none without annotations); the kappas judged become part
   * of later partitions' baselines.
   */
  List<AnnotatorAgreementRecord> judge(Scope scope) {
    if (config.isEmpty()) {
      return List.of();
    }
    String partition = scope.partition();
    PartitionAgreement agreement = agreements.get(partition);
    List<AnnotatorAgreementRecord> rows =
        AgreementJudge.judge(
            context.dataset().thresholds(),
            scope,
            config.get().table(),
            agreement,
            annotator -> baselineKappa(partition, annotator));
    if (agreement != null) {
      Map<String, Double> judged = new HashMap<>();
      for (AnnotatorAgreementRecord row : rows) {
        if (row.annotator() != null && row.kappa() != null) {
          judged.put(row.annotator(), row.kappa());
        }
      }
      kappas.put(partition, judged);
    }
    return rows;
  }

  /** The annotator's mean kappa over the partition's baseline partitions, if any. */
  private Double baselineKappa(String partition, String annotator) {
    double sum = 0;
    int n = 0;
    for (String b : picker.baselineOf(partition)) {
      Double kappa = kappas.getOrDefault(b, Map.of()).get(annotator);
      if (kappa != null) {
        sum += kappa;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }
}
