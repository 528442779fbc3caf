package dev.assay.common.table;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.config.DatasetConfig;
import io.delta.tables.DeltaTable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A monitored dataset opened at one Delta version. Every read of a run goes through the same pinned
 * version, and the config's column names are checked against the schema before any data is read.
 */
public final class DatasetTable {
  private final SparkSession spark;
  private final DatasetConfig config;
  private final long version;
  private final StructType schema;
  private final boolean partitionedByPartitionColumn;
  private final List<String> numericFeatures;
  private final List<String> categoricalFeatures;

  private DatasetTable(
      SparkSession spark,
      DatasetConfig config,
      long version,
      StructType schema,
      boolean partitioned,
      List<String> numeric,
      List<String> categorical) {
    this.spark = spark;
    this.config = config;
    this.version = version;
    this.schema = schema;
    this.partitionedByPartitionColumn = partitioned;
    this.numericFeatures = List.copyOf(numeric);
    this.categoricalFeatures = List.copyOf(categorical);
  }

  /** Opens the dataset at its latest version and validates the config against its schema. */
  public static DatasetTable open(SparkSession spark, DatasetConfig config) {
    DeltaTable delta = deltaTable(spark, config);
    long version = delta.history(1).select("version").head().getLong(0);
    Row detail = delta.detail().select("partitionColumns").head();
    List<String> partitionColumns = detail.getList(0);
    StructType schema = delta.toDF().schema();
    SchemaCheck check = new SchemaCheck(config, schema);
    check.validate();
    return new DatasetTable(
        spark,
        config,
        version,
        schema,
        partitionColumns.size() == 1 && partitionColumns.get(0).equals(config.partitionColumn()),
        check.numericFeatures(),
        check.categoricalFeatures());
  }

  private static DeltaTable deltaTable(SparkSession spark, DatasetConfig config) {
    String table = config.table();
    boolean catalog = ConfigLoader.isCatalogName(table);
    boolean exists;
    try {
      exists = catalog ? spark.catalog().tableExists(table) : DeltaTable.isDeltaTable(spark, table);
    } catch (Exception e) {
      throw AssayException.invalidAt(
          config.keyPath() + ".table", "cannot open '" + table + "': " + e.getMessage());
    }
    if (!exists) {
      throw AssayException.invalidAt(
          config.keyPath() + ".table",
          "no Delta table at '"
              + table
              + "'. Expected a Delta table path or catalog name;"
              + " create the table or fix the path (relative paths resolve against the config file's folder).");
    }
    try {
      return catalog ? DeltaTable.forName(spark, table) : DeltaTable.forPath(spark, table);
    } catch (Exception e) {
      throw AssayException.invalidAt(
          config.keyPath() + ".table", "'" + table + "' is not a Delta table: " + e.getMessage());
    }
  }

  public DatasetConfig config() {
    return config;
  }

  public long version() {
    return version;
  }

  public StructType schema() {
    return schema;
  }

  public List<String> numericFeatures() {
    return numericFeatures;
  }

  public List<String> categoricalFeatures() {
    return categoricalFeatures;
  }

  /**
   * The columns of a row's content fingerprint: every column except the partition column, the id
   * columns, the label and {@code fingerprint.exclude}.
   */
  public List<String> fingerprintColumns() {
    java.util.Set<String> left = new java.util.HashSet<>(config.idColumns());
    left.addAll(config.fingerprintExclude());
    left.add(config.partitionColumn());
    config.labelColumn().ifPresent(left::add);
    List<String> columns = new java.util.ArrayList<>();
    for (String name : schema.fieldNames()) {
      if (!left.contains(name)) {
        columns.add(name);
      }
    }
    return columns;
  }

  /** The table's rows at the pinned version. */
  public Dataset<Row> read() {
    if (ConfigLoader.isCatalogName(config.table())) {
      return spark.read().option("versionAsOf", version).table(config.table());
    }
    return spark.read().format("delta").option("versionAsOf", version).load(config.table());
  }

  /** The partition column as a string, the form partitions take in every integrity table. */
  public Column partitionString() {
    return Columns.named(config.partitionColumn()).cast(DataTypes.StringType);
  }

