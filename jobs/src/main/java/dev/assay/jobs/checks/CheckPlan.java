package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.assay.common.AssayException;
import dev.assay.common.checks.Check;
import dev.assay.common.checks.Constraint;
import dev.assay.common.checks.Metric;
import dev.assay.common.table.Columns;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.RowChecksums;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * What the one pass must compute for a set of checks, validated against the table: the numeric
 * columns to summarise, one pass/fail flag per distinct row-level metric, and one 64-bit key hash
 * per distinct column set of uniqueness and distinctness. The pass reads a single projection with
 * these columns, in this order, after the partition value.
 */
final class CheckPlan {
  private final StructType schema;
  private final String partitionColumn;
  private final String tableName;

  /** Numeric columns summarised, and which of them need a quantile sketch. */
  final List<String> numeric = new ArrayList<>();

  final List<Boolean> sketched = new ArrayList<>();

  /** Row-level metrics, each with its per-row condition. */
  final Map<Metric, Column> flags = new LinkedHashMap<>();

  /** Column sets of uniqueness and distinctness metrics. */
  final List<List<String>> keySets = new ArrayList<>();

  /** Per numeric column, its quantile sketch's slot, or -1. */
  private final int[] sketchSlots;

  private final List<Metric> flagOrder;

  CheckPlan(DatasetTable table, List<Check> checks) {
    this.schema = table.schema();
    this.partitionColumn = table.config().partitionColumn();
    this.tableName = table.config().table();
    for (Check check : checks) {
      for (Constraint constraint : check.constraints()) {
        add(table, constraint);
      }
    }
    sketchSlots = new int[numeric.size()];
    int next = 0;
    for (int i = 0; i < sketchSlots.length; i++) {
      sketchSlots[i] = sketched.get(i) ? next++ : -1;
    }
    flagOrder = List.copyOf(flags.keySet());
  }

  private void add(DatasetTable table, Constraint c) {
    Metric metric = c.metric();
    for (String column : metric.columns()) {
      requireColumn(c, column);
    }
    if (metric instanceof Metric.Minimum m) {
      numeric(c, m.column(), false);
    } else if (metric instanceof Metric.Maximum m) {
      numeric(c, m.column(), false);
    } else if (metric instanceof Metric.Mean m) {
      numeric(c, m.column(), false);
    } else if (metric instanceof Metric.StandardDeviation m) {
      numeric(c, m.column(), false);
    } else if (metric instanceof Metric.Quantile m) {
      numeric(c, m.column(), true);
    } else if (metric instanceof Metric.Uniqueness m) {
      keySet(m.columnSet());
    } else if (metric instanceof Metric.Distinctness m) {
      keySet(m.columnSet());
    } else if (metric instanceof Metric.Completeness m) {
      flags.putIfAbsent(m, Columns.named(m.column()).isNotNull());
    } else if (metric instanceof Metric.AllowedValues m) {
      requireAtomic(c, m.column());
      flags.putIfAbsent(
          m,
          coalesce(
                  Columns.named(m.column()).cast(DataTypes.StringType).isin(m.values().toArray()),
                  lit(false))
              .or(Columns.named(m.column()).isNull()));
    } else if (metric instanceof Metric.PatternMatch m) {
      if (!(type(m.column()) instanceof StringType)) {
        throw AssayException.invalidAt(
            c.keyPath(),
            "pattern needs a string column, and '"
                + m.column()
                + "' is "
                + type(m.column()).simpleString()
                + ". Use allowed_values or satisfies for other types.");
      }
      flags.putIfAbsent(
          m,
          Columns.named(m.column())
              .isNull()
              .or(coalesce(Columns.named(m.column()).rlike(m.regex()), lit(false))));
    } else if (metric instanceof Metric.Provenance m) {
      flags.putIfAbsent(m, provenance(m.columnSet()));
    } else if (metric instanceof Metric.Compliance m) {
      flags.putIfAbsent(m, predicate(table, c, m.predicate()));
    } else if (metric instanceof Metric.ChecksumMatch m) {
      flags.putIfAbsent(m, checksum(c, m));
    }
  }

