package dev.assay.common.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.max;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.store.RunInfo;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.PartitionChanges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a job on a dataset: opens the dataset at one version, resolves the partitions, sets a
 * readable Spark job group, puts {@code run_id} in the Log4j2 ThreadContext, records the run and
 * maps failures to exit codes. Bad input (exit 2) writes nothing; a runtime failure (exit 3) is
 * recorded as FAILED and its results were never committed.
 */
public final class JobRunner {
  private static final Logger LOG = LogManager.getLogger(JobRunner.class);

  private final SparkSession spark;
  private final AssayConfig config;
  private final IntegrityStore store;

  public JobRunner(SparkSession spark, AssayConfig config) {
    this.spark = spark;
    this.config = config;
    this.store = IntegrityStore.open(spark, config.integrity());
  }

  public IntegrityStore store() {
    return store;
  }

  public SparkSession spark() {
    return spark;
  }

  public AssayConfig config() {
    return config;
  }

  /**
   * Runs a job on the dataset at its latest version; in pending mode, a job that reads profiles
   * reads the version the latest {@link Job#SNAPSHOT_JOB} run read instead, so the jobs of a
   * nightly run as separate applications judge one snapshot, and rows that arrive meanwhile wait.
   */
  public RunResult run(Job job, DatasetConfig dataset, PartitionSelection selection) {
    DatasetTable table = DatasetTable.open(spark, dataset);
    if (selection.isPending() && job.readsProfiles()) {
      Long snapshot = latestVersionRead(Job.SNAPSHOT_JOB, dataset.name());
      if (snapshot != null && snapshot < table.version()) {
        LOG.info(
            "{} {}: reading version {}, the snapshot {} read (the table is at {})",
            job.name(),
            dataset.name(),
            snapshot,
            Job.SNAPSHOT_JOB,
            table.version());
        table = table.atVersion(snapshot);
      }
    }
    return run(job, table, selection);
  }

  /** The dataset version the latest successful run of {@code job} read, or null. */
  private Long latestVersionRead(String job, String dataset) {
    List<Row> latest =
        store
            .read(IntegrityTables.RUNS)
            .where(
                col("dataset")
                    .equalTo(dataset)
                    .and(col("job").equalTo(job))
                    .and(col("status").equalTo("SUCCEEDED")))
            .orderBy(col("finished_at").desc())
            .select("input_version")
            .limit(1)
            .collectAsList();
    return latest.isEmpty() ? null : latest.get(0).getLong(0);
  }

  /**
   * Runs a job on the dataset pinned at {@code table}'s version. A nightly passes one table to
   * every job of a dataset, so they all judge the same snapshot: rows that arrive meanwhile wait
   * for the next run (and the gate blocks their partition until then).
   */
  public RunResult run(Job job, DatasetTable table, PartitionSelection selection) {
    DatasetConfig dataset = table.config();
    List<String> all = table.partitions();
    List<String> partitions = resolve(job, table, all, selection);
    if (!partitions.isEmpty()) {
      Set<String> widened = new HashSet<>(partitions);
      widened.addAll(job.alsoProcess(store, table, all, partitions));
      if (widened.size() > partitions.size()) {
        partitions = new ArrayList<>(all);
        partitions.retainAll(widened);
      }
    }
    String runId = UUID.randomUUID().toString();
    if (partitions.isEmpty()) {
      return new RunResult(
          job.name(), dataset.name(), runId, List.of(), new JobOutcome(0, "no pending partitions"));
    }
    RunInfo run =
        new RunInfo(
            runId,
            job.name(),
            dataset.name(),
            partitions,
            dataset.table(),
            table.version(),
            config.sha256(),
            Instant.now());
    JobContext context = new JobContext(spark, config, table, store, run, partitions, all);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (CloseableThreadContext.Instance ignored =
        CloseableThreadContext.put("run_id", runId)
            .put("job", job.name())
            .put("dataset", dataset.name())) {
      sc.setJobGroup("assay:" + job.name() + ":" + runId, job.describe(context), false);
      LOG.info(
          "{} {} on {} partition(s) of {} at version {}",
          job.name(),
          dataset.name(),
          partitions.size(),
          dataset.table(),
          table.version());
      JobOutcome outcome;
      try {
        outcome = job.run(context);
      } catch (AssayException e) {
        if (e.exitCode() == ExitCode.INVALID) {
          throw e;
        }
        recordFailure(run, e);
        throw e;
      } catch (Exception e) {
        recordFailure(run, e);
        throw AssayException.failed(
            "Job "
                + job.name()
                + " failed on "
                + dataset.name()
                + " (run "
                + runId
                + "): "
                + e
                + ". Nothing from this run was committed; re-run it once the cause is fixed.",
            e);
      }
      store.recordRun(run, "SUCCEEDED", outcome.rowsRead(), outcome.message());
      LOG.info(
          "{} {} done in {} ms: {}",
          job.name(),
          dataset.name(),
          java.time.Duration.between(run.startedAt(), Instant.now()).toMillis(),
          outcome.message());
      return new RunResult(job.name(), dataset.name(), runId, partitions, outcome);
    } finally {
      sc.clearJobGroup();
    }
  }

