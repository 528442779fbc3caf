package dev.assay.common.verdict;

import java.util.Locale;

/** Builds reason strings that name the job, metric, value and threshold. */
public final class Reasons {
  private Reasons() {}

  /** For example {@code psi(age) = 0.412 >= fail 0.25}. */
  public static String comparison(
      String metric, String subject, double value, String level, double threshold) {
    return String.format(
        Locale.ROOT,
        "%s(%s) = %s >= %s %s",
        metric,
        subject,
        number(value),
        level,
        number(threshold));
  }

  /**
   * The reason of a partition with no baseline yet that is too small to judge or to serve as one.
   */
  public static String tooFewToBootstrap(String job, long rows, long minRows) {
    return job
        + ": too few rows to judge: "
        + rows
        + " rows < min_rows "
        + minRows
        + " and no baseline yet, so this partition is not trusted as a reference";
  }

  /** The exact text of a value that parses back to it: integral values without ".0". */
  public static String exact(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    return String.valueOf(value);
  }

  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    if (Math.abs(value) < 1e-4) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    return new java.math.BigDecimal(value)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
