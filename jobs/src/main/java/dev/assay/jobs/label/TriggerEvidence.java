package dev.assay.jobs.label;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.assay.common.job.JobContext;
import dev.assay.common.records.TriggerEvidenceRecord;
import dev.assay.common.records.TriggerRecord;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * What trigger mining needs from a partition's rows: how its suspicious items combine (one filtered
 * read, grouped), and the rows that carry a found trigger, kept as evidence.
 */
final class TriggerEvidence {
  private final JobContext context;
  private final FeatureItems[] items;

  TriggerEvidence(JobContext context, FeatureItems[] items) {
    this.context = context;
    this.items = items;
  }

  /**
   * The partition's rows matching any suspect, counted per label and combination of suspects
   * matched.
   */
  List<TriggerMiner.Combo> combos(String partition, List<TriggerMiner.Condition> suspects) {
    List<Column> columns = new ArrayList<>();
    Column any = lit(false);
    for (int i = 0; i < suspects.size(); i++) {
      Column matches = coalesce(predicate(suspects.get(i)), lit(false));
      columns.add(matches.as("s" + i));
      any = any.or(matches);
    }
    columns.add(label().as("label"));
    Column[] groups = new Column[suspects.size() + 1];
    for (int i = 0; i < suspects.size(); i++) {
      groups[i] = col("s" + i);
    }
    groups[suspects.size()] = col("label");
    List<TriggerMiner.Combo> combos = new ArrayList<>();
    for (Row row :
        context
            .table()
            .read(List.of(partition))
            .where(any)
            .select(columns.toArray(Column[]::new))
            .groupBy(groups)
            .count()
            .collectAsList()) {
      boolean[] matches = new boolean[suspects.size()];
      for (int i = 0; i < matches.length; i++) {
        matches[i] = row.getBoolean(i);
      }
      combos.add(
          new TriggerMiner.Combo(
              matches, row.getString(suspects.size()), row.getLong(suspects.size() + 1)));
    }
    return combos;
  }

  /**
   * The candidate's row, with the ids of its first evidence rows; its evidence rows (at most
   * evidence_rows) go to {@code evidence}.
   */
  TriggerRecord report(
      Scope scope, TriggerMiner.Candidate candidate, List<TriggerEvidenceRecord> evidence) {
    Column predicate = label().equalTo(candidate.target());
    for (TriggerMiner.Condition condition : candidate.conditions()) {
      predicate = predicate.and(predicate(condition));
    }
    List<String> ids = new ArrayList<>();
    Dataset<Row> rows = context.table().read(List.of(scope.partition())).where(predicate);
    Column[] all = Arrays.stream(rows.columns()).map(Columns::named).toArray(Column[]::new);
    // Ordered by id, then content, so the same rows are kept in the same order however the
    // partition is
    // split into tasks.
    List<Column> order = new ArrayList<>();
    context.dataset().idColumns().forEach(c -> order.add(Columns.named(c)));
    order.add(to_json(struct(all)));
    for (Row row :
        rows.orderBy(order.toArray(Column[]::new))
            .select(rowId(), label(), to_json(struct(all)))
            .limit(context.dataset().labels().triggers().evidenceRows())
            .collectAsList()) {
      evidence.add(
          new TriggerEvidenceRecord(
              scope.dataset(),
              scope.partition(),
              scope.runId(),
              candidate.description(),
              row.getString(0),
              row.getString(1),
              row.getString(2)));
      if (ids.size() < TriggerMiner.SAMPLE_IDS && row.getString(0) != null) {
        ids.add(row.getString(0));
      }
    }
    return candidate.record(scope, ids);
  }

  private Column predicate(TriggerMiner.Condition condition) {
    return items[condition.feature()].predicate(condition.item());
  }

  private Column label() {
    return Columns.named(context.dataset().labelColumn().get()).cast(DataTypes.StringType);
  }

  /** The id columns joined by '|', or null without id columns. */
  private Column rowId() {
    List<String> idColumns = context.dataset().idColumns();
    if (idColumns.isEmpty()) {
      return lit(null).cast(DataTypes.StringType);
    }
    return concat_ws(
        "|",
        idColumns.stream()
            .map(c -> Columns.named(c).cast(DataTypes.StringType))
            .toArray(Column[]::new));
  }
}
