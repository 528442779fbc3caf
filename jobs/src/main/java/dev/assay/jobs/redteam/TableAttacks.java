package dev.assay.jobs.redteam;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;

/** The attacks on tables of rows. Each takes the shadow's rows and returns them attacked. */
final class TableAttacks {
  private final ShadowRows shadow;
  private final DatasetConfig config;
  private final List<String> partitions;

  /**
   * @param partitions every partition value of the dataset, in order
   */
  TableAttacks(ShadowRows shadow, List<String> partitions) {
    this.shadow = shadow;
    this.config = shadow.config();
    this.partitions = partitions;
  }

  Dataset<Row> apply(AttackSpec spec, Dataset<Row> rows) {
    return switch (spec.kind()) {
      case LABEL_FLIP -> labelFlip(spec, rows);
      case GRADUAL -> gradual(spec, rows);
      case BACKDOOR -> backdoor(spec, rows);
      case REPLAY -> replay(spec, rows);
      case DUPLICATE_BURST -> duplicateBurst(spec, rows);
      case FEATURE_CORRUPTION -> featureCorruption(spec, rows);
      case DISTRIBUTION_SHIFT -> distributionShift(spec, rows);
      case NULL_INJECTION -> nullInjection(spec, rows);
      case CHECKSUM_TAMPER -> checksumTamper(spec, rows);
      default ->
          throw spec.invalid(
              spec.kind().label()
                  + " attacks client updates, and dataset '"
                  + config.name()
                  + "' is a table of rows");
    };
  }

  /**
   * The partitions the attack targets: {@code partitions=a|b}, where an item {@code FROM..TO} is
   * every partition from FROM to TO in partition order; default the latest one.
   */
  List<String> targets(AttackSpec spec) {
    List<String> chosen = new ArrayList<>();
    for (String value : spec.list("partitions")) {
      int dots = value.indexOf("..");
      if (dots > 0 && !partitions.contains(value)) {
        String from = value.substring(0, dots).trim();
        String to = value.substring(dots + 2).trim();
        int first = position(spec, from);
        int last = position(spec, to);
        if (first > last) {
          throw spec.invalid(
              "partitions="
                  + value
                  + " runs backwards; write the earlier partition first: "
                  + to
                  + ".."
                  + from);
        }
        chosen.addAll(partitions.subList(first, last + 1));
      } else {
        position(spec, value);
        chosen.add(value);
      }
    }
    return chosen.isEmpty() ? List.of(partitions.get(partitions.size() - 1)) : chosen;
  }

  private int position(AttackSpec spec, String value) {
    int position = partitions.indexOf(value);
    if (position < 0) {
      throw spec.invalid(
          "partition "
              + config.partitionColumn()
              + "="
              + value
              + " is not in "
              + config.table()
              + "; the latest are "
              + partitions.subList(Math.max(0, partitions.size() - 5), partitions.size()));
    }
    return position;
  }

  private Column inTargets(AttackSpec spec) {
    return shadow.partition().isin(targets(spec).toArray()).and(shadow.alive());
  }

  private Dataset<Row> labelFlip(AttackSpec spec, Dataset<Row> rows) {
    String label = labelColumn(spec);
    Column chosen =
        inTargets(spec)
            .and(segment(spec))
            .and(shadow.draw(spec, "flip").lt(spec.rate("rate", 0.1)));
    Column flipped = flipped(spec, rows, label, spec.get("target").orElse(null));
    chosen =
        chosen
            .and(Columns.named(label).isNotNull())
            .and(not(flipped.eqNullSafe(Columns.named(label))));
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(label, when(chosen, flipped).otherwise(Columns.named(label)));
  }

