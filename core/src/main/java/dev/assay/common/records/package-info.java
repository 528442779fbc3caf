/**
 * One record per integrity table row, and the structs nested in them. Plain Java: the Spark schema
 * of each table is derived from its record by {@code dev.assay.common.store.RecordCodec}, so a
 * column is declared exactly once.
 */
package dev.assay.common.records;
