package dev.assay.common.job;

/**
 * What a job run produced.
 *
 * @param rowsRead dataset rows the run read (0 for jobs that only read integrity tables)
 * @param message a one-line summary for the runs table and the console
 */
public record JobOutcome(long rowsRead, String message) {}
