package dev.assay.common.job;

import java.util.List;

/** Which partitions a command processes. */
public final class PartitionSelection {
  private enum Mode {
    PENDING,
    ALL,
    EXPLICIT
  }

  private final Mode mode;
  private final List<String> values;

  private PartitionSelection(Mode mode, List<String> values) {
    this.mode = mode;
    this.values = List.copyOf(values);
  }

  /** Partitions not yet processed by the job: the nightly incremental mode. */
  public static PartitionSelection pending() {
    return new PartitionSelection(Mode.PENDING, List.of());
  }

  public static PartitionSelection all() {
    return new PartitionSelection(Mode.ALL, List.of());
  }

  public static PartitionSelection of(List<String> values) {
    return new PartitionSelection(Mode.EXPLICIT, values);
  }

  public boolean isPending() {
    return mode == Mode.PENDING;
  }

  public boolean isAll() {
    return mode == Mode.ALL;
  }

  public List<String> values() {
    return values;
  }
}
