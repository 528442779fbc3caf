package dev.assay.archviolation.common.verdict;

/** Violates "core depends on nothing else of Assay's". */
public class CoreUsesStore {
  public dev.assay.archviolation.common.store.Store store;
}
