package dev.assay.jobs.gate;

import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.DeltaCommits;
import dev.assay.common.table.DeltaCommits.Commit;
import dev.assay.common.table.DeltaCommits.FileAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Whether a partition's data changed after the version it was verified at, read from the dataset's
 * Delta log. Every commit since then that touches the partition with {@code dataChange = true}
 * counts: appends, deletes (also by deletion vector), updates, merges, overwrites (even identical
 * ones), RESTORE. Commits that only lay files out again (OPTIMIZE, ZORDER, deletion-vector purges:
 * {@code dataChange = false}) and VACUUM do not. A schema change counts for every partition.
 */
final class DataChanges {
  private final DatasetTable table;
  private final DeltaCommits log;
  private final boolean comparable;
  private final Map<Long, Commit> commits = new HashMap<>();
  private final Map<Long, String> schemaAt = new HashMap<>();

  DataChanges(SparkSession spark, DatasetTable table) {
    this.table = table;
    this.log = DeltaCommits.of(spark, table.config().table());
    DataType type = table.schema().apply(table.config().partitionColumn()).dataType();
    // only these types are written to the log as exactly the partition's string form
    this.comparable = type.equals(DataTypes.StringType) || type.equals(DataTypes.DateType)
        || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
  }

  /**
   * The commits after {@code verified} that changed {@code partition}'s data, described one per
   * line; empty when none did. Throws when the log cannot be read from {@code verified} on.
   */
  List<String> since(long verified, String partition) {
    List<String> changes = new ArrayList<>();
    Map<String, String> where = comparable ? Map.of(table.config().partitionColumn(), partition) : Map.of();
    for (long version = verified + 1; version <= table.version(); version++) {
      Commit commit = commits.computeIfAbsent(version, log::read);
      if (commit.schemaString() != null && !sameSchema(verified, commit.schemaString())) {
        changes.add("version " + version + " (" + commit.operation() + ") changed the table's schema");
        continue;
      }
      boolean touched = false;
      for (FileAction file : commit.files()) {
        touched |= file.dataChange() && DeltaCommits.mayTouch(file, where);
      }
      if (touched) {
        changes.add("version " + version + " (" + commit.operation()
            + (commit.deletionVectors() ? ", with deletion vectors" : "") + ") changed its data");
      }
    }
    return changes;
  }

  /** Whether a new schema has the same columns and types as the table at the verified version. */
  private boolean sameSchema(long verified, String schemaJson) {
    String before = schemaAt.computeIfAbsent(verified, v -> table.atVersion(v).read().schema().catalogString());
    try {
      return DataType.fromJson(schemaJson).catalogString().equals(before);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
