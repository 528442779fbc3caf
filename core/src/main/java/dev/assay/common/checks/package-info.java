/**
 * Deequ-style constraint checks: the immutable {@link dev.assay.common.checks.Check} DSL, the
 * metrics constraints are made of, their assertions, anomaly strategies over metric history, and
 * the documented row checksum. Plain Java apart from the checksum's Spark expression.
 */
package dev.assay.common.checks;
