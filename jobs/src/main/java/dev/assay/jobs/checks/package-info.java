/**
 * The checks job: Deequ-style constraints from the config or the Java DSL, every metric of every
 * pending partition from one pass, anomaly detection on metric history, quarantine of failing rows,
 * and constraint suggestion from trusted partitions.
 */
package dev.assay.jobs.checks;