  /** The projection the pass reads: partition value, numeric columns, flags, key hashes. */
  Dataset<Row> projection(DatasetTable table, List<String> partitions) {
    List<Column> columns = new ArrayList<>();
    columns.add(
        partitionKind() == CheckPass.PartitionKind.TEXT
            ? table.partitionString()
            : Columns.named(partitionColumn));
    numeric.forEach(f -> columns.add(Columns.named(f).cast(DataTypes.DoubleType)));
    flags.values().forEach(columns::add);
    for (List<String> keys : keySets) {
      columns.add(keyHash(keys));
    }
    return table.read(partitions).select(columns.toArray(Column[]::new));
  }

  int numericIndex(String column) {
    return numeric.indexOf(column);
  }

  int flagIndex(Metric metric) {
    return flagOrder.indexOf(metric);
  }

  int keyIndex(List<String> columns) {
    return keySets.indexOf(columns);
  }

  /** The sketch slot of a numeric column, -1 for none. */
  int sketchSlot(int numericIndex) {
    return sketchSlots[numericIndex];
  }

  /** The sizes of the pass's state, with hashes split into {@code buckets}. */
  CheckPass.Shape shape(int buckets) {
    int sketches = (int) sketched.stream().filter(b -> b).count();
    return new CheckPass.Shape(
        partitionKind(),
        numeric.size(),
        sketchSlots.clone(),
        sketches,
        flags.size(),
        keySets.size(),
        buckets);
  }

  /** Dates and integers are projected as they are (no per-row formatting); other types as text. */
  private CheckPass.PartitionKind partitionKind() {
    DataType type = type(partitionColumn);
    if (type.equals(DataTypes.DateType)) {
      return CheckPass.PartitionKind.DATE;
    } else if (type.equals(DataTypes.IntegerType)) {
      return CheckPass.PartitionKind.INT;
    } else if (type.equals(DataTypes.LongType)) {
      return CheckPass.PartitionKind.LONG;
    }
    return CheckPass.PartitionKind.TEXT;
  }

  private void numeric(Constraint c, String column, boolean sketch) {
    DataType type = type(column);
    if (!DatasetTable.isNumeric(type)) {
      throw AssayException.invalidAt(
          c.keyPath(),
          c.metric().name()
              + " needs a numeric column, and '"
              + column
              + "' is "
              + type.simpleString()
              + ". Pick a numeric column, or use allowed_values or pattern for text.");
    }
    int at = numeric.indexOf(column);
    if (at < 0) {
      numeric.add(column);
      sketched.add(sketch);
    } else if (sketch) {
      sketched.set(at, true);
    }
  }

  private void keySet(List<String> columns) {
    if (!keySets.contains(columns)) {
      keySets.add(columns);
    }
  }

  /**
   * xxhash64 of the columns with their null flags, so (a, null) and (null, a) differ; null when all
   * are null.
   */
  private static Column keyHash(List<String> keys) {
    List<Column> parts = new ArrayList<>();
    Column allNull = lit(true);
    for (String key : keys) {
      parts.add(Columns.named(key).isNull());
      parts.add(Columns.named(key));
      allNull = allNull.and(Columns.named(key).isNull());
    }
    return when(not(allNull), xxhash64(parts.toArray(Column[]::new)));
  }

  private Column provenance(List<String> columns) {
    Column present = lit(true);
    for (String column : columns) {
      Column value = Columns.named(column);
      present = present.and(value.isNotNull());
      if (type(column) instanceof StringType) {
        present = present.and(coalesce(trim(value).notEqual(""), lit(false)));
      }
    }
    return present;
  }