  private void recordFailure(RunInfo run, Exception e) {
    try {
      store.recordRun(run, "FAILED", 0, String.valueOf(e));
    } catch (RuntimeException secondary) {
      LOG.error("Cannot record the failure of run {} in the runs table", run.runId(), secondary);
    }
  }

  private List<String> resolve(
      Job job, DatasetTable table, List<String> all, PartitionSelection selection) {
    if (selection.isAll()) {
      return all;
    }
    if (!selection.isPending()) {
      Set<String> known = new HashSet<>(all);
      for (String value : selection.values()) {
        if (!known.contains(value)) {
          List<String> latest = all.subList(Math.max(0, all.size() - 5), all.size());
          throw AssayException.invalid(
              "Cannot find partition "
                  + table.config().partitionColumn()
                  + "="
                  + value
                  + " in "
                  + table.config().table()
                  + ": it has no rows. The table has "
                  + all.size()
                  + " partition(s)"
                  + (latest.isEmpty() ? "" : ", the latest " + latest)
                  + ". Pass an existing value with -p, or use --all.");
        }
      }
      List<String> ordered = new ArrayList<>(all);
      ordered.retainAll(new HashSet<>(selection.values()));
      return ordered;
    }
    String dataset = table.config().name();
    Map<String, Long> seenAt = processedAt(job.name(), dataset);
    Set<String> done = new HashSet<>(seenAt.keySet());
    // rows that arrived in a judged partition after its run make it pending again
    done.removeAll(new PartitionChanges(spark, table).changedAfter(seenAt));
    if (job.pending() == Job.Pending.OLDER_THAN_OTHER_JOBS) {
      done.removeAll(staleAfterOtherJobs(job.name(), dataset));
    }
    List<String> pending = new ArrayList<>();
    for (String value : all) {
      if (!done.contains(value)) {
        pending.add(value);
      }
    }
    return pending;
  }

  /**
   * Partitions where another job's successful run finished after {@code job}'s latest successful
   * run on them started, as when the jobs of a nightly run as separate applications (Airflow
   * tasks).
   */
  private Set<String> staleAfterOtherJobs(String job, String dataset) {
    Dataset<Row> runs =
        store
            .read(IntegrityTables.RUNS)
            .where(col("dataset").equalTo(dataset).and(col("status").equalTo("SUCCEEDED")))
            .select(
                col("job"),
                col("started_at"),
                col("finished_at"),
                explode(col("partitions")).as("partition"));
    Dataset<Row> own =
        runs.where(col("job").equalTo(job))
            .groupBy("partition")
            .agg(max("started_at").as("judged_at"));
    Dataset<Row> others =
        runs.where(col("job").notEqual(job))
            .groupBy("partition")
            .agg(max("finished_at").as("changed_at"));
    Set<String> stale = new HashSet<>();
    for (Row row :
        own.join(others, "partition")
            .where(col("changed_at").gt(col("judged_at")))
            .select("partition")
            .collectAsList()) {
      stale.add(row.getString(0));
    }
    return stale;
  }

  /**
   * Per partition with a successful run of {@code job}, the newest dataset version such a run read.
   */
  private Map<String, Long> processedAt(String job, String dataset) {
    Map<String, Long> seen = new HashMap<>();
    for (Row row :
        store
            .read(IntegrityTables.RUNS)
            .where(
                col("dataset")
                    .equalTo(dataset)
                    .and(col("job").equalTo(job))
                    .and(col("status").equalTo("SUCCEEDED")))
            .select(explode(col("partitions")).as("partition"), col("input_version"))
            .groupBy("partition")
            .agg(max("input_version"))
            .collectAsList()) {
      seen.put(row.getString(0), row.getLong(1));
    }
    return seen;
  }

  /** Partitions with a successful run of {@code job} for {@code dataset}. */
  public Set<String> processed(String job, String dataset) {
    Set<String> done = new HashSet<>();
    for (Row row :
        store
            .read(IntegrityTables.RUNS)
            .where(
                col("dataset")
                    .equalTo(dataset)
                    .and(col("job").equalTo(job))
                    .and(col("status").equalTo("SUCCEEDED")))
            .select(explode(col("partitions")))
            .distinct()
            .collectAsList()) {
      done.add(row.getString(0));
    }
    return done;
  }
}
