/**
 * Label integrity: label drift per partition and segment, class-conditional drift, backdoor
 * triggers, annotators.
 */
package dev.assay.jobs.label;
