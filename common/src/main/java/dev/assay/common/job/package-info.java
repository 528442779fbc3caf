/**
 * The job interface and the runner that resolves partitions, records runs and maps failures to exit
 * codes.
 */
package dev.assay.common.job;
