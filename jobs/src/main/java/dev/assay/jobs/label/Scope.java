package dev.assay.jobs.label;

/** The keys every result row of one judged partition starts with. */
record Scope(String dataset, String partition, String runId) {}
