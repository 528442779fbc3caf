/** The verdict job: the worst status of every verdict-source table, per partition. */
package dev.assay.jobs.verdict;