  /** The error for a pending partition that a pass found empty, such as "Cannot profile" it. */
  public AssayException emptyPartition(String action, String partition) {
    return AssayException.invalid(
        action
            + " "
            + config.partitionColumn()
            + "="
            + partition
            + " of "
            + config.table()
            + ": it has no rows at version "
            + version
            + ". Check that the partition was written completely.");
  }

  /** Rows of the given partitions at the pinned version. */
  public Dataset<Row> read(Collection<String> partitions) {
    return read().where(partitionString().isin(partitions.toArray()));
  }

  /**
   * Every partition value at the pinned version, in the partition column's natural order. For a
   * table partitioned by a string, date or integer partition column this reads only the Delta log
   * (the values in the file paths); otherwise it reads the partition column.
   */
  public List<String> partitions() {
    Set<String> values = new TreeSet<>(partitionOrder());
    DataType type = schema.apply(config.partitionColumn()).dataType();
    boolean pathMatchesCast =
        type.equals(DataTypes.StringType)
            || type.equals(DataTypes.DateType)
            || type.equals(DataTypes.IntegerType)
            || type.equals(DataTypes.LongType)
            || type.equals(DataTypes.ShortType)
            || type.equals(DataTypes.ByteType);
    if (partitionedByPartitionColumn && pathMatchesCast) {
      String prefix = config.partitionColumn() + "=";
      boolean allParsed = true;
      for (String file : read().inputFiles()) {
        String value = partitionValueFromPath(file, prefix);
        if (value == null) {
          allParsed = false;
          break;
        }
        if (!value.equals("__HIVE_DEFAULT_PARTITION__")) {
          values.add(value);
        }
      }
      if (allParsed) {
        return new ArrayList<>(values);
      }
      values.clear();
    }
    for (Row row :
        read()
            .select(partitionString())
            .where(partitionString().isNotNull())
            .distinct()
            .collectAsList()) {
      values.add(row.getString(0));
    }
    return new ArrayList<>(values);
  }

  private static String partitionValueFromPath(String file, String prefix) {
    for (String segment : file.split("/")) {
      if (segment.startsWith(prefix)) {
        return URLDecoder.decode(
            segment.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** Orders partition strings by the partition column's type (numbers numerically). */
  public Comparator<String> partitionOrder() {
    DataType type = schema.apply(config.partitionColumn()).dataType();
    boolean numeric =
        type.equals(DataTypes.IntegerType)
            || type.equals(DataTypes.LongType)
            || type.equals(DataTypes.ShortType)
            || type.equals(DataTypes.ByteType)
            || type.equals(DataTypes.DoubleType)
            || type.equals(DataTypes.FloatType)
            || type instanceof DecimalType;
    if (numeric) {
      return Comparator.comparing((String s) -> new java.math.BigDecimal(s))
          .thenComparing(Comparator.naturalOrder());
    }
    return Comparator.naturalOrder();
  }

  /** The same table pinned at another version (time travel). */
  public DatasetTable atVersion(long otherVersion) {
    return new DatasetTable(
        spark,
        config,
        otherVersion,
        schema,
        partitionedByPartitionColumn,
        numericFeatures,
        categoricalFeatures);
  }

  /** True for integer, floating-point and decimal types. */
  public static boolean isNumeric(DataType type) {
    return type.equals(DataTypes.ByteType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.FloatType)
        || type.equals(DataTypes.DoubleType)
        || type instanceof DecimalType;
  }

  static boolean isCategorical(DataType type) {
    return type.equals(DataTypes.StringType)
        || type.equals(DataTypes.BooleanType)
        || type.equals(DataTypes.ByteType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.DateType)
        || type.getClass().getSimpleName().startsWith("StringType");
  }

  /** The schema as {@code name (type), ...}, for error messages. */
  public static String columnList(StructType schema) {
    List<String> parts = new ArrayList<>();
    for (StructField field : schema.fields()) {
      parts.add(field.name() + " (" + field.dataType().simpleString() + ")");
    }
    return String.join(", ", parts);
  }
}
