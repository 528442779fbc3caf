package dev.assay.common.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The commits of a Delta table read straight from its log ({@code _delta_log/<version>.json}):
 * which files each commit added or removed, in which partition, and whether Delta marked the change
 * as a data change. Layout-only commits (OPTIMIZE, ZORDER, deletion-vector purges) carry {@code
 * dataChange = false}; appends, DELETE (with or without deletion vectors), UPDATE, MERGE,
 * overwrites and RESTORE carry {@code dataChange = true}.
 */
public final class DeltaCommits {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Delta's operations that only rewrite files (compaction, ZORDER, clustering, deletion-vector
   * purge).
   */
  static final java.util.Set<String> LAYOUT_OPERATIONS = java.util.Set.of("OPTIMIZE", "REORG");

  /**
   * Delta truncates string statistics to this many characters; a longer-looking max may be a
   * prefix.
   */
  private static final int STATS_STRING_PREFIX = 32;

  /** One add or remove action. {@code stats} is the file's JSON statistics, or null. */
  public record FileAction(
      boolean added,
      String path,
      Map<String, String> partitionValues,
      boolean dataChange,
      boolean deletionVector,
      String stats) {}

  /**
   * One commit. {@code schemaString} is the new schema when the commit changed the table's
   * metadata, else null; {@code userMetadata} is what the writer attached (Assay's run provenance),
   * or null.
   */
  public record Commit(
      long version,
      String operation,
      String userMetadata,
      List<FileAction> files,
      String schemaString,
      List<String> partitionColumns) {

    /**
     * Whether an action of this commit changes data. {@code dataChange = false} is believed only
     * from the operations that lay files out again: any writer can set that option on an append.
     */
    public boolean changes(FileAction file) {
      return file.dataChange() || !LAYOUT_OPERATIONS.contains(operation);
    }

    /** True when some action of this commit changed data rather than only its layout. */
    public boolean changesData() {
      return files.stream().anyMatch(this::changes);
    }

    /** True when the commit added or changed a deletion vector with a data change. */
    public boolean deletionVectors() {
      return files.stream().anyMatch(f -> changes(f) && f.deletionVector());
    }
  }

  private final SparkSession spark;
  private final String tableRef;
  private final Path log;

  private DeltaCommits(SparkSession spark, String tableRef, Path log) {
    this.spark = spark;
    this.tableRef = tableRef;
    this.log = log;
  }

  /** The log of a table given by path or catalog name. */
  public static DeltaCommits of(SparkSession spark, String tableRef) {
    String location =
        ConfigLoader.isCatalogName(tableRef)
            ? DeltaTable.forName(spark, tableRef).detail().select("location").head().getString(0)
            : tableRef;
    return new DeltaCommits(spark, tableRef, new Path(location, "_delta_log"));
  }

  /** The table's latest version. */
  public long latestVersion() {
    DeltaTable table =
        ConfigLoader.isCatalogName(tableRef)
            ? DeltaTable.forName(spark, tableRef)
            : DeltaTable.forPath(spark, tableRef);
    return table.history(1).select("version").head().getLong(0);
  }

  /**
   * Whether a file action may hold rows where each column of {@code where} has the given value. It
   * answers from the file's partition values, else from its min/max statistics, and says yes when
   * neither tells (an unpartitioned table's remove carries no statistics, say). Pass only columns
   * whose log text equals the partition's string form (string, date and integer columns), and
   * {@code integral} when they are integers (compared as numbers; anything else by code point, as
   * Delta's UTF-8 statistics order).
   */
  public static boolean mayTouch(FileAction file, Map<String, String> where, boolean integral) {
    JsonNode stats = null;
    for (Map.Entry<String, String> condition : where.entrySet()) {
      String column = condition.getKey();
      String value = condition.getValue();
      if (file.partitionValues().containsKey(column)) {
        if (!value.equals(file.partitionValues().get(column))) {
          return false;
        }
        continue;
      }
      if (file.stats() == null) {
        continue;
      }
      try {
        stats = stats == null ? JSON.readTree(file.stats()) : stats;
      } catch (IOException e) {
        continue; // unreadable statistics tell nothing: the file may hold the partition
      }
      JsonNode min = stats.path("minValues").get(column);
      JsonNode max = stats.path("maxValues").get(column);
      if (min == null || max == null || !min.isValueNode() || !max.isValueNode()) {
        continue;
      }
      try {
        if (integral) {
          long v = Long.parseLong(value);
          if (v < Long.parseLong(min.asText()) || v > Long.parseLong(max.asText())) {
            return false;
          }
        } else if (codePointCompare(value, min.asText()) < 0
            || max.asText().codePointCount(0, max.asText().length()) < STATS_STRING_PREFIX
                && codePointCompare(value, max.asText()) > 0) {
          return false;
        }
      } catch (NumberFormatException e) {
        continue; // statistics that do not parse tell nothing
      }
    }
    return true;
  }

  private static int codePointCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The commits after {@code fromExclusive} up to and including {@code toInclusive}, in order. A
   * version whose log file is gone (cleaned up after a checkpoint, or deleted) is an error: nothing
   * can be said about what it changed.
   */
  public List<Commit> between(long fromExclusive, long toInclusive) {
    List<Commit> commits = new ArrayList<>();
    for (long version = fromExclusive + 1; version <= toInclusive; version++) {
      commits.add(read(version));
    }
    return commits;
  }

  /** One commit of the log. */
  public Commit read(long version) {
    Path file = new Path(log, String.format("%020d.json", version));
    try {
      FileSystem fs = file.getFileSystem(spark.sessionState().newHadoopConf());
      String operation = null;
      String userMetadata = null;
      String schema = null;
      List<String> partitionColumns = null;
      List<FileAction> files = new ArrayList<>();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode action = JSON.readTree(line);
          if (action.has("commitInfo")) {
            JsonNode info = action.get("commitInfo");
            operation = text(info, "operation");
            userMetadata = text(info, "userMetadata");
          } else if (action.has("metaData")) {
            JsonNode meta = action.get("metaData");
            schema = text(meta, "schemaString");
            partitionColumns = new ArrayList<>();
            for (JsonNode column : meta.path("partitionColumns")) {
              partitionColumns.add(column.asText());
            }
          } else if (action.has("add") || action.has("remove")) {
            boolean added = action.has("add");
            JsonNode node = action.get(added ? "add" : "remove");
            Map<String, String> values = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("partitionValues").fields();
                it.hasNext(); ) {
              Map.Entry<String, JsonNode> entry = it.next();
              values.put(
                  entry.getKey(), entry.getValue().isNull() ? null : entry.getValue().asText());
            }
            // Delta defaults dataChange to true when a writer leaves it out: so must we.
            boolean dataChange = !node.has("dataChange") || node.get("dataChange").asBoolean();
            files.add(
                new FileAction(
                    added,
                    text(node, "path"),
                    values,
                    dataChange,
                    node.hasNonNull("deletionVector"),
                    text(node, "stats")));
          }
        }
      }
      return new Commit(version, operation, userMetadata, files, schema, partitionColumns);
    } catch (FileNotFoundException e) {
      throw AssayException.failed(
          "the Delta log of "
              + tableRef
              + " has no file for version "
              + version
              + " ("
              + file
              + "): it was cleaned up (delta.logRetentionDuration, 30 days by default) or deleted, so what that"
              + " commit changed cannot be read",
          e);
    } catch (IOException | RuntimeException e) {
      throw AssayException.failed(
          "cannot read version "
              + version
              + " of the Delta log of "
              + tableRef
              + " ("
              + file
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
