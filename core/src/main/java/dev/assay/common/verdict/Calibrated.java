package dev.assay.common.verdict;

import dev.assay.common.stats.NaturalRange;

/**
 * The status of one effect size under its warn and fail thresholds, calibrated on the table: a
 * threshold counts only when the value is also above the table's natural range, what its partitions
 * do on their own; and where the table's typical (median) value already passes the warn threshold,
 * the warn threshold says nothing, so only a fail-level value counts. {@code note} says which range
 * was used (null when below the thresholds).
 */
public record Calibrated(Status status, String note) {
  private static final Calibrated BELOW = new Calibrated(Status.OK, null);

  /**
   * @param range the natural range, or null when too little trusted history exists to know it (then
   *     the thresholds alone decide, as before any history)
   */
  public static Calibrated judge(double value, double warn, double fail, NaturalRange range) {
    if (!(value >= warn)) {
      return BELOW;
    }
    Status byThreshold = value >= fail ? Status.FAIL : Status.WARN;
    if (range == null) {
      return new Calibrated(byThreshold, "natural range not yet known");
    }
    if (!range.exceededBy(value)) {
      return new Calibrated(Status.OK, "within its " + describe(range));
    }
    if (byThreshold == Status.WARN && range.median() >= warn) {
      return new Calibrated(
          Status.OK,
          "above its "
              + describe(range)
              + ", but this table's typical value"
              + " already passes the warn threshold, so only a fail-level value counts");
    }
    return new Calibrated(byThreshold, "above its " + describe(range));
  }

  /** For example {@code natural range <= 0.21 (median 0.05 over 14 partitions)}. */
  public static String describe(NaturalRange range) {
    return "natural range <= "
        + Reasons.number(range.upper())
        + " (median "
        + Reasons.number(range.median())
        + " over "
        + range.samples()
        + " partitions)";
  }
}
