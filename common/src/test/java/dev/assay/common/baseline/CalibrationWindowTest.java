package dev.assay.common.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.config.BaselineConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CalibrationWindowTest {
  private static final BaselineConfig WEEKDAY =
      new BaselineConfig(
          BaselineConfig.Strategy.TRUSTED, 7, List.of(), BaselineConfig.Season.WEEKDAY);

  /** Consecutive days from Monday 2026-11-02. */
  private static List<String> days(int n) {
    List<String> days = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      days.add(LocalDate.of(2026, 11, 2).plusDays(i).toString());
    }
    return days;
  }

  @Test
  void withoutSeasonTheWindowIsTheFourteenNearestEarlierPartitions() {
    List<String> all = days(30);
    List<String> window =
        CalibrationWindow.of(all, new HashSet<>(all), all.get(29), BaselineConfig.DEFAULT, "d");
    assertEquals(all.subList(15, 29), window);
  }

  @Test
  void aWeekdaySeasonTakesTheSameDayOfTheWeekOnceThreeExist() {
    List<String> all = days(30);
    // 2026-12-01 is a Tuesday: the Tuesdays before it
    List<String> window = CalibrationWindow.of(all, new HashSet<>(all), "2026-12-01", WEEKDAY, "d");
    assertEquals(List.of("2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24"), window);
    // the first days calibrate on later ones of the same run too: four other Mondays exist
    assertEquals(
        List.of("2026-11-02", "2026-11-09", "2026-11-23", "2026-11-30"),
        CalibrationWindow.of(all, new HashSet<>(all), "2026-11-16", WEEKDAY, "d"));
    // with only one other Monday in ten days, too few for a range: every other day
    List<String> ten = days(10);
    assertEquals(
        9, CalibrationWindow.of(ten, new HashSet<>(ten), "2026-11-09", WEEKDAY, "d").size());
    assertTrue(Seasons.comparable(WEEKDAY, "d", "2026-11-02", "2026-11-09 00:00:00"));
  }

  @Test
  void aWeekdaySeasonOnPartitionsThatAreNoDatesIsAConfigError() {
    List<String> all = List.of("1", "2", "3", "4");
    AssayException e =
        assertThrows(
            AssayException.class,
            () -> CalibrationWindow.of(all, new HashSet<>(all), "4", WEEKDAY, "datasets[0]"));
    assertTrue(
        e.getMessage().startsWith("datasets[0].baseline.season: partition value '4' is not a date"),
        e.getMessage());
  }
}
