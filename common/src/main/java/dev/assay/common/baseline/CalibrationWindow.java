package dev.assay.common.baseline;

import dev.assay.common.config.BaselineConfig;
import dev.assay.common.stats.NaturalRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The partitions on which a partition's statistics are calibrated: how much they vary naturally on
 * this table. These are the nearest partitions before it that have stored states, and for a table's
 * first partitions the nearest after it in the same run, of those the caller passes as available:
 * all but the partitions known to have failed ({@link BaselinePicker#calibratable}). WARN and PASS
 * partitions stay: a calibration that only learnt from partitions that passed would never see the
 * table's real spread once a natural outlier warned, and every later day would fail too. FAILed
 * ones leave: an attacked partition in the window would widen what counts as natural, and hide the
 * next attack of the same kind. The statistics taken over them are medians and second-largest
 * values, so a partition poisoned without failing barely moves them. With {@code season: weekday}
 * they are the nearest on the same day of the week, once at least three exist.
 */
public final class CalibrationWindow {
  /** Fewest partitions of a window; larger baselines get windows of twice their size. */
  public static final int MIN_SIZE = 14;

  private CalibrationWindow() {}

  /**
   * @param all every partition of the dataset, in order
   * @param available those with states to calibrate on (stored, or computed in this run)
   * @param baseline the dataset's baseline: the window holds max(14, 2N) partitions, N its size, of
   *     its season
   * @param keyPath the dataset's config key path, for errors
   */
  public static List<String> of(
      List<String> all,
      Set<String> available,
      String partition,
      BaselineConfig baseline,
      String keyPath) {
    if (baseline.season() != BaselineConfig.Season.NONE) {
      Set<String> sameSeason = new java.util.HashSet<>();
      for (String candidate : available) {
        if (Seasons.comparable(baseline, keyPath, partition, candidate)) {
          sameSeason.add(candidate);
        }
      }
      List<String> window = of(all, sameSeason, partition, baseline.partitions());
      if (window.size() >= NaturalRange.MIN_SAMPLES) {
        return window;
      }
    }
    return of(all, available, partition, baseline.partitions());
  }

  private static List<String> of(
      List<String> all, Set<String> available, String partition, int baselineSize) {
    int size = Math.max(MIN_SIZE, 2 * baselineSize);
    int position = all.indexOf(partition);
    List<String> window = new ArrayList<>();
    for (int i = position - 1; i >= 0 && window.size() < size; i--) {
      if (available.contains(all.get(i))) {
        window.add(all.get(i));
      }
    }
    Collections.reverse(window);
    for (int i = position + 1; i < all.size() && window.size() < size; i++) {
      if (available.contains(all.get(i))) {
        window.add(all.get(i));
      }
    }
    return window;
  }
}
