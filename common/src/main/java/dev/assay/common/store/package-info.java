/**
 * The Delta integrity tables: schemas, atomic per-partition replacement with provenance, the runs
 * audit.
 */
package dev.assay.common.store;
