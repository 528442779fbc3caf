package dev.assay.archviolation.jobs.duplicates;

/** A second analysis job. */
public class DuplicatesJob {}
