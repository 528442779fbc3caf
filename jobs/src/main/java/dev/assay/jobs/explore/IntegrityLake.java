package dev.assay.jobs.explore;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.spark.AssaySpark;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Read-only access to a config's integrity tables, for notebooks, {@code assay sql} and {@code
 * assay report}.
 *
 * <p>Opening it makes every integrity table queryable as {@code integrity.<table>} (tables stored
 * by path, in a session catalog without a metastore, as in bin/assay and the notebooks; otherwise
 * see {@link #table}) and every dataset as a view named after it. Nothing is written to the
 * integrity tables or to a shared catalog, and {@link #sql} refuses statements that would change a
 * table.
 */
public final class IntegrityLake {
  /** Rows {@link #rows} brings to the driver at most, so a careless query cannot flood it. */
  public static final int MAX_ROWS = 10_000;

  private final SparkSession spark;
  private final AssayConfig config;
  private final IntegrityStore store;
  private final Map<String, String> unreadable = new LinkedHashMap<>();
  private final Map<String, String> names = new HashMap<>(); // integrity table -> its SQL name

  private IntegrityLake(SparkSession spark, AssayConfig config) {
    this.spark = spark;
    this.config = config;
    this.store = IntegrityStore.open(spark, config.integrity());
  }

  /**
   * Opens the config at {@code configPath} with the local embedded Spark session (or the active
   * one).
   */
  public static IntegrityLake open(String configPath) {
    return open(AssaySpark.session(), ConfigLoader.load(Path.of(configPath)));
  }

  /** Opens an already loaded config on the given session, with a view per dataset. */
  public static IntegrityLake open(SparkSession spark, AssayConfig config) {
    return open(spark, config, true);
  }

  /**
   * Opens an already loaded config; {@code datasetViews} false leaves the datasets unread, so only
   * integrity tables are touched (the report).
   */
  public static IntegrityLake open(SparkSession spark, AssayConfig config, boolean datasetViews) {
    IntegrityLake lake = new IntegrityLake(spark, config);
    lake.registerIntegrityTables();
    if (datasetViews) {
      lake.registerDatasets();
    }
    return lake;
  }

  /**
   * Partition order for charts, read from the names alone: numbers (federated rounds) by value,
   * then everything else (dates, labels) as text.
   */
  public static Comparator<String> partitionOrder() {
    return Comparator.comparing((String p) -> !p.matches("\\d{1,18}"))
        .thenComparing(p -> p.matches("\\d{1,18}") ? Long.parseLong(p) : 0L)
        .thenComparing(Comparator.naturalOrder());
  }

  public SparkSession spark() {
    return spark;
  }

  public AssayConfig config() {
    return config;
  }

  /** Dataset names in config order. */
  public List<String> datasets() {
    return config.datasets().stream().map(DatasetConfig::name).toList();
  }

  /**
   * Datasets whose table could not be opened, with the reason; their integrity rows are still
   * readable.
   */
  public Map<String, String> unreadableDatasets() {
    return Map.copyOf(unreadable);
  }

  /**
   * The SQL name of an integrity table: {@code integrity.<name>} for tables stored by path (in a
   * session catalog that keeps no state, as bin/assay's and the notebooks'; with a shared metastore
   * the path itself, {@code delta.`<path>`}), the table's own name ({@code <schema>.<name>}) for
   * tables in a catalog, or an empty temporary view with the table's schema when no job has written
   * the table yet.
   */
  public String table(String name) {
    return names.get(byName(name).name());
  }

  /**
   * An integrity table as a DataFrame (empty, with the table's schema, when nothing has been
   * written).
   */
  public Dataset<Row> read(String name) {
    return spark.sql("SELECT * FROM " + table(name));
  }

  /**
   * Runs one read-only query over the integrity tables and the dataset views (see {@link
   * ReadOnlyQuery}: Spark's parser decides, and commands, file relations and reflection are
   * refused). A query that does not parse or resolve is a bad-input error naming the tables.
   */
  public Dataset<Row> sql(String query) {
    Set<String> relations = new HashSet<>(names.values());
    relations.addAll(
        datasets().stream()
            .filter(d -> !unreadable.containsKey(d))
            .map(d -> "`" + d.replace("`", "``") + "`")
            .toList());
    ReadOnlyQuery.check(spark, query, relations);
    try {
      return spark.sql(query);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw AssayException.invalid(
          "Invalid SQL: "
              + message.lines().findFirst().orElse("")
              + ". Tables are "
              + String.join(", ", tableNames().stream().map(this::table).toList())
              + ", and the dataset views "
              + datasets()
              + ".");
    }
  }

  /**
   * Runs SQL and collects its rows to the driver; a result of more than {@link #MAX_ROWS} rows is
   * refused rather than cut short silently (aggregate, filter or add a LIMIT).
   */
  public List<Row> rows(String query) {
    List<Row> rows = sql(query).limit(MAX_ROWS + 1).collectAsList();
    if (rows.size() > MAX_ROWS) {
      throw AssayException.invalid(
          "The query returned more than "
              + MAX_ROWS
              + " rows, more than a notebook or"
              + " report should bring to the driver; aggregate, filter or add a LIMIT: "
              + query);
    }
    return rows;
  }

  /** A SQL string literal for {@code value}, with quotes and backslashes escaped. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The names of every integrity table. */
  public static List<String> tableNames() {
    return IntegrityTables.all().stream().map(IntegrityTable::name).toList();
  }

  private static IntegrityTable<?> byName(String name) {
    String bare = name.startsWith("integrity.") ? name.substring("integrity.".length()) : name;
    return IntegrityTables.all().stream()
        .filter(t -> t.name().equals(bare))
        .findFirst()
        .orElseThrow(
            () ->
                AssayException.invalid(
                    "Unknown integrity table '"
                        + name
                        + "'; expected one of "
                        + tableNames()
                        + "."));
  }

  /**
   * Gives every integrity table a SQL name without writing anything: {@code integrity.<table>} in a
   * stateless session catalog, the Delta path with a shared metastore, the catalog name for catalog
   * tables, and an empty temporary view for a table no job has written yet.
   */
  private void registerIntegrityTables() {
    boolean byPath = config.integrity().path().isPresent();
    boolean stateless =
        "in-memory".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"));
    Map<String, Boolean> registered =
        new HashMap<>(); // name in the integrity database -> is a view
    if (byPath && stateless) {
      spark.sql("CREATE DATABASE IF NOT EXISTS integrity");
      for (Row row : spark.sql("SHOW TABLES IN integrity").collectAsList()) {
        if (!row.getBoolean(
            2)) { // temporary views listed here are the session's own, not in the database
          registered.put(row.getString(1), false);
        }
      }
      spark.sql("SHOW VIEWS IN integrity").collectAsList().stream()
          .filter(row -> !row.getBoolean(2))
          .forEach(row -> registered.put(row.getString(1), true));
    }
    for (IntegrityTable<?> table : IntegrityTables.all()) {
      boolean written = store.exists(table);
      String empty = "assay_empty_" + table.name();
      if (!written) {
        spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW "
                + empty
                + " AS SELECT "
                + emptyColumns(table)
                + " WHERE false");
      }
      if (!byPath) {
        names.put(table.name(), written ? store.ref(table) : empty);
      } else if (!stateless) {
        names.put(
            table.name(), written ? "delta.`" + store.ref(table).replace("`", "``") + "`" : empty);
      } else {
        String name = "integrity." + table.name();
        if (registered.containsKey(table.name())) {
          spark.sql(
              (registered.get(table.name()) ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ")
                  + name);
        }
        if (written) {
          spark.catalog().createTable(name, store.ref(table), "delta");
        } else {
          spark.sql("CREATE VIEW " + name + " AS SELECT " + emptyColumns(table) + " WHERE false");
        }
        names.put(table.name(), name);
      }
    }
  }

  private void registerDatasets() {
    for (DatasetConfig dataset : config.datasets()) {
      try {
        DatasetTable.open(spark, dataset).read().createOrReplaceTempView(dataset.name());
      } catch (AssayException e) {
        unreadable.put(dataset.name(), e.getMessage());
      }
    }
  }

  private static String emptyColumns(IntegrityTable<?> table) {
    List<String> columns = new ArrayList<>();
    for (StructField field : table.schema().fields()) {
      columns.add("CAST(NULL AS " + field.dataType().sql() + ") AS `" + field.name() + "`");
    }
    return String.join(", ", columns);
  }
}
