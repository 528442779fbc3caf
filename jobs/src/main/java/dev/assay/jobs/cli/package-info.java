/** The assay command line, the only place that knows every job. */
package dev.assay.jobs.cli;
