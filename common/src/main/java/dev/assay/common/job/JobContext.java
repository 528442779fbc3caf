package dev.assay.common.job;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.RunInfo;
import dev.assay.common.table.DatasetTable;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Everything a job run needs.
 *
 * @param table the dataset, pinned at one Delta version for the whole run
 * @param partitions the partitions to process, in partition order
 * @param allPartitions every partition of the dataset at that version, in order
 */
public record JobContext(
    SparkSession spark,
    AssayConfig config,
    DatasetTable table,
    IntegrityStore store,
    RunInfo run,
    List<String> partitions,
    List<String> allPartitions) {

  public DatasetConfig dataset() {
    return table.config();
  }
}
