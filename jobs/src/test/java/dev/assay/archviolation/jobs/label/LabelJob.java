package dev.assay.archviolation.jobs.label;

/** Violates "analysis jobs do not depend on each other" and "... on tools". */
public class LabelJob {
  public dev.assay.archviolation.jobs.duplicates.DuplicatesJob other;
  public dev.assay.archviolation.jobs.cli.Command command;
}