  private Column checksum(Constraint c, Metric.ChecksumMatch m) {
    DataType stored = type(m.column());
    if (!RowChecksums.canStore(m.algorithm(), stored)) {
      throw AssayException.invalidAt(
          c.keyPath(),
          "checksum column '"
              + m.column()
              + "' is "
              + stored.simpleString()
              + ", which cannot hold a "
              + m.algorithm().yamlName()
              + " checksum; expected a string"
              + (m.algorithm().numeric() ? " or an integer" : " (hex) or binary")
              + " column.");
    }
    for (String column : m.exclude()) {
      requireColumn(c, column);
    }
    List<String> content = m.contentColumns(List.of(schema.fieldNames()), partitionColumn);
    for (String column : content) {
      requireColumn(c, column);
      if (column.equals(m.column())) {
        throw AssayException.invalidAt(
            c.keyPath(),
            "the checksum column '"
                + column
                + "' cannot be part of the content it checks; remove it from 'columns'.");
      }
    }
    if (content.isEmpty()) {
      throw AssayException.invalidAt(
          c.keyPath(), "no columns left to checksum; list them under 'columns'.");
    }
    return RowChecksums.matches(m.algorithm(), schema, m.column(), content);
  }

  /**
   * A user's SQL predicate, parsed and resolved against the table; it must be a row-level boolean.
   */
  private static Column predicate(DatasetTable table, Constraint c, String sql) {
    Column condition;
    LogicalPlan plan;
    try {
      condition = functions.expr(sql);
      Dataset<Row> probe = table.read().select(condition.as("condition"));
      plan = probe.queryExecution().analyzed();
      DataType type = probe.schema().fields()[0].dataType();
      if (!(type instanceof BooleanType)) {
        throw AssayException.invalidAt(
            c.keyPath(),
            "the predicate "
                + quoted(sql)
                + " is "
                + type.simpleString()
                + ", not a boolean. Write a condition such as 'amount >= 0'.");
      }
    } catch (AssayException e) {
      throw e;
    } catch (Exception e) {
      String message =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw AssayException.invalidAt(
          c.keyPath(),
          "invalid SQL predicate "
              + quoted(sql)
              + ": "
              + message
              + ". Write a row-level condition over the table's columns, such as 'amount >= 0 AND currency IS NOT NULL'.");
    }
    if (!(plan instanceof Project project)
        || SubqueryExpression.hasSubquery(
            (org.apache.spark.sql.catalyst.expressions.Expression) project.projectList().head())) {
      throw AssayException.invalidAt(
          c.keyPath(),
          "the predicate "
              + quoted(sql)
              + " is not a row-level condition"
              + " (it aggregates, or queries another table). Use a condition on one row's columns; size, mean and"
              + " the other metrics cover aggregates.");
    }
    return coalesce(condition, lit(false));
  }

  private void requireColumn(Constraint c, String column) {
    if (!List.of(schema.fieldNames()).contains(column)) {
      throw AssayException.invalidAt(
          c.keyPath(),
          "column '"
              + column
              + "' not found in "
              + tableName
              + "; columns are: "
              + DatasetTable.columnList(schema));
    }
    if (column.equals(partitionColumn)) {
      throw AssayException.invalidAt(
          c.keyPath(),
          "'"
              + column
              + "' is the partition column, which is constant"
              + " within a partition; check another column.");
    }
  }

  private void requireAtomic(Constraint c, String column) {
    DataType type = type(column);
    if (type instanceof BinaryType
        || !DataTypes.StringType.sameType(type)
            && !DatasetTable.isNumeric(type)
            && !type.equals(DataTypes.BooleanType)
            && !type.equals(DataTypes.DateType)) {
      throw AssayException.invalidAt(
          c.keyPath(),
          "allowed_values compares values as text, and '"
              + column
              + "' is "
              + type.simpleString()
              + ". Use a string, number, boolean or date column.");
    }
  }

  private DataType type(String column) {
    return schema.apply(column).dataType();
  }

  private static String quoted(String sql) {
    String shown = sql.length() > 200 ? sql.substring(0, 200) + "..." : sql;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
