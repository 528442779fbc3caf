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
 * Read-only access to a config's integrity tables, for notebooks, {@code assay sql} and {@code assay report}.
 *
 * <p>Opening it makes every integrity table queryable as {@code integrity.<table>} (tables stored by path; in a
 * catalog they keep their own names, see {@link #table}) and every dataset as a view named after it.
 * Nothing is ever written to the integrity tables.
 */
public final class IntegrityLake {
  /** Rows {@link #rows} brings to the driver at most, so a careless query cannot flood it. */
  public static final int MAX_ROWS = 10_000;

  private final SparkSession spark;
  private final AssayConfig config;
  private final IntegrityStore store;
  private final Map<String, String> unreadable = new LinkedHashMap<>();
  private final Set<String> emptyInCatalog = new HashSet<>();

  private IntegrityLake(SparkSession spark, AssayConfig config) {
    this.spark = spark;
    this.config = config;
    this.store = IntegrityStore.open(spark, config.integrity());
  }

  /** Opens the config at {@code configPath} with the local embedded Spark session (or the active one). */
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
   * Partition order for charts, read from the names alone: numbers (federated rounds) by value, then
   * everything else (dates, labels) as text.
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

  /** Datasets whose table could not be opened, with the reason; their integrity rows are still readable. */
  public Map<String, String> unreadableDatasets() {
    return Map.copyOf(unreadable);
  }

  /**
   * The SQL name of an integrity table: {@code integrity.<name>} for tables stored by path, the table's
   * own name ({@code <schema>.<name>}) for tables in a catalog, or an empty temporary view with its schema
   * when a catalog table does not exist yet.
   */
  public String table(String name) {
    IntegrityTable table = byName(name);
    if (config.integrity().path().isPresent()) {
      return "integrity." + table.name();
    }
    return emptyInCatalog.contains(table.name()) ? "assay_empty_" + table.name() : store.ref(table);
  }

  /** An integrity table as a DataFrame. */
  public Dataset<Row> read(String name) {
    return store.read(byName(name));
  }

  /** Whether an integrity table has been written yet. */
  public boolean exists(String name) {
    return store.exists(byName(name));
  }

  /** Runs SQL; a query that does not parse or resolve is a bad-input error naming the tables. */
  public Dataset<Row> sql(String query) {
    try {
      return spark.sql(query);
    } catch (Exception e) {
      throw AssayException.invalid("Invalid SQL: " + e.getMessage().lines().findFirst().orElse("")
          + ". Tables are integrity.<" + String.join("|", tableNames()) + "> and the dataset views "
          + datasets() + ".");
    }
  }

  /**
   * Runs SQL and collects its rows to the driver; a result of more than {@link #MAX_ROWS} rows is refused
   * rather than cut short silently (aggregate, filter or add a LIMIT).
   */
  public List<Row> rows(String query) {
    List<Row> rows = sql(query).limit(MAX_ROWS + 1).collectAsList();
    if (rows.size() > MAX_ROWS) {
      throw AssayException.invalid("The query returned more than " + MAX_ROWS + " rows, more than a notebook or"
          + " report should bring to the driver; aggregate, filter or add a LIMIT: " + query);
    }
    return rows;
  }

  /** The names of every integrity table. */
  public static List<String> tableNames() {
    return IntegrityTables.all().stream().map(IntegrityTable::name).toList();
  }

  private static IntegrityTable byName(String name) {
    String bare = name.startsWith("integrity.") ? name.substring("integrity.".length()) : name;
    return IntegrityTables.all().stream().filter(t -> t.name().equals(bare)).findFirst()
        .orElseThrow(() -> AssayException.invalid("Unknown integrity table '" + name + "'; expected one of "
            + tableNames() + "."));
  }

  /**
   * Names each stored integrity table {@code integrity.<table>}; a table no job has written yet becomes an
   * empty view with the table's schema, so queries work on a young lake without writing anything.
   */
  private void registerIntegrityTables() {
    if (config.integrity().path().isPresent()) {
      spark.sql("CREATE DATABASE IF NOT EXISTS integrity");
      Map<String, String> registered = new LinkedHashMap<>();
      spark.sql("SHOW TABLES IN integrity").collectAsList()
          .forEach(row -> registered.put(row.getString(1), row.getBoolean(2) ? "TEMP" : "TABLE"));
      for (String view : spark.sql("SHOW VIEWS IN integrity").collectAsList().stream().map(r -> r.getString(1))
          .toList()) {
        registered.put(view, "VIEW");
      }
      for (IntegrityTable table : IntegrityTables.all()) {
        String name = "integrity." + table.name();
        String kind = registered.get(table.name());
        if (kind != null) {
          spark.sql(("VIEW".equals(kind) ? "DROP VIEW " : "DROP TABLE ") + name);
        }
        if (store.exists(table)) {
          spark.catalog().createTable(name, store.ref(table), "delta");
        } else {
          spark.sql("CREATE VIEW " + name + " AS SELECT " + emptyColumns(table) + " WHERE false");
        }
      }
    } else {
      for (IntegrityTable table : IntegrityTables.all()) {
        if (!store.exists(table)) { // a session-local stand-in: the catalog is never written
          spark.sql("CREATE OR REPLACE TEMPORARY VIEW assay_empty_" + table.name() + " AS SELECT "
              + emptyColumns(table) + " WHERE false");
          emptyInCatalog.add(table.name());
        }
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

  private static String emptyColumns(IntegrityTable table) {
    List<String> columns = new ArrayList<>();
    for (StructField field : table.schema().fields()) {
      columns.add("CAST(NULL AS " + field.dataType().sql() + ") AS `" + field.name() + "`");
    }
    return String.join(", ", columns);
  }
}
