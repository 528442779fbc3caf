package dev.assay.common.verdict;

/** A partition's verdict, ordered from best to worst. */
public enum Verdict {
  PASS,
  WARN,
  FAIL;

  /** The verdict of a partition whose worst result status is {@code status}. */
  public static Verdict of(Status status) {
    return switch (status) {
      case OK -> PASS;
      case WARN -> WARN;
      case FAIL -> FAIL;
    };
  }

  /**
   * The verdict a stored value stands for, failing closed: null or any other word (a row Assay did
   * not write) is FAIL, so it can never let data through.
   */
  public static Verdict parse(String value) {
    if (value != null) {
      for (Verdict verdict : values()) {
        if (verdict.name().equals(value)) {
          return verdict;
        }
      }
    }
    return FAIL;
  }

  public Verdict worst(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
