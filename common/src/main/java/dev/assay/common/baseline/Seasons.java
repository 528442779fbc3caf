package dev.assay.common.baseline;

import dev.assay.common.AssayException;
import dev.assay.common.config.BaselineConfig;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Whether two partitions are comparable under a dataset's {@code baseline.season}: always without
 * one, or when they fall on the same day of the week ({@code weekday}). A weekly cycle (fewer
 * flights on Saturdays, more orders on Mondays) is then compared with itself instead of read as
 * drift.
 */
public final class Seasons {
  private Seasons() {}

  /** Whether {@code candidate} may serve {@code partition} as baseline or calibration partition. */
  public static boolean comparable(
      BaselineConfig config, String keyPath, String partition, String candidate) {
    return config.season() == BaselineConfig.Season.NONE
        || weekday(keyPath, partition) == weekday(keyPath, candidate);
  }

  private static DayOfWeek weekday(String keyPath, String partition) {
    try {
      // a date, or a timestamp whose first ten characters are its date
      return LocalDate.parse(partition.length() > 10 ? partition.substring(0, 10) : partition)
          .getDayOfWeek();
    } catch (DateTimeParseException e) {
      throw AssayException.invalidAt(
          keyPath + ".baseline.season",
          "partition value '"
              + partition
              + "' is not a date (yyyy-MM-dd), so it has no day of the week; season: weekday needs date partitions."
              + " Remove season, or partition the table by date.");
    }
  }
}