  /**
   * Slow poisoning: the k-th attacked partition (k = 1, 2, ... in partition order) has a share step
   * × k of its rows drawn for a flip, so the flipped share grows linearly and never jumps against
   * last week.
   */
  private Dataset<Row> gradual(AttackSpec spec, Dataset<Row> rows) {
    String label = labelColumn(spec);
    spec.get("column")
        .ifPresent(
            column -> {
              if (!column.equals(label)) {
                throw spec.invalid(
                    "column="
                        + column
                        + " is not the label column of dataset '"
                        + config.name()
                        + "'; gradual flips labels: write column="
                        + label
                        + " or leave it out");
              }
            });
    if (spec.list("partitions").isEmpty()) {
      throw spec.invalid(
          "missing required parameter 'partitions', the attacked range, such as partitions="
              + partitions.get(0)
              + ".."
              + partitions.get(partitions.size() - 1));
    }
    List<String> targets = new ArrayList<>(new java.util.LinkedHashSet<>(targets(spec)));
    targets.sort(java.util.Comparator.comparingInt(partitions::indexOf));
    double step = spec.rate("step", 0.01);
    if (step * targets.size() > 1 + 1e-9) {
      throw spec.invalid(
          String.format(
              java.util.Locale.ROOT,
              "step=%s over %d partitions would flip %.0f%% of the"
                  + " last one's rows; use step <= %s or fewer partitions",
              spec.get("step").orElse("0.01"),
              targets.size(),
              100 * step * targets.size(),
              Math.floor(1e4 / targets.size()) / 1e4));
    }
    Column rate = null;
    for (int k = 1; k <= targets.size(); k++) {
      Column in = shadow.partition().equalTo(targets.get(k - 1));
      rate = rate == null ? when(in, lit(step * k)) : rate.when(in, lit(step * k));
    }
    Column chosen = inTargets(spec).and(shadow.draw(spec, "gradual").lt(rate.otherwise(lit(0.0))));
    Column flipped = flipped(spec, rows, label, spec.get("target").orElse(null));
    chosen =
        chosen
            .and(Columns.named(label).isNotNull())
            .and(not(flipped.eqNullSafe(Columns.named(label))));
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(label, when(chosen, flipped).otherwise(Columns.named(label)));
  }

  private Dataset<Row> backdoor(AttackSpec spec, Dataset<Row> rows) {
    String label = labelColumn(spec);
    Map<String, String> trigger = spec.pairs("trigger");
    if (trigger.isEmpty()) {
      throw spec.invalid(
          "missing required parameter 'trigger', such as trigger=workclass:Never-worked|capital_loss:1234");
    }
    int support = spec.count("support", 20);
    Column target = typed(spec, label, spec.required("target"));
    Column draw = shadow.draw(spec, "backdoor");
    Dataset<Row> ranked =
        rows.withColumn(
            "_rank",
            when(
                inTargets(spec),
                row_number()
                    .over(Window.partitionBy(shadow.partition()).orderBy(draw, shadow.rowKey()))));
    Column chosen = col("_rank").leq(support);
    Dataset<Row> out =
        ranked
            .withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
            .withColumn(label, when(chosen, target).otherwise(Columns.named(label)));
    for (Map.Entry<String, String> item : trigger.entrySet()) {
      column(spec, item.getKey());
      out =
          out.withColumn(
              item.getKey(),
              when(chosen, typed(spec, item.getKey(), item.getValue()))
                  .otherwise(Columns.named(item.getKey())));
    }
    return out.drop("_rank");
  }

  private Dataset<Row> replay(AttackSpec spec, Dataset<Row> rows) {
    List<String> from = spec.list("from");
    if (from.isEmpty()) {
      throw spec.invalid(
          "missing required parameter 'from', the partitions whose rows are replayed (a|b)");
    }
    for (String value : from) {
      if (!partitions.contains(value)) {
        throw spec.invalid(
            "replay source "
                + config.partitionColumn()
                + "="
                + value
                + " is not in "
                + config.table());
      }
    }
    double rate = spec.rate("rate", 0.1);
    double relabel = spec.get("relabel").isPresent() ? spec.number("relabel", 0) : 0;
    if (relabel < 0 || relabel > 1) {
      throw spec.invalid("relabel=" + relabel + " is not a fraction in [0, 1]");
    }
    if (relabel > 0) {
      labelColumn(spec);
    }
    Dataset<Row> out = rows;
    Dataset<Row> sources = rows.where(shadow.partition().isin(from.toArray()).and(shadow.alive()));
    for (String target : targets(spec)) {
      long size = rows.where(shadow.partition().equalTo(target)).count();
      long take = Math.max(1, Math.round(rate * size));
      Column draw = shadow.draw(spec, "replay:" + target);
      Dataset<Row> copies =
          sources
              .withColumn("_rank", row_number().over(Window.orderBy(draw, shadow.rowKey())))
              .where(col("_rank").leq(take))
              .drop("_rank", ShadowRows.TRUTH)
              .withColumn(config.partitionColumn(), typed(spec, config.partitionColumn(), target));
      if (relabel > 0) {
        String label = config.labelColumn().get();
        Column flip = shadow.draw(spec, "relabel:" + target).lt(relabel);
        copies =
            copies.withColumn(
                label,
                when(flip, flipped(spec, rows, label, null)).otherwise(Columns.named(label)));
      }
      out = out.unionByName(shadow.added(out, copies, spec));
    }
    return out;
  }

