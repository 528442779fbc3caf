package dev.assay.common.store;

import dev.assay.common.Json;
import java.time.Instant;
import java.util.List;

/**
 * Provenance of one job run, written to the runs table and into every commit's userMetadata.
 *
 * @param runId unique id of this run
 * @param job the job name, such as {@code profile}
 * @param dataset the dataset name
 * @param partitions the partitions the run processes, in order
 * @param inputTable the dataset's table path or name
 * @param inputVersion the Delta version of the dataset the run read
 * @param configSha256 SHA-256 of the config file
 * @param startedAt when the run started
 */
public record RunInfo(
    String runId,
    String job,
    String dataset,
    List<String> partitions,
    String inputTable,
    long inputVersion,
    String configSha256,
    Instant startedAt) {

  /** The Assay version, from the jar manifest (or "dev" when run from classes). */
  public static String assayVersion() {
    String version = RunInfo.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-dev" : version;
  }

  /** A compact JSON object for Delta's userMetadata. */
  public String toJson() {
    return "{\"run_id\":"
        + Json.string(runId)
        + ",\"job\":"
        + Json.string(job)
        + ",\"dataset\":"
        + Json.string(dataset)
        + ",\"partitions\":"
        + Json.array(partitions)
        + ",\"input_table\":"
        + Json.string(inputTable)
        + ",\"input_version\":"
        + inputVersion
        + ",\"config_sha256\":"
        + Json.string(configSha256)
        + ",\"assay_version\":"
        + Json.string(assayVersion())
        + "}";
  }
}
