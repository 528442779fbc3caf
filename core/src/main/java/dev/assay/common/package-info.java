/**
 * Shared pieces of every Assay job: exit codes, errors, JSON output. Never imports dev.assay.jobs.
 */
package dev.assay.common;