  private Dataset<Row> duplicateBurst(AttackSpec spec, Dataset<Row> rows) {
    int copies = spec.count("copies", 3);
    Column chosen = inTargets(spec).and(shadow.draw(spec, "burst").lt(spec.rate("rate", 0.05)));
    Dataset<Row> extra =
        rows.where(chosen)
            .drop(ShadowRows.TRUTH)
            .withColumn("_copy", explode(sequence(lit(1), lit(copies))))
            .drop("_copy");
    return rows.unionByName(shadow.added(rows, extra, spec));
  }

  private Dataset<Row> featureCorruption(AttackSpec spec, Dataset<Row> rows) {
    String feature = spec.required("feature");
    DataType type = column(spec, feature);
    String mode = spec.get("mode").orElse("scale");
    rows =
        rows.withColumn(
            "_chosen",
            inTargets(spec)
                .and(shadow.draw(spec, "corrupt").lt(spec.rate("rate", 1.0)))
                .and(Columns.named(feature).isNotNull()));
    Column chosen = col("_chosen");
    Column value = Columns.named(feature);
    Column corrupted =
        switch (mode) {
          case "scale" ->
              numeric(spec, feature, type).multiply(spec.number("value", 10)).cast(type);
          case "shift" -> numeric(spec, feature, type).plus(spec.number("value", 1)).cast(type);
          case "constant" -> typed(spec, feature, spec.required("value"));
          case "swap" -> {
            String other = spec.required("with");
            DataType otherType = column(spec, other);
            if (!otherType.equals(type)) {
              throw spec.invalid(
                  "swap needs columns of one type; "
                      + feature
                      + " is "
                      + type.simpleString()
                      + ", "
                      + other
                      + " is "
                      + otherType.simpleString());
            }
            rows =
                rows.withColumn("_other", Columns.named(other))
                    .withColumn(other, when(chosen, value).otherwise(Columns.named(other)));
            yield col("_other");
          }
          default ->
              throw spec.invalid("mode=" + mode + " is not one of scale, shift, constant, swap");
        };
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(feature, when(chosen, corrupted).otherwise(value))
        .drop("_other", "_chosen");
  }

