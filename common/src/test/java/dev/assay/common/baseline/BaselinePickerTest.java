package dev.assay.common.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.config.BaselineConfig;
import dev.assay.common.verdict.Status;
import dev.assay.common.verdict.Verdict;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which earlier partitions a partition is compared with, from plain inputs. */
@Tag("fast")
class BaselinePickerTest {
  /** Fourteen days from Monday 2026-01-05. */
  private static final List<String> DAYS = days(14);

  private static final BaselineConfig TRUSTED3 =
      new BaselineConfig(BaselineConfig.Strategy.TRUSTED, 3, List.of(), BaselineConfig.Season.NONE);

  private static List<String> days(int n) {
    List<String> days = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      days.add(LocalDate.of(2026, 1, 5).plusDays(i).toString());
    }
    return days;
  }

  private static Map<String, Verdict> allPass() {
    Map<String, Verdict> verdicts = new HashMap<>();
    DAYS.forEach(d -> verdicts.put(d, Verdict.PASS));
    return verdicts;
  }

  private static BaselinePicker picker(
      BaselineConfig config,
      Map<String, Verdict> verdicts,
      Map<String, Status> elsewhere,
      List<String> inRun) {
    return new BaselinePicker(
        config, "datasets[0]", DAYS, inRun, new HashSet<>(DAYS), verdicts, elsewhere);
  }

  @Test
  void trustedTakesTheLastNPassingPartitionsOldestFirst() {
    BaselinePicker picker = picker(TRUSTED3, allPass(), Map.of(), List.of());
    assertEquals(
        List.of("2026-01-07", "2026-01-08", "2026-01-09"), picker.baselineOf("2026-01-10"));
  }

  @Test
  void failedWarnedUnknownAndFlaggedPartitionsAreSkipped() {
    Map<String, Verdict> verdicts = allPass();
    verdicts.put("2026-01-09", Verdict.FAIL);
    verdicts.put("2026-01-08", Verdict.WARN);
    verdicts.remove("2026-01-07");
    BaselinePicker picker =
        picker(TRUSTED3, verdicts, Map.of("2026-01-06", Status.WARN), List.of());
    assertEquals(List.of("2026-01-05"), picker.baselineOf("2026-01-10"));
  }

  @Test
  void theFirstPartitionBootstraps() {
    BaselinePicker picker = picker(TRUSTED3, allPass(), Map.of(), List.of());
    assertTrue(picker.needsBootstrap("2026-01-05"));
    assertFalse(picker.needsBootstrap("2026-01-06"));
  }

  @Test
  void thisRunsJudgementsReplaceStoredVerdicts() {
    BaselinePicker picker = picker(TRUSTED3, allPass(), Map.of(), List.of("2026-01-09"));
    picker.judged("2026-01-09", Status.FAIL);
    assertEquals(
        List.of("2026-01-06", "2026-01-07", "2026-01-08"), picker.baselineOf("2026-01-10"));
    assertFalse(picker.calibratable(Set.copyOf(DAYS)).contains("2026-01-09"));
  }

  @Test
  void storedFailsOutsideTheRunAreNotCalibratable() {
    Map<String, Verdict> verdicts = allPass();
    verdicts.put("2026-01-06", Verdict.FAIL);
    verdicts.put("2026-01-07", Verdict.FAIL);
    Set<String> kept =
        picker(TRUSTED3, verdicts, Map.of("2026-01-08", Status.FAIL), List.of("2026-01-07"))
            .calibratable(Set.copyOf(DAYS));
    assertFalse(kept.contains("2026-01-06"));
    assertTrue(kept.contains("2026-01-07"), "its stored FAIL is about to be replaced by this run");
    assertFalse(kept.contains("2026-01-08"));
  }

  @Test
  void weekdaySeasonComparesLikeDaysAndFallsBackBeforeTheFirst() {
    BaselineConfig weekday =
        new BaselineConfig(
            BaselineConfig.Strategy.TRUSTED, 3, List.of(), BaselineConfig.Season.WEEKDAY);
    BaselinePicker picker = picker(weekday, allPass(), Map.of(), List.of());
    // 2026-01-12 and 2026-01-05 are Mondays
    assertEquals(List.of("2026-01-05"), picker.baselineOf("2026-01-12"));
    assertEquals(
        List.of("2026-01-06", "2026-01-07", "2026-01-08"), picker.baselineOf("2026-01-09"));
  }

  @Test
  void pinnedAlwaysUsesThePinnedSetWithoutThePartitionItself() {
    BaselineConfig pinned =
        new BaselineConfig(
            BaselineConfig.Strategy.PINNED,
            7,
            List.of("2026-01-05", "2026-01-06"),
            BaselineConfig.Season.NONE);
    BaselinePicker picker = picker(pinned, Map.of(), Map.of(), List.of());
    assertEquals(List.of("2026-01-05", "2026-01-06"), picker.baselineOf("2026-01-12"));
    assertEquals(List.of("2026-01-06"), picker.baselineOf("2026-01-05"));
  }

  @Test
  void aPinnedPartitionWithoutStatesIsAConfigError() {
    BaselineConfig pinned =
        new BaselineConfig(
            BaselineConfig.Strategy.PINNED, 7, List.of("2027-01-01"), BaselineConfig.Season.NONE);
    AssayException e =
        assertThrows(AssayException.class, () -> picker(pinned, Map.of(), Map.of(), List.of()));
    assertTrue(e.getMessage().contains("datasets[0].baseline.pinned[0]"), e.getMessage());
  }

  @Test
  void theAnchorIsTheFirstNTrustedPartitionsAndStaysPut() {
    Map<String, Verdict> verdicts = allPass();
    verdicts.put("2026-01-06", Verdict.FAIL);
    BaselinePicker picker = picker(TRUSTED3, verdicts, Map.of(), List.of());
    List<String> anchor = List.of("2026-01-05", "2026-01-07", "2026-01-08");
    assertEquals(anchor, picker.anchorOf("2026-01-12"));
    assertEquals(anchor, picker.anchorOf("2026-01-18"));
    assertEquals(
        List.of(), picker.anchorOf("2026-01-08"), "no anchor at or before its last partition");
    assertEquals(
        List.of("2026-01-09", "2026-01-10", "2026-01-11"), picker.sinceAnchor("2026-01-12"));
  }

  @Test
  void trailingIgnoresVerdicts() {
    BaselineConfig trailing =
        new BaselineConfig(
            BaselineConfig.Strategy.TRAILING, 2, List.of(), BaselineConfig.Season.NONE);
    Map<String, Verdict> verdicts = allPass();
    verdicts.put("2026-01-09", Verdict.FAIL);
    assertEquals(
        List.of("2026-01-08", "2026-01-09"),
        picker(trailing, verdicts, Map.of(), List.of()).baselineOf("2026-01-10"));
  }
}
