package dev.assay.common.verdict;

import java.util.Locale;

/** Builds reason strings that name the job, metric, value and threshold. */
public final class Reasons {
  private Reasons() {}

  /** For example {@code psi(age) = 0.412 >= fail 0.25}. */
  public static String comparison(
      String metric, String subject, double value, String level, double threshold) {
    return String.format(
        Locale.ROOT, "%s(%s) = %s >= %s %s", metric, subject, number(value), level, number(threshold));
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
    return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString();
  }
}
