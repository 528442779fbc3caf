package dev.assay.jobs.redteam;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.table.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructType;

/**
 * The shadow's rows while attacks are applied: the dataset's columns plus {@value #TRUTH}, the
 * attacks that touched each row and how ({@code modified}, {@code added}, {@code removed}). Random
 * choices are hashes of the seed, the attack's position and the row's ids (or content), so the same
 * seed gives the same shadow however the table is split into files.
 */
final class ShadowRows {
  static final String TRUTH = "_assay_redteam_truth";

  private final DatasetConfig config;
  private final StructType schema;
  private final long seed;

  ShadowRows(DatasetConfig config, StructType schema, long seed) {
    this.config = config;
    this.schema = schema;
    this.seed = seed;
  }

  /** The dataset's rows with an empty truth column. */
  Dataset<Row> start(Dataset<Row> rows) {
    return rows.withColumn(TRUTH, lit(null).cast(truthType()));
  }

  static DataType truthType() {
    return DataTypes.createArrayType(
        new StructType().add("attack_id", DataTypes.StringType).add("effect", DataTypes.StringType),
        false);
  }

  Column partition() {
    return Columns.named(config.partitionColumn()).cast(DataTypes.StringType);
  }

  /** False for rows an earlier attack removed: later attacks neither touch nor copy them. */
  Column alive() {
    return org.apache.spark.sql.functions.coalesce(
        org.apache.spark.sql.functions.expr("NOT exists(" + TRUTH + ", t -> t.effect = 'removed')"),
        lit(true));
  }

  /** A uniform draw in [0, 1) per row, for one attack and purpose. */
  Column draw(AttackSpec spec, String purpose) {
    return pmod(xxhash64(lit(seed), lit(spec.index()), lit(purpose), rowKey()), lit(1_000_000L))
        .cast(DataTypes.DoubleType)
        .divide(1_000_000.0);
  }

  /** The ids, or the whole content when the dataset has no id columns. */
  Column rowKey() {
    if (!config.idColumns().isEmpty()) {
      return to_json(
          struct(config.idColumns().stream().map(Columns::named).toArray(Column[]::new)));
    }
    return to_json(struct(originalColumns()));
  }

  Column[] originalColumns() {
    return java.util.Arrays.stream(schema.fieldNames()).map(Columns::named).toArray(Column[]::new);
  }

  /** Records that {@code spec} changed the rows where {@code chosen} holds. */
  Column marked(Column chosen, AttackSpec spec, String effect) {
    Column entry = array(struct(lit(spec.id()).as("attack_id"), lit(effect).as("effect")));
    Column existing = when(col(TRUTH).isNull(), lit(null).cast(truthType())).otherwise(col(TRUTH));
    return when(chosen, when(existing.isNull(), entry).otherwise(array_union(existing, entry)))
        .otherwise(col(TRUTH));
  }

  /**
   * Rows that {@code spec} adds: their truth says so, and their ids are new (when there are ids).
   */
  Dataset<Row> added(Dataset<Row> current, Dataset<Row> copies, AttackSpec spec) {
    Dataset<Row> out =
        copies.withColumn(
            TRUTH, array(struct(lit(spec.id()).as("attack_id"), lit("added").as("effect"))));
    if (config.idColumns().isEmpty()) {
      return out;
    }
    String id = config.idColumns().get(0);
    DataType type = schema.apply(id).dataType();
    Column order = xxhash64(lit(seed), lit(spec.index()), to_json(struct(originalColumns())));
    Column n = row_number().over(Window.orderBy(order, to_json(struct(originalColumns()))));
    if (type instanceof IntegralType) {
      Row max = current.agg(org.apache.spark.sql.functions.max(Columns.named(id))).head();
      long base = max.isNullAt(0) ? 0 : ((Number) max.get(0)).longValue();
      return out.withColumn(id, lit(base).plus(n).cast(type));
    }
    return out.withColumn(
        id,
        concat(lit("redteam-" + seed + "-" + spec.id() + "-"), n.cast(DataTypes.StringType))
            .cast(type));
  }

  /** The id columns joined by '|', as ground truth and evidence store them; null without ids. */
  Column rowId() {
    if (config.idColumns().isEmpty()) {
      return lit(null).cast(DataTypes.StringType);
    }
    return org.apache.spark.sql.functions.concat_ws(
        "|",
        config.idColumns().stream()
            .map(c -> Columns.named(c).cast(DataTypes.StringType))
            .toArray(Column[]::new));
  }

  StructType schema() {
    return schema;
  }

  DatasetConfig config() {
    return config;
  }
}
