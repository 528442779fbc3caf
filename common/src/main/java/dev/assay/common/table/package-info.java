/** Monitored datasets opened at one Delta version, with their config checked against the schema. */
package dev.assay.common.table;
