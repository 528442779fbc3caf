package dev.assay.common.store;

import dev.assay.common.records.TableRecords;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * One integrity table: its name and the record its rows are. Result tables start with {@code
 * dataset}, {@code partition} and {@code run_id}; a result table that carries {@code status} and
 * {@code reason} columns feeds verdicts (see docs/tables.md).
 *
 * @param name the table name under the integrity location ({@code integrity.<name>} in SQL)
 * @param codec converts its record to and from rows; its schema is the table's columns
 */
public record IntegrityTable<R extends Record>(String name, RecordCodec<R> codec) {

  private static final Map<Class<?>, IntegrityTable<?>> TABLES = new ConcurrentHashMap<>();

  /** The table whose rows are {@code record} (one instance per record class). */
  @SuppressWarnings("unchecked")
  public static <R extends Record> IntegrityTable<R> of(Class<R> record) {
    return (IntegrityTable<R>)
        TABLES.computeIfAbsent(
            record,
            r -> new IntegrityTable<>(TableRecords.tableName(record), RecordCodec.of(record)));
  }

  /** The table's columns, derived from its record. */
  public StructType schema() {
    return codec.schema();
  }

  /** A DataFrame of {@code records} with the table's schema. */
  public Dataset<Row> frame(SparkSession spark, Collection<? extends R> records) {
    return codec.toDataFrame(spark, records);
  }

  /** The records of {@code rows} (the table's rows or a selection of its columns), collected. */
  public List<R> collect(Dataset<Row> rows) {
    return codec.collect(rows);
  }

  /** True when rows carry a per-row {@code status} and {@code reason} that verdicts read. */
  public boolean feedsVerdicts() {
    return TableRecords.feedsVerdicts(codec.type());
  }

  /**
   * Delta partition columns: {@code dataset}, plus {@code partition} for per-partition result
   * tables, so replacing a partition's rows drops whole files without scanning the table.
   */
  public String[] partitionColumns() {
    return hasColumn("partition")
        ? new String[] {"dataset", "partition"}
        : new String[] {"dataset"};
  }

  public boolean hasColumn(String column) {
    for (String field : schema().fieldNames()) {
      if (field.equals(column)) {
        return true;
      }
    }
    return false;
  }
}
