package dev.assay.common.verdict;

/**
 * What the gate says of a set of partitions, from best to worst. UNKNOWN (a verdict that cannot be
 * trusted or read) and MISSING (no verdict at all) are worse than FAIL, so combining outcomes with
 * {@link #worst} never hides one.
 */
public enum GateOutcome {
  PASS,
  WARN,
  FAIL,
  UNKNOWN,
  MISSING;

  public static GateOutcome of(Verdict verdict) {
    return valueOf(verdict.name());
  }

  public GateOutcome worst(GateOutcome other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
