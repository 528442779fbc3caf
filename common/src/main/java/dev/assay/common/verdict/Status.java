package dev.assay.common.verdict;

/** The status of one integrity result, ordered from best to worst. */
public enum Status {
  OK,
  WARN,
  FAIL;

  public Status worst(Status other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** The verdict word for a partition whose worst status is this one. */
  public String verdict() {
    return this == OK ? "PASS" : name();
  }

  public static Status parse(String value) {
    return value == null ? OK : Status.valueOf(value);
  }
}
