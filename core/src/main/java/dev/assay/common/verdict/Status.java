package dev.assay.common.verdict;

/** The status of one integrity result, ordered from best to worst. */
public enum Status {
  OK,
  WARN,
  FAIL;

  public Status worst(Status other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /**
   * The status a stored value stands for, failing closed: a null or unknown value (a row Assay's
   * jobs did not write) is FAIL, so it can never make a verdict better. See {@link #known}.
   */
  public static Status parse(String value) {
    return known(value) ? Status.valueOf(value) : FAIL;
  }

  /** Whether {@code value} is one of OK, WARN and FAIL. */
  public static boolean known(String value) {
    return "OK".equals(value) || "WARN".equals(value) || "FAIL".equals(value);
  }
}
