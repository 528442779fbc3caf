/** Benchmarks that time a job against a bare scan of the same data in the same run. */
package dev.assay.jobs.bench;
