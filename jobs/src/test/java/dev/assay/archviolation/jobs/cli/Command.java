package dev.assay.archviolation.jobs.cli;

/** A tool. */
public class Command {}
