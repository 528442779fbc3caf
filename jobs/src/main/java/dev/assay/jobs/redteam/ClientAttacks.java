package dev.assay.jobs.redteam;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.config.ClientSettings;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.table.Columns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The attacks on federated-learning client updates (one update array per row): chosen clients of
 * the attacked rounds send a poisoned update instead of their own. The round's honest mean and
 * spread are computed per coordinate with Spark, never on the driver.
 */
final class ClientAttacks {
  private final ShadowRows shadow;
  private final DatasetConfig config;
  private final ClientSettings clients;
  private final TableAttacks rounds;

  ClientAttacks(ShadowRows shadow, List<String> partitions) {
    this.shadow = shadow;
    this.config = shadow.config();
    this.clients = config.clientSettings();
    this.rounds = new TableAttacks(shadow, partitions);
    if (clients.chunkColumn().isPresent() || clients.layerColumn().isPresent()) {
      throw AttackSpec.invalid(
          "client attacks",
          "dataset '"
              + config.name()
              + "' stores updates in chunks or"
              + " layers; the red team rewrites one update array per row. Give it the row layout");
    }
  }

  Dataset<Row> apply(AttackSpec spec, Dataset<Row> rows) {
    return switch (spec.kind()) {
      case BOOST ->
          replace(
              spec,
              rows,
              expr("transform(" + update() + ", x -> x * " + spec.number("factor", 10) + ")"));
      case SIGN_FLIP -> replace(spec, rows, expr("transform(" + update() + ", x -> -x)"));
      case LABEL_FLIP_CLIENT ->
          withRoundStats(
              rows,
              spec,
              (stats, chosen) ->
                  stats.withColumn(
                      clients.updateColumn(),
                      when(chosen, expr(reflection())).otherwise(col(clients.updateColumn()))));
      case LITTLE_IS_ENOUGH ->
          withRoundStats(
              rows,
              spec,
              (stats, chosen) ->
                  stats.withColumn(
                      clients.updateColumn(),
                      when(
                              chosen,
                              expr(
                                  "zip_with(_mean, _std, (m, s) -> m - "
                                      + spec.number("z", 1.0)
                                      + " * s)"))
                          .otherwise(col(clients.updateColumn()))));
      case SYBIL -> sybils(spec, rows);
      default ->
          throw spec.invalid(
              spec.kind().label()
                  + " attacks tables of rows, and dataset '"
                  + config.name()
                  + "' holds client updates");
    };
  }

  /** Chosen clients of the attacked rounds: {@code clients=c1|c2}, or a {@code rate} of them. */
  private Column chosen(AttackSpec spec) {
    Column in = shadow.partition().isin(rounds.targets(spec).toArray());
    List<String> named = spec.list("clients");
    if (!named.isEmpty()) {
      return in.and(
          Columns.named(clients.clientColumn()).cast(DataTypes.StringType).isin(named.toArray()));
    }
    return in.and(shadow.draw(spec, "client").lt(spec.rate("rate", 0.1)));
  }

  private Dataset<Row> replace(AttackSpec spec, Dataset<Row> rows, Column poisoned) {
    Column chosen = chosen(spec);
    return rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
        .withColumn(
            clients.updateColumn(),
            when(chosen, poisoned.cast(updateType(rows))).otherwise(col(clients.updateColumn())));
  }

  private interface Poison {
    Dataset<Row> apply(Dataset<Row> withStats, Column chosen);
  }

  /** Joins each attacked round's coordinate-wise mean and spread as {@code _mean}, {@code _std}. */
  private Dataset<Row> withRoundStats(Dataset<Row> rows, AttackSpec spec, Poison poison) {
    Column chosen = chosen(spec);
    DataType type = updateType(rows);
    Dataset<Row> marked =
        rows.withColumn(ShadowRows.TRUTH, shadow.marked(chosen, spec, "modified"))
            .withColumn("_chosen", chosen);
    Dataset<Row> stats =
        roundStats(rows.where(shadow.partition().isin(rounds.targets(spec).toArray())));
    Dataset<Row> joined =
        marked.join(
            stats,
            marked
                .col(config.partitionColumn())
                .cast(DataTypes.StringType)
                .equalTo(stats.col("_round")),
            "left");
    return poison
        .apply(joined, col("_chosen"))
        .withColumn(clients.updateColumn(), col(clients.updateColumn()).cast(type))
        .drop("_round", "_mean", "_std", "_chosen");
  }

