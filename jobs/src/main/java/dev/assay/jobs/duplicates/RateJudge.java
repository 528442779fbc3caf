package dev.assay.jobs.duplicates;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.stats.NaturalRange;
import dev.assay.common.stats.Robust;
import dev.assay.common.verdict.Calibrated;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a partition's duplicate, replay, conflict and near-duplicate rates against the same rates
 * in its trusted baseline, so natural recurrence (census-style rows repeat) is not an alarm and a
 * jump above it is. A rate flags when its excess over the baseline reaches the threshold and
 * {@value #NOISE_K} times the noise: the larger of the spread of the baseline partitions' rates and
 * the binomial standard error at the partition's size.
 */
final class RateJudge {
  /**
   * Standard deviations of noise an excess must pass, as the natural ranges' K
   * (docs/calibration.md).
   */
  static final double NOISE_K = 4;

  /**
   * Share of rows recurring inside trusted partitions above which row-level evidence means little.
   */
  static final double LOW_ENTROPY = 0.1;

  /**
   * A partition's stored or fresh counts.
   *
   * @param sourceExcess its {@link ReplaySource#excess()} (NaN when it has none, or was stored
   *     before it existed)
   */
  record Stats(
      long rows,
      long duplicateRows,
      long recurringRows,
      long replayedRows,
      long conflictRows,
      long withinConflictRows,
      long nearRows,
      long historyPartitions,
      double sourceExcess) {
    static Stats of(Findings.Counts c, long historyPartitions, ReplaySource source) {
      return new Stats(
          c.rows,
          c.duplicateRows,
          c.recurringRows,
          c.replayedRows,
          c.conflictRows,
          c.withinConflictRows,
          c.nearRows,
          historyPartitions,
          source == null ? Double.NaN : source.excess());
    }

    /** A stored summary's counts; a summary without a replay-source excess has NaN. */
    static Stats of(DuplicateSummaryRecord stored) {
      return new Stats(
          stored.rows(),
          stored.duplicateRows(),
          stored.recurringRows(),
          stored.replayedRows(),
          stored.conflictRows(),
          stored.withinConflictRows(),
          stored.nearDuplicateRows(),
          stored.historyPartitions(),
          stored.replaySourceExcess() == null ? Double.NaN : stored.replaySourceExcess());
    }
  }

  /**
   * The baseline's reference rate of one metric and its partition-to-partition spread.
   *
   * @param basis how the rate was found, for reasons
   */
  record Reference(double rate, double spread, String basis, double largestResidual) {
    Reference(double rate, double spread) {
      this(rate, spread, "trusted baseline", 0);
    }
  }

  /**
   * @param note why a rate past a threshold stayed OK (null: none did)
   */
  record Outcome(
      Status status,
      String reason,
      String note,
      Reference duplicate,
      Reference replay,
      Reference conflict,
      Reference near) {}

  private RateJudge() {}

  /**
   * @param baseline the trusted baseline partitions' counts
   * @param window the calibration window's counts (the nearest partitions, whatever their verdict):
   *     the trend of replays and conflicts with history is fitted over them, robustly, so one early
   *     false alarm does not freeze the expectation at its first value; their replay-source
   *     excesses give that statistic's natural range
   * @param source the partition's most concentrated replay source (null: none)
   * @param sourceName that source partition's name
   */
  static Outcome judge(
      Stats partition,
      List<Stats> baseline,
      List<Stats> window,
      Thresholds t,
      ReplaySource source,
      String sourceName) {
    List<Stats> withHistory = new ArrayList<>();
    for (Stats s : window.isEmpty() ? baseline : window) {
      if (s.historyPartitions() > 0) {
        withHistory.add(s);
      }
    }
    Reference duplicate = reference(baseline, Stats::duplicateRows, 1);
    Reference recurring = reference(baseline, Stats::recurringRows, 1);
    // A baseline partition without history could not replay or conflict with anything; recurrence
    // inside partitions estimates what i.i.d. rows do across them.
    Reference replay =
        withHistory.isEmpty()
            ? recurring
            : larger(
                expected(withHistory, Stats::replayedRows, partition.historyPartitions()),
                recurring);
    Reference withinConflict = reference(baseline, Stats::withinConflictRows, 2);
    Reference conflict =
        withHistory.isEmpty()
            ? withinConflict
            : larger(
                expected(withHistory, Stats::conflictRows, partition.historyPartitions()),
                withinConflict);
    Reference near = reference(baseline, Stats::nearRows, 1);

    Status status = Status.OK;
    List<String> reasons = new ArrayList<>();
    status =
        status.worst(
            rate(
                "duplicate_rate",
                partition.duplicateRows(),
                partition.rows(),
                duplicate,
                t.duplicateRateWarn(),
                t.duplicateRateFail(),
                reasons));
    status =
        status.worst(
            rate(
                "replay_rate",
                partition.replayedRows(),
                partition.rows(),
                replay,
                t.replayRateWarn(),
                t.replayRateFail(),
                reasons));
    List<String> notes = new ArrayList<>();
    status = status.worst(source(partition, source, sourceName, window, t, reasons, notes));
    status =
        status.worst(
            rate(
                "conflict_rate",
                partition.conflictRows(),
                partition.rows(),
                conflict,
                t.conflictRateWarn(),
                t.conflictRateFail(),
                reasons));
    status =
        status.worst(
            rate(
                "near_duplicate_rate",
                partition.nearRows(),
                partition.rows(),
                near,
                t.nearDuplicateRateWarn(),
                t.nearDuplicateRateFail(),
                reasons));
    return new Outcome(
        status,
        reasons.isEmpty() ? null : String.join("; ", reasons),
        notes.isEmpty() ? null : String.join("; ", notes),
        duplicate,
        replay,
        conflict,
        near);
  }

  /**
   * Judges the replay signature: the share of rows whose content exists only in one earlier
   * partition, beyond that partition's share of such rows. It must pass {@value #NOISE_K} binomial
   * standard deviations (at least that many rows), the thresholds, and the natural range of the
   * same statistic over the calibration window.
   */
  private static Status source(
      Stats partition,
      ReplaySource source,
      String sourceName,
      List<Stats> window,
      Thresholds t,
      List<String> reasons,
      List<String> notes) {
    if (source == null || partition.rows() == 0) {
      return Status.OK;
    }
    double excessRows = source.rows() - source.expected();
    if (excessRows <= NOISE_K * Math.max(1, source.noise())) {
      return Status.OK;
    }
    NaturalRange range =
        NaturalRange.of(window.stream().mapToDouble(Stats::sourceExcess).toArray());
    Calibrated judged =
        Calibrated.judge(source.excess(), t.replaySourceWarn(), t.replaySourceFail(), range);
    String details =
        String.format(
            Locale.ROOT,
            "%d of %d rows repeat content found only in partition %s, where"
                + " natural recurrence spread over %d earlier partitions in proportion to their rows predicts %s, noise %s",
            source.rows(),
            partition.rows(),
            sourceName,
            source.earlier(),
            Reasons.number(source.expected()),
            Reasons.number(source.noise()));
    if (judged.status() == Status.OK) {
      if (judged.note() != null) {
        notes.add(
            "replay_source_excess(partition) = "
                + Reasons.number(source.excess())
                + " ("
                + details
                + "), "
                + judged.note()
                + ", so OK");
      }
      return Status.OK;
    }
    boolean failed = judged.status() == Status.FAIL;
    reasons.add(
        "duplicates: "
            + Reasons.comparison(
                "replay_source_excess",
                "partition",
                source.excess(),
                failed ? "fail" : "warn",
                failed ? t.replaySourceFail() : t.replaySourceWarn())
            + ", "
            + judged.note()
            + " ("
            + details
            + "): a replay of that partition");
    return judged.status();
  }

  interface Count {
    long of(Stats s);
  }

  /** Pooled rate over the partitions, times {@code factor}, and the spread of their own rates. */
  private static Reference reference(List<Stats> partitions, Count count, double factor) {
    long rows = 0;
    long hits = 0;
    for (Stats s : partitions) {
      rows += s.rows();
      hits += count.of(s);
    }
    double pooled = rows == 0 ? 0 : factor * hits / rows;
    double spread = 0;
    if (partitions.size() >= 2) {
      double sum = 0;
      for (Stats s : partitions) {
        double r = s.rows() == 0 ? 0 : factor * count.of(s) / s.rows();
        sum += (r - pooled) * (r - pooled);
      }
      spread = Math.sqrt(sum / (partitions.size() - 1));
    }
    return new Reference(Math.min(1, pooled), spread);
  }

  /**
   * What the table's own history predicts for a partition with {@code history} earlier partitions
   * indexed. Recurrence across partitions grows as history accumulates (census-style rows meet more
   * earlier twins every day), so the rate is extrapolated along a Theil-Sen line of rate against
   * history size (the median of pairwise slopes, never negative) through the baseline partitions,
   * with the robust spread of the residuals; from a single baseline partition, in proportion to the
   * history (a line through the origin, which overestimates a growth that slows down).
   */
  static Reference expected(List<Stats> partitions, Count count, long history) {
    int n = partitions.size();
    if (n == 1) {
      Stats only = partitions.get(0);
      double rate = only.rows() == 0 ? 0 : (double) count.of(only) / only.rows();
      return new Reference(
          Math.min(1, rate * Math.max(1, (double) history / only.historyPartitions())),
          0,
          String.format(
              Locale.ROOT,
              "expected in proportion to history from 1 trusted partition (%s at %d, at %d)",
              Reasons.number(rate),
              only.historyPartitions(),
              history),
          0);
    }
    double[] h = new double[n];
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      h[i] = partitions.get(i).historyPartitions();
      r[i] =
          partitions.get(i).rows() == 0
              ? 0
              : (double) count.of(partitions.get(i)) / partitions.get(i).rows();
    }
    List<Double> slopes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (h[i] != h[j]) {
          slopes.add((r[j] - r[i]) / (h[j] - h[i]));
        }
      }
    }
    double slope =
        slopes.isEmpty()
            ? 0
            : Math.max(0, Robust.median(slopes.stream().mapToDouble(d -> d).toArray()));
    double[] intercepts = new double[n];
    for (int i = 0; i < n; i++) {
      intercepts[i] = r[i] - slope * h[i];
    }
    double intercept = Robust.median(intercepts);
    double[] residuals = new double[n];
    for (int i = 0; i < n; i++) {
      residuals[i] = r[i] - (intercept + slope * h[i]);
    }
    double predicted = Math.min(1, Math.max(0, intercept + slope * history));
    // a prediction beyond the fitted history sizes is less certain than the fit: the usual
    // prediction-interval factor of a regression line
    double meanH = java.util.Arrays.stream(h).average().orElse(0);
    double sxx = java.util.Arrays.stream(h).map(x -> (x - meanH) * (x - meanH)).sum();
    double widen =
        Math.sqrt(1 + 1.0 / n + (sxx == 0 ? 0 : (history - meanH) * (history - meanH) / sxx));
    return new Reference(
        predicted,
        Robust.sigma(residuals) * widen,
        String.format(
            Locale.ROOT,
            "expected from the trend over %d partitions (%s + %s per indexed"
                + " partition, at %d)",
            n,
            Reasons.number(intercept),
            Reasons.number(slope),
            history),
        java.util.Arrays.stream(residuals).max().orElse(0));
  }

  private static Reference larger(Reference a, Reference b) {
    return a.rate() >= b.rate() ? a : b;
  }

  private static Status rate(
      String metric,
      long hits,
      long rows,
      Reference reference,
      double warn,
      double fail,
      List<String> reasons) {
    if (rows == 0) {
      return Status.OK;
    }
    double rate = (double) hits / rows;
    double excess = rate - reference.rate();
    // the partition's own sampling noise and the reference's uncertainty add up
    double noise =
        Math.hypot(
            reference.spread(),
            Math.sqrt(Math.max(reference.rate() * (1 - reference.rate()), 1.0 / rows) / rows));
    // natural, too, when no larger than the largest a calibration partition showed above its trend
    if (excess <= Math.max(NOISE_K * noise, reference.largestResidual())) {
      return Status.OK;
    }
    boolean failed = excess >= fail;
    if (!failed && excess < warn) {
      return Status.OK;
    }
    reasons.add(
        "duplicates: "
            + Reasons.comparison(
                metric + "_excess",
                "partition",
                excess,
                failed ? "fail" : "warn",
                failed ? fail : warn)
            + String.format(
                Locale.ROOT,
                " (%s of %d rows = %s; %s %s, noise %s)",
                Reasons.number(hits),
                rows,
                Reasons.number(rate),
                reference.basis(),
                Reasons.number(reference.rate()),
                Reasons.number(noise)));
    return failed ? Status.FAIL : Status.WARN;
  }
}
