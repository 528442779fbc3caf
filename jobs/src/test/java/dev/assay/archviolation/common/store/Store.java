package dev.assay.archviolation.common.store;

/** Violates "common never depends on jobs". */
public class Store {
  public dev.assay.archviolation.jobs.label.LabelJob job;
}