  private Dataset<Row> roundStats(Dataset<Row> rounds) {
    Dataset<Row> coordinates =
        rounds.select(
            shadow.partition().as("_round"),
            posexplode(col(clients.updateColumn())).as(new String[] {"_pos", "_value"}));
    Dataset<Row> perCoordinate =
        coordinates
            .groupBy("_round", "_pos")
            .agg(avg("_value").as("m"), stddev_pop("_value").as("s"));
    return perCoordinate
        .groupBy("_round")
        .agg(
            sort_array(collect_list(struct(col("_pos"), col("m")))).as("_means"),
            sort_array(collect_list(struct(col("_pos"), col("s")))).as("_stds"))
        .select(
            col("_round"),
            expr("transform(_means, p -> p.m)").as("_mean"),
            expr("transform(_stds, p -> p.s)").as("_std"));
  }

  /**
   * The update reflected across the plane orthogonal to the round's mean: its agreement with the
   * consensus reversed, the rest kept. A stand-in for an update trained on flipped labels, which
   * the red team cannot train without the clients' data.
   */
  private String reflection() {
    String u = update();
    String dot = "aggregate(zip_with(" + u + ", _mean, (a, b) -> a * b), 0D, (acc, x) -> acc + x)";
    String norm = "aggregate(_mean, 0D, (acc, x) -> acc + x * x)";
    return "zip_with("
        + u
        + ", _mean, (a, m) -> a - 2 * ("
        + dot
        + ") / greatest("
        + norm
        + ", 1e-300) * m)";
  }

  /**
   * {@code count} new clients per attacked round, all sending the reversed round mean, nearly
   * identical.
   */
  private Dataset<Row> sybils(AttackSpec spec, Dataset<Row> rows) {
    int count = spec.count("count", 3);
    double scale = spec.number("scale", 1.0);
    DataType type = updateType(rows);
    Dataset<Row> out = rows;
    for (String round : rounds.targets(spec)) {
      Dataset<Row> roundRows = rows.where(shadow.partition().equalTo(round));
      Dataset<Row> stats = roundStats(roundRows);
      Dataset<Row> template =
          roundRows
              .withColumn("_n", row_number().over(Window.orderBy(shadow.rowKey())))
              .where(col("_n").equalTo(1))
              .drop("_n", ShadowRows.TRUTH)
              .crossJoin(stats)
              .crossJoin(
                  org.apache.spark.sql.SparkSession.active()
                      .range(1, count + 1L)
                      .withColumnRenamed("id", "_sybil"));
      Dataset<Row> sybils =
          template
              .withColumn(clients.clientColumn(), sybilId(spec, rows))
              .withColumn(
                  clients.updateColumn(),
                  expr("zip_with(_mean, sequence(1, size(_mean)), (m, i) -> -"
                          + scale
                          + " * m * (1 + 0.001 * ((abs(hash(_sybil, i)) % 2001) - 1000) / 1000))")
                      .cast(type))
              .drop("_round", "_mean", "_std", "_sybil")
              .withColumn(
                  ShadowRows.TRUTH,
                  org.apache.spark.sql.functions.array(
                      struct(lit(spec.id()).as("attack_id"), lit("added").as("effect"))));
      out = out.unionByName(sybils);
    }
    return out;
  }

  /** New client ids: {@code sybil-<attack>-<n>} for text ids, the largest id plus n for numbers. */
  private Column sybilId(AttackSpec spec, Dataset<Row> rows) {
    DataType type = rows.schema().apply(clients.clientColumn()).dataType();
    if (type instanceof org.apache.spark.sql.types.StringType) {
      return org.apache.spark.sql.functions.concat(
          lit("sybil-" + spec.id() + "-"), col("_sybil").cast(DataTypes.StringType));
    }
    if (!(type instanceof org.apache.spark.sql.types.IntegralType)) {
      throw spec.invalid(
          "client column "
              + clients.clientColumn()
              + " is "
              + type.simpleString()
              + "; sybils need string or integer client ids");
    }
    Row max =
        rows.agg(org.apache.spark.sql.functions.max(Columns.named(clients.clientColumn()))).head();
    long base = max.isNullAt(0) ? 0 : ((Number) max.get(0)).longValue();
    return lit(base).plus(col("_sybil")).cast(type);
  }

  private String update() {
    return Columns.quoted(clients.updateColumn());
  }

  private DataType updateType(Dataset<Row> rows) {
    DataType type = rows.schema().apply(clients.updateColumn()).dataType();
    if (!(type instanceof ArrayType)) {
      throw AttackSpec.invalid(
          "client attacks",
          "column "
              + clients.updateColumn()
              + " is "
              + type.simpleString()
              + "; expected an array of floats or doubles");
    }
    return type;
  }
}
