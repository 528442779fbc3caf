package dev.assay.common.table;

import dev.assay.common.AssayException;
import dev.assay.common.table.DeltaCommits.Commit;
import dev.assay.common.table.DeltaCommits.FileAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
public final class PartitionChanges {
  private final DatasetTable table;
  private final DeltaCommits log;
  private final boolean comparable;
  private final boolean integral;
  private final Map<Long, Commit> commits = new HashMap<>();
  private final Map<Long, String> schemaAt = new HashMap<>();

  public PartitionChanges(SparkSession spark, DatasetTable table) {
    this.table = table;
    this.log = DeltaCommits.of(spark, table.config().table());
    DataType type = table.schema().apply(table.config().partitionColumn()).dataType();
    // only these types are written to the log as exactly the partition's string form
    this.comparable =
        type.equals(DataTypes.StringType)
            || type.equals(DataTypes.DateType)
            || type.equals(DataTypes.IntegerType)
            || type.equals(DataTypes.LongType)
            || type.equals(DataTypes.ShortType)
            || type.equals(DataTypes.ByteType);
    this.integral =
        type.equals(DataTypes.IntegerType)
            || type.equals(DataTypes.LongType)
            || type.equals(DataTypes.ShortType)
            || type.equals(DataTypes.ByteType);
  }

  /**
   * The commits after {@code verified} that changed {@code partition}'s data, described one per
   * line; empty when none did. Throws when the log cannot be read from {@code verified} on.
   */
  public List<String> since(long verified, String partition) {
    List<String> changes = new ArrayList<>();
    Map<String, String> where =
        comparable ? Map.of(table.config().partitionColumn(), partition) : Map.of();
    for (long version = verified + 1; version <= table.version(); version++) {
      Commit commit = commits.computeIfAbsent(version, log::read);
      if (commit.schemaString() != null && !sameSchema(verified, commit.schemaString())) {
        changes.add(
            "version " + version + " (" + commit.operation() + ") changed the table's schema");
        continue;
      }
      boolean touched = false;
      for (FileAction file : commit.files()) {
        touched |= commit.changes(file) && DeltaCommits.mayTouch(file, where, integral);
      }
      if (touched) {
        changes.add(
            "version "
                + version
                + " ("
                + commit.operation()
                + (commit.deletionVectors() ? ", with deletion vectors" : "")
                + ") changed its data");
      }
    }
    return changes;
  }

  /**
   * The partitions whose data changed after the version given for each, as far back as the log
   * reaches (it is read from the newest commit down, and log files cleaned up after a checkpoint
   * end the search: older changes were seen by earlier runs). When the partition column's type
   * cannot be matched in the log, any data change counts for every partition.
   */
  public Set<String> changedAfter(Map<String, Long> seenAt) {
    Set<String> changed = new TreeSet<>();
    if (seenAt.isEmpty()) {
      return changed;
    }
    long oldest = seenAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    for (long version = table.version(); version > oldest; version--) {
      Commit commit;
      try {
        commit = commits.computeIfAbsent(version, log::read);
      } catch (AssayException e) {
        break;
      }
      for (Map.Entry<String, Long> entry : seenAt.entrySet()) {
        if (entry.getValue() >= version || changed.contains(entry.getKey())) {
          continue;
        }
        // a partition column the log cannot be matched on: every data change may touch every
        // partition
        Map<String, String> where =
            comparable ? Map.of(table.config().partitionColumn(), entry.getKey()) : Map.of();
        for (FileAction file : commit.files()) {
          if (commit.changes(file) && DeltaCommits.mayTouch(file, where, integral)) {
            changed.add(entry.getKey());
            break;
          }
        }
      }
    }
    return changed;
  }

  /** Whether a new schema has the same columns and types as the table at the verified version. */
  private boolean sameSchema(long verified, String schemaJson) {
    String before =
        schemaAt.computeIfAbsent(verified, v -> table.atVersion(v).read().schema().catalogString());
    try {
      return DataType.fromJson(schemaJson).catalogString().equals(before);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
