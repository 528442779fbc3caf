package dev.assay.common.job;

import dev.assay.common.config.DatasetConfig;
import java.util.Optional;
import dev.assay.common.store.IntegrityTable;

/**
 * One Assay job: it reads pending partitions of a dataset and replaces their rows in an integrity
 * table. Jobs are stateless; {@link JobRunner} resolves partitions, records the run and maps
 * failures to exit codes.
 */
public interface Job {
  /** The CLI name, such as {@code profile}. */
  String name();

  /** Whether the job applies to the dataset (label jobs need a label column, for instance). */
  default boolean appliesTo(DatasetConfig dataset) {
    return true;
  }

  /** The result table whose status rows feed verdicts, if any. */
  default Optional<IntegrityTable> verdictSource() {
    return Optional.empty();
  }

  /** A readable description for the Spark UI, such as "Profiling 20 features of t (ds=...)". */
  String describe(JobContext context);

  /** Computes and writes the results for {@code context.partitions()}. */
  JobOutcome run(JobContext context);
}
