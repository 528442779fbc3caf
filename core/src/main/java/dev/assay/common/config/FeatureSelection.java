package dev.assay.common.config;

import java.util.List;

/** Features of one kind: an explicit column list, or {@code auto} (taken from the table schema). */
public final class FeatureSelection {
  private static final FeatureSelection AUTO = new FeatureSelection(true, List.of());
  private static final FeatureSelection NONE = new FeatureSelection(false, List.of());

  private final boolean auto;
  private final List<String> columns;

  private FeatureSelection(boolean auto, List<String> columns) {
    this.auto = auto;
    this.columns = List.copyOf(columns);
  }

  public static FeatureSelection auto() {
    return AUTO;
  }

  public static FeatureSelection none() {
    return NONE;
  }

  public static FeatureSelection of(List<String> columns) {
    return new FeatureSelection(false, columns);
  }

  public boolean isAuto() {
    return auto;
  }

  /** The listed columns; empty for {@code auto}. */
  public List<String> columns() {
    return columns;
  }

  @Override
  public String toString() {
    return auto ? "auto" : columns.toString();
  }
}
