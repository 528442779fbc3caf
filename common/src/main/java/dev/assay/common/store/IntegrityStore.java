package dev.assay.common.store;

import dev.assay.common.AssayException;
import dev.assay.common.config.IntegrityLocation;
import dev.assay.common.records.PartitionRun;
import dev.assay.common.records.RunRecord;
import dev.assay.common.table.Columns;
import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The Delta integrity tables. Each (job, dataset, partition) result set is replaced in one Delta
 * commit ({@code replaceWhere}), so re-runs never duplicate rows and no partial result is ever
 * visible. Every commit carries the run's provenance as {@code userMetadata}. Concurrent commits
 * that conflict are retried. Writes merge the schema: a nullable column that a newer Assay adds to
 * a table (such as {@code feature_profiles.exact_values}) is added to an existing table by its
 * first write, and older rows read it as null.
 */
public final class IntegrityStore {
  private static final Logger LOG = LogManager.getLogger(IntegrityStore.class);
  private static final int MAX_ATTEMPTS = 8;

  private final SparkSession spark;
  private final IntegrityLocation location;

  private IntegrityStore(SparkSession spark, IntegrityLocation location) {
    this.spark = spark;
    this.location = location;
  }

  public static IntegrityStore open(SparkSession spark, IntegrityLocation location) {
    return new IntegrityStore(spark, location);
  }

  public IntegrityLocation location() {
    return location;
  }

  /** The table's path, or its catalog name. */
  public String ref(IntegrityTable<?> table) {
    return location
        .path()
        .map(p -> p + "/" + table.name())
        .orElseGet(() -> location.catalogSchema().orElseThrow() + "." + table.name());
  }

  private boolean inCatalog() {
    return location.catalogSchema().isPresent();
  }

