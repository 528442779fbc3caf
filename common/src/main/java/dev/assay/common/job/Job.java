package dev.assay.common.job;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.table.DatasetTable;
import java.util.List;
import java.util.Optional;

/**
 * One Assay job: it reads pending partitions of a dataset and replaces their rows in an integrity
 * table. Jobs are stateless; {@link JobRunner} resolves partitions, records the run and maps
 * failures to exit codes.
 */
public interface Job {
  /**
   * The job whose stored states other jobs read. When jobs run as separate applications (the
   * Airflow DAG), a job that {@link #readsProfiles() reads them} reads, in pending mode, the
   * dataset at the version this job's latest run read, so both judge one snapshot.
   */
  String SNAPSHOT_JOB = "profile";

  /**
   * Whether the job reads the stored profiles of the partitions it judges (see {@link
   * #SNAPSHOT_JOB}).
   */
  default boolean readsProfiles() {
    return false;
  }

  /** The CLI name, such as {@code profile}. */
  String name();

  /** Whether the job applies to the dataset (label jobs need a label column, for instance). */
  default boolean appliesTo(DatasetConfig dataset) {
    return true;
  }

  /** Which partitions the pending mode (no -p, no --all) gives this job. */
  enum Pending {
    /** Partitions without a successful run of this job: a job over the data. */
    UNPROCESSED,
    /**
     * Those, and partitions another job finished with after this job's latest run on them started:
     * a job that derives from other jobs' results, such as the verdict, so re-run jobs are
     * re-judged.
     */
    OLDER_THAN_OTHER_JOBS
  }

  /** The pending rule; default {@link Pending#UNPROCESSED}. */
  default Pending pending() {
    return Pending.UNPROCESSED;
  }

  /** The result table whose status rows feed verdicts, if any. */
  default Optional<IntegrityTable<?>> verdictSource() {
    return Optional.empty();
  }

  /** A readable description for the Spark UI, such as "Profiling 20 features of t (ds=...)". */
  String describe(JobContext context);

  /**
   * Partitions this job must process along with the selected ones, such as later partitions whose
   * results a backfill of an older one changes. Default: none.
   */
  default List<String> alsoProcess(
      IntegrityStore store, DatasetTable table, List<String> all, List<String> selected) {
    return List.of();
  }

  /** Computes and writes the results for {@code context.partitions()}. */
  JobOutcome run(JobContext context);
}
