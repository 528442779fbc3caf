package dev.assay.common.job;

import java.util.List;

/**
 * The result of one job on one dataset.
 *
 * @param partitions the partitions processed; empty when nothing was pending
 */
public record RunResult(
    String job, String dataset, String runId, List<String> partitions, JobOutcome outcome) {}
