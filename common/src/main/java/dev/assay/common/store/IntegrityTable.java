package dev.assay.common.store;

import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * One integrity table: its name and schema. Result tables start with {@code dataset},
 * {@code partition} and {@code run_id}; a result table that carries {@code status} and {@code
 * reason} columns feeds verdicts (see docs/tables.md).
 *
 * @param name the table name under the integrity location ({@code integrity.<name>} in SQL)
 * @param schema its columns
 */
public record IntegrityTable(String name, StructType schema) {

  /** True when rows carry a per-row {@code status} and {@code reason} that verdicts read. */
  public boolean feedsVerdicts() {
    return hasColumn("status") && hasColumn("reason") && hasColumn("partition");
  }

  /**
   * Delta partition columns: {@code dataset}, plus {@code partition} for per-partition result
   * tables, so replacing a partition's rows drops whole files without scanning the table.
   */
  public String[] partitionColumns() {
    return hasColumn("partition") ? new String[] {"dataset", "partition"} : new String[] {"dataset"};
  }

  /** The type of a column, if the table has it. */
  public Optional<DataType> type(String column) {
    for (var field : schema.fields()) {
      if (field.name().equals(column)) {
        return Optional.of(field.dataType());
      }
    }
    return Optional.empty();
  }

  boolean hasColumn(String column) {
    for (String field : schema.fieldNames()) {
      if (field.equals(column)) {
        return true;
      }
    }
    return false;
  }
}