  /**
   * True when the table has at least one commit (a log folder left by a killed creation is not a
   * table).
   */
  public boolean exists(IntegrityTable<?> table) {
    if (inCatalog()) {
      return spark.catalog().tableExists(ref(table));
    }
    if (!DeltaTable.isDeltaTable(spark, ref(table))) {
      return false;
    }
    try {
      return !DeltaTable.forPath(spark, ref(table)).history(1).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  /** A commit-less log folder older than this was left by a killed creation. */
  private static final long STALE_LOG_MILLIS = 60_000;

  /**
   * Creates the table, partitioned by dataset, unless it exists. Safe under concurrency, and after
   * a process was killed while creating it (a log folder without any commit is cleared first).
   */
  public void ensure(IntegrityTable<?> table) {
    for (int attempt = 1; !exists(table); attempt++) {
      try {
        if (!inCatalog()) {
          clearUncommittedLog(ref(table), attempt >= 3);
        }
        var builder =
            DeltaTable.createIfNotExists(spark)
                .addColumns(table.schema())
                .partitionedBy(table.partitionColumns())
                .property("delta.appendOnly", table == IntegrityTables.RUNS ? "true" : "false");
        builder = inCatalog() ? builder.tableName(ref(table)) : builder.location(ref(table));
        builder.execute();
      } catch (Exception e) {
        if (!exists(table) && attempt >= 5) {
          throw AssayException.failed(
              "Cannot create integrity table " + ref(table) + ": " + e.getMessage(), e);
        }
        try {
          Thread.sleep(200L * attempt); // another writer may be creating it right now
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw AssayException.failed("Interrupted while creating " + ref(table), interrupted);
        }
      }
    }
  }

  /**
   * Removes a log folder without any commit: one left by a killed creation. A fresh one may belong
   * to a concurrent creation, so it is kept unless {@code evenFresh} (it stayed empty while we
   * waited).
   */
  private void clearUncommittedLog(String tablePath, boolean evenFresh) {
    try {
      Path log = new Path(tablePath, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(log)
          || !evenFresh
              && System.currentTimeMillis() - fs.getFileStatus(log).getModificationTime()
                  < STALE_LOG_MILLIS) {
        return;
      }
      if (hasCommits(fs, log)) {
        return;
      }
      LOG.warn(
          "Removing {}: a log folder without any commit, left by an interrupted table creation",
          log);
      fs.delete(log, true);
    } catch (IOException e) {
      throw AssayException.failed(
          "Cannot inspect " + tablePath + "/_delta_log: " + e.getMessage(), e);
    }
  }

  /** Whether a log folder holds a commit or checkpoint (a killed creation leaves none). */
  private static boolean hasCommits(FileSystem fs, Path log) throws IOException {
    for (FileStatus file : fs.listStatus(log)) {
      String name = file.getPath().getName();
      if (name.endsWith(".json") || name.endsWith(".parquet") || name.equals("_last_checkpoint")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every row of the table; an empty frame with its schema when it was never created. Reads never
   * create tables: only writers do.
   */
  public Dataset<Row> read(IntegrityTable<?> table) {
    return readIfCreated(table)
        .orElseGet(() -> spark.createDataFrame(List.<Row>of(), table.schema()));
  }

  /**
   * The table's rows without creating it: empty when it was never created, or when a killed
   * creation left a log folder without any commit (the next writer clears it). A table with commits
   * that cannot be read (a damaged or missing log file, say) is an error naming it, never "empty".
   */
  public java.util.Optional<Dataset<Row>> readIfCreated(IntegrityTable<?> table) {
    try {
      if (inCatalog()) {
        return spark.catalog().tableExists(ref(table))
            ? java.util.Optional.of(spark.read().table(ref(table)))
            : java.util.Optional.empty();
      }
      Path log = new Path(ref(table), "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(log) || !hasCommits(fs, log)) {
        return java.util.Optional.empty();
      }
      Dataset<Row> rows = spark.read().format("delta").load(ref(table));
      rows.schema();
      return java.util.Optional.of(rows);
    } catch (Exception e) {
      throw AssayException.failed(
          "integrity table " + table.name() + " unreadable: " + ref(table) + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Replaces the rows of {@code dataset} for the given partitions with {@code rows}, atomically.
   */
  public void replacePartitions(
      IntegrityTable<?> table,
      String dataset,
      Collection<String> partitions,
      Dataset<Row> rows,
      RunInfo run) {
    replace(table, dataset, "partition", partitions, rows, run);
  }

  /**
   * Replaces the rows of {@code dataset} whose {@code keyColumn} is one of {@code keys} with {@code
   * rows} in one commit. Rows outside that key set are rejected by Delta, never written. When there
   * is nothing to write and nothing to replace, no commit is made.
   */
  public void replace(
      IntegrityTable<?> table,
      String dataset,
      String keyColumn,
      Collection<String> keys,
      Dataset<Row> rows,
      RunInfo run) {
    if (keys.isEmpty()) {
      return;
    }
    ensure(table);
    List<String> literals = new ArrayList<>();
    for (String key : keys) {
      literals.add(Columns.sqlString(key));
    }
    String predicate =
        "dataset = "
            + Columns.sqlString(dataset)
            + " AND "
            + keyColumn
            + " IN ("
            + String.join(", ", literals)
            + ")";
    Dataset<Row> aligned = rows.select(table.schema().fieldNames()[0], restOf(table));
    if (aligned.isEmpty() && read(table).where(functions.expr(predicate)).isEmpty()) {
      return;
    }
    withRetry(
        table,
        run,
        () -> {
          // mergeSchema: a table written by an older Assay gains the nullable columns added since.
          var writer =
              aligned
                  .write()
                  .format("delta")
                  .mode("overwrite")
                  .option("replaceWhere", predicate)
                  .option("mergeSchema", "true")
                  .option("userMetadata", run.toJson());
          if (inCatalog()) {
            writer.saveAsTable(ref(table));
          } else {
            writer.save(ref(table));
          }
        });
  }

  /** Replaces the rows of {@code dataset} for the given partitions with {@code records}. */
  public <R extends Record> void replacePartitions(
      IntegrityTable<R> table,
      String dataset,
      Collection<String> partitions,
      List<? extends R> records,
      RunInfo run) {
    replacePartitions(table, dataset, partitions, table.frame(spark, records), run);
  }

  /** Appends rows in one commit (the runs audit table). */
  public void append(IntegrityTable<?> table, Dataset<Row> rows, RunInfo run) {
    ensure(table);
    Dataset<Row> aligned = rows.select(table.schema().fieldNames()[0], restOf(table));
    withRetry(
        table,
        run,
        () -> {
          var writer =
              aligned
                  .write()
                  .format("delta")
                  .mode("append")
                  .option("mergeSchema", "true")
                  .option("userMetadata", run.toJson());
          if (inCatalog()) {
            writer.saveAsTable(ref(table));
          } else {
            writer.save(ref(table));
          }
        });
  }

  /**
   * Runs a Delta operation on the table (a MERGE, say) as one commit that carries the run as
   * userMetadata, retried on conflicts like every other write.
   */
  public void commit(IntegrityTable<?> table, RunInfo run, Runnable operation) {
    ensure(table);
    String key = "spark.databricks.delta.commitInfo.userMetadata";
    withRetry(
        table,
        run,
        () -> {
          spark.conf().set(key, run.toJson());
          try {
            operation.run();
          } finally {
            spark.conf().unset(key);
          }
        });
  }

  /** Records one finished run in the runs table. */
  public void recordRun(RunInfo run, String status, long rowsRead, String message) {
    RunRecord record =
        new RunRecord(
            run.dataset(),
            run.runId(),
            run.job(),
            run.partitions(),
            run.inputTable(),
            run.inputVersion(),
            run.configSha256(),
            RunInfo.assayVersion(),
            Timestamp.from(run.startedAt()),
            Timestamp.from(Instant.now()),
            status,
            rowsRead,
            message);
    append(IntegrityTables.RUNS, IntegrityTables.RUNS.frame(spark, List.of(record)), run);
  }

  /**
   * The successful runs of {@code dataset}'s jobs that {@code jobs} selects (a SQL condition on
   * {@code job}), one record per partition among {@code partitions} that each covered.
   */
  public List<PartitionRun> succeededRuns(
      String dataset, String jobs, Collection<String> partitions) {
    if (partitions.isEmpty()) {
      return List.of();
    }
    return RecordCodec.of(PartitionRun.class)
        .collect(
            read(IntegrityTables.RUNS)
                .where(
                    "dataset = "
                        + Columns.sqlString(dataset)
                        + " AND status = 'SUCCEEDED' AND ("
                        + jobs
                        + ")")
                .selectExpr(
                    "explode(partitions) AS partition",
                    "run_id",
                    "job",
                    "input_version",
                    "started_at",
                    "finished_at")
                .where(functions.col("partition").isin(partitions.toArray())));
  }

  private static String[] restOf(IntegrityTable<?> table) {
    String[] names = table.schema().fieldNames();
    String[] rest = new String[names.length - 1];
    System.arraycopy(names, 1, rest, 0, rest.length);
    return rest;
  }

  private void withRetry(IntegrityTable<?> table, RunInfo run, Runnable commit) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        commit.run();
        LOG.info("Committed to {} in {} ms", table.name(), (System.nanoTime() - start) / 1_000_000);
        return;
      } catch (DeltaConcurrentModificationException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw AssayException.failed(
              "Cannot commit to "
                  + ref(table)
                  + " after "
                  + attempt
                  + " attempts: concurrent writers"
                  + " kept conflicting ("
                  + e.getMessage()
                  + "). Re-run; results are replaced, never duplicated.",
              e);
        }
        long pause = 200L * attempt + ThreadLocalRandom.current().nextLong(300);
        LOG.warn(
            "Commit to {} for run {} conflicted ({}); retry {} in {} ms",
            ref(table),
            run.runId(),
            e.getClass().getSimpleName(),
            attempt,
            pause);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw AssayException.failed(
              "Interrupted while retrying a commit to " + ref(table), interrupted);
        }
      }
    }
  }
}