  private Dataset<Row> distributionShift(AttackSpec spec, Dataset<Row> rows) {
    Map<String, String> where = spec.pairs("where");
    if (where.isEmpty()) {
      throw spec.invalid(
          "missing required parameter 'where', the sub-population, such as where=education:HS-grad");
    }
    double keep = spec.get("keep").isPresent() ? spec.number("keep", 0.15) : 0.15;
    if (keep < 0 || keep >= 1) {
      throw spec.invalid(
          "keep=" + keep + " is not a fraction in [0, 1): the share of the sub-population kept");
    }
    Column inGroup = lit(true);
    for (Map.Entry<String, String> item : where.entrySet()) {
      column(spec, item.getKey());
      inGroup =
          inGroup.and(
              Columns.named(item.getKey()).cast(DataTypes.StringType).equalTo(item.getValue()));
    }
    Column removed = inTargets(spec).and(inGroup).and(shadow.draw(spec, "shift").geq(keep));
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(removed, spec, "removed"));
  }

  private Dataset<Row> nullInjection(AttackSpec spec, Dataset<Row> rows) {
    String column = spec.required("column");
    DataType type = column(spec, column);
    Column chosen =
        inTargets(spec)
            .and(shadow.draw(spec, "null").lt(spec.rate("rate", 0.3)))
            .and(Columns.named(column).isNotNull());
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(column, when(chosen, lit(null).cast(type)).otherwise(Columns.named(column)));
  }

  /** Edits a value after ingestion without touching the row's checksum column. */
  private Dataset<Row> checksumTamper(AttackSpec spec, Dataset<Row> rows) {
    String column = spec.required("column");
    DataType type = column(spec, column);
    Column value = Columns.named(column);
    Column chosen =
        inTargets(spec)
            .and(shadow.draw(spec, "tamper").lt(spec.rate("rate", 0.01)))
            .and(value.isNotNull());
    Column edited;
    if (type instanceof NumericType) {
      edited = value.plus(1).cast(type);
    } else if (type instanceof StringType) {
      edited = concat(value, lit("~"));
    } else if (type instanceof BooleanType) {
      edited = not(value);
    } else {
      throw spec.invalid(
          "column "
              + column
              + " is "
              + type.simpleString()
              + "; tamper a number, string or boolean");
    }
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(column, when(chosen, edited).otherwise(value));
  }

  private String labelColumn(AttackSpec spec) {
    return config
        .labelColumn()
        .orElseThrow(
            () ->
                spec.invalid(
                    spec.kind().label()
                        + " needs a label column;"
                        + " dataset '"
                        + config.name()
                        + "' has no label_column"));
  }

  private Column segment(AttackSpec spec) {
    Column in = lit(true);
    for (Map.Entry<String, String> item : spec.pairs("segment").entrySet()) {
      column(spec, item.getKey());
      in = in.and(Columns.named(item.getKey()).cast(DataTypes.StringType).equalTo(item.getValue()));
    }
    return in;
  }

  /** The label a flipped row gets: {@code target}, or the next label in sorted order. */
  private Column flipped(AttackSpec spec, Dataset<Row> rows, String label, String target) {
    if (target != null) {
      return typed(spec, label, target);
    }
    List<String> labels = new ArrayList<>();
    for (Row row :
        rows.select(Columns.named(label).cast(DataTypes.StringType))
            .where(col(label).isNotNull())
            .distinct()
            .orderBy(col(label))
            .limit(1001)
            .collectAsList()) {
      labels.add(row.getString(0));
    }
    if (labels.size() < 2 || labels.size() > 1000) {
      throw spec.invalid(
          "label " + label + " has " + labels.size() + " distinct values; give target=VALUE");
    }
    Column text = Columns.named(label).cast(DataTypes.StringType);
    Column next = null;
    for (int i = 0; i < labels.size(); i++) {
      Column value = typed(spec, label, labels.get((i + 1) % labels.size()));
      next =
          next == null
              ? when(text.equalTo(labels.get(i)), value)
              : next.when(text.equalTo(labels.get(i)), value);
    }
    return next.otherwise(Columns.named(label));
  }

  private DataType column(AttackSpec spec, String name) {
    if (!List.of(shadow.schema().fieldNames()).contains(name)) {
      throw spec.invalid(
          "column '"
              + name
              + "' is not in "
              + config.table()
              + "; columns are "
              + String.join(", ", shadow.schema().fieldNames()));
    }
    if (name.equals(config.partitionColumn()) || config.idColumns().contains(name)) {
      throw spec.invalid(
          "column '" + name + "' is the partition or an id column; attack a feature or the label");
    }
    return shadow.schema().apply(name).dataType();
  }

  private Column numeric(AttackSpec spec, String name, DataType type) {
    if (!(type instanceof NumericType)) {
      throw spec.invalid(
          "column " + name + " is " + type.simpleString() + "; scale and shift need a number");
    }
    return Columns.named(name).cast(DataTypes.DoubleType);
  }

  /** A literal of the column's type; a value that does not convert is an error naming both. */
  private Column typed(AttackSpec spec, String name, String value) {
    DataType type = shadow.schema().apply(name).dataType();
    if (type instanceof StringType) {
      return lit(value);
    }
    Object converted =
        SparkSession.active().range(1).select(lit(value).try_cast(type)).head().get(0);
    if (converted == null) {
      throw spec.invalid(
          "value '" + value + "' is not a " + type.simpleString() + " for column " + name);
    }
    return lit(value).cast(type);
  }
}
