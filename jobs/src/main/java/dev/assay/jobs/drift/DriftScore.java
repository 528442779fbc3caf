package dev.assay.jobs.drift;

import dev.assay.common.config.Thresholds;
import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.profile.NumericProfile;
import dev.assay.common.profile.ProfileRows;
import dev.assay.common.records.FeatureDriftRecord;
import dev.assay.common.stats.Divergences;
import dev.assay.common.stats.NaturalRange;
import dev.assay.common.stats.Wasserstein;
import dev.assay.common.verdict.Calibrated;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Drift metrics of one feature of one partition against its merged baseline, and the status the
 * thresholds give them. Metrics that do not apply to the feature's kind are NaN.
 */
record DriftScore(
    long rows,
    long baselineRows,
    double psi,
    double jsDistance,
    double wassersteinNorm,
    double ksStat,
    double linf,
    double chi2PValue,
    double nullShare,
    double baselineNullShare,
    double nonFiniteShare,
    Status status,
    String reason) {

  static final String JOB = "feature-drift";
  static final String BOOTSTRAP =
      "feature-drift: no baseline yet (bootstrap): the first trusted partition becomes the reference";

  /**
   * A feature's natural ranges of each metric over its calibration window; null fields are unknown.
   */
  record Ranges(
      NaturalRange psi, NaturalRange js, NaturalRange wasserstein, NaturalRange nullDelta) {
    static final Ranges UNKNOWN = new Ranges(null, null, null, null);
  }

  static DriftScore numeric(
      NumericProfile current, NumericProfile baseline, Thresholds t, Ranges ranges) {
    long[] c = current.histogram().counts();
    long[] b = baseline.histogram().counts();
    double psi = Double.NaN;
    double js = Double.NaN;
    double chi2 = Double.NaN;
    double ks = Double.NaN;
    double wasserstein = Double.NaN;
    if (sum(c) > 0 && sum(b) > 0) {
      psi = Divergences.psi(b, c);
      js = Divergences.jsDistance(b, c);
      chi2 = Divergences.chiSquarePValue(b, c);
      ks = Divergences.ksStatistic(b, c);
      double distance = wasserstein(current, baseline, b, c);
      double scale = baseline.moments().stddev();
      wasserstein = scale > 0 ? distance / scale : (distance == 0 ? 0 : Double.POSITIVE_INFINITY);
    }
    return judge(
        current.feature(),
        current.rows(),
        baseline.rows(),
        psi,
        js,
        wasserstein,
        ks,
        Double.NaN,
        chi2,
        share(current.nulls(), current.rows()),
        share(baseline.nulls(), baseline.rows()),
        share(current.nonFinite(), current.rows()),
        t,
        ranges);
  }

  /**
   * W1 between the partition's finite values and the baseline's: from exact value counts when both
   * sides have them (features with at most 100 distinct values: exact), else from the histogram
   * bins with one representative point each. The KLL sketches are not used: their compaction is
   * random, so a re-run would not give the same value, and on heavy tails they add noise near the
   * warn threshold.
   */
  static double wasserstein(NumericProfile current, NumericProfile baseline, long[] b, long[] c) {
    if (current.exactValues() != null && baseline.exactValues() != null) {
      return Wasserstein.exact(baseline.exactValues(), current.exactValues());
    }
    double lo = Math.min(current.moments().min(), baseline.moments().min());
    double hi = Math.max(current.moments().max(), baseline.moments().max());
    double[] points = current.histogram().representativePoints(lo, hi);
    return Divergences.wasserstein(points, b, c);
  }

  /**
   * Buckets are the values listed in both the partition's and the baseline's top-K counts, plus one
   * "other" bucket holding every other non-null row on each side. Values listed on one side only
   * would otherwise be compared with a count the other side hides in its own "other" bucket, and
   * the churn of long-tail values near the top-K boundary would look like drift.
   */
  static DriftScore categorical(
      CategoricalProfile current, CategoricalProfile baseline, Thresholds t, Ranges ranges) {
    List<String> shared = new ArrayList<>();
    for (String value : current.categories().keySet()) {
      if (baseline.categories().containsKey(value)) {
        shared.add(value);
      }
    }
    int n = shared.size() + 1;
    long[] c = new long[n];
    long[] b = new long[n];
    for (int i = 0; i < shared.size(); i++) {
      c[i] = current.categories().get(shared.get(i));
      b[i] = baseline.categories().get(shared.get(i));
    }
    c[n - 1] = current.rows() - current.nulls() - sum(c);
    b[n - 1] = baseline.rows() - baseline.nulls() - sum(b);
    double psi = Double.NaN;
    double js = Double.NaN;
    double linf = Double.NaN;
    double chi2 = Double.NaN;
    if (sum(c) > 0 && sum(b) > 0) {
      psi = Divergences.psi(b, c);
      js = Divergences.jsDistance(b, c);
      linf = Divergences.linf(b, c);
      chi2 = Divergences.chiSquarePValue(b, c);
    }
    return judge(
        current.feature(),
        current.rows(),
        baseline.rows(),
        psi,
        js,
        Double.NaN,
        Double.NaN,
        linf,
        chi2,
        share(current.nulls(), current.rows()),
        share(baseline.nulls(), baseline.rows()),
        0.0,
        t,
        ranges);
  }

  private static DriftScore judge(
      String feature,
      long rows,
      long baselineRows,
      double psi,
      double js,
      double wasserstein,
      double ks,
      double linf,
      double chi2,
      double nullShare,
      double baselineNullShare,
      double nonFiniteShare,
      Thresholds t,
      Ranges ranges) {
    List<String> fails = new ArrayList<>();
    List<String> warns = new ArrayList<>();
    List<String> natural = new ArrayList<>();
    double nullDelta = Math.abs(nullShare - baselineNullShare);
    check(feature, "psi", psi, t.psiWarn(), t.psiFail(), ranges.psi(), warns, fails, natural);
    check(feature, "js_distance", js, t.jsWarn(), t.jsFail(), ranges.js(), warns, fails, natural);
    check(
        feature,
        "wasserstein_norm",
        wasserstein,
        t.wassersteinWarn(),
        t.wassersteinFail(),
        ranges.wasserstein(),
        warns,
        fails,
        natural);
    check(
        feature,
        "null_share_delta",
        nullDelta,
        t.nullShareWarn(),
        t.nullShareFail(),
        ranges.nullDelta(),
        warns,
        fails,
        natural);
    if (nonFiniteShare > t.nonFiniteShareFail()) {
      fails.add(
          String.format(
              java.util.Locale.ROOT,
              "non_finite_share(%s) = %s > fail %s",
              feature,
              Reasons.number(nonFiniteShare),
              Reasons.number(t.nonFiniteShareFail())));
    } else if (nonFiniteShare > t.nonFiniteShareWarn()) {
      warns.add(
          String.format(
              java.util.Locale.ROOT,
              "non_finite_share(%s) = %s > warn %s",
              feature,
              Reasons.number(nonFiniteShare),
              Reasons.number(t.nonFiniteShareWarn())));
    }
    Status status = !fails.isEmpty() ? Status.FAIL : !warns.isEmpty() ? Status.WARN : Status.OK;
    List<String> parts = new ArrayList<>(fails);
    parts.addAll(warns);
    parts.addAll(natural);
    if (rows < t.minRows() || baselineRows < t.minRows()) {
      status = status.worst(Status.WARN);
      parts.add(
          String.format(
              java.util.Locale.ROOT,
              "rows(%s) = %d, baseline_rows = %d: below min_rows %d, too few to judge drift",
              feature,
              rows,
              baselineRows,
              t.minRows()));
    }
    String reason = parts.isEmpty() ? null : JOB + ": " + String.join("; ", parts);
    return new DriftScore(
        rows,
        baselineRows,
        psi,
        js,
        wasserstein,
        ks,
        linf,
        chi2,
        nullShare,
        baselineNullShare,
        nonFiniteShare,
        status,
        reason);
  }

  /**
   * Adds a metric past a threshold to the fails, the warns, or (inside the table's natural range,
   * so OK) the natural list, each with the range it was judged against.
   */
  private static void check(
      String feature,
      String metric,
      double value,
      double warn,
      double fail,
      NaturalRange range,
      List<String> warns,
      List<String> fails,
      List<String> natural) {
    Calibrated judged = Calibrated.judge(value, warn, fail, range);
    if (judged.note() == null) {
      return;
    }
    boolean pastFail = value >= fail;
    String comparison =
        Reasons.comparison(
                metric, feature, value, pastFail ? "fail" : "warn", pastFail ? fail : warn)
            + ", "
            + judged.note();
    (judged.status() == Status.FAIL ? fails : judged.status() == Status.WARN ? warns : natural)
        .add(comparison);
  }

  /** The {@code feature_drift} row of this score; metrics that do not apply are null. */
  FeatureDriftRecord record(
      String dataset,
      String partition,
      String runId,
      String feature,
      String kind,
      List<String> baseline,
      String reason) {
    return new FeatureDriftRecord(
        dataset,
        partition,
        runId,
        feature,
        kind,
        List.copyOf(baseline),
        rows,
        baselineRows,
        orNull(psi),
        orNull(jsDistance),
        orNull(wassersteinNorm),
        orNull(ksStat),
        orNull(linf),
        orNull(chi2PValue),
        nullShare,
        baselineNullShare,
        nonFiniteShare,
        status.name(),
        reason);
  }

  /**
   * The row of a partition with no baseline yet. It becomes the reference, unless it has fewer than
   * {@code min_rows} rows: then it is WARN, since nothing that small can be judged or trusted.
   */
  static FeatureDriftRecord bootstrap(
      String dataset,
      String partition,
      String runId,
      String feature,
      Object profile,
      long minRows) {
    boolean numeric = profile instanceof NumericProfile;
    long rows = numeric ? ((NumericProfile) profile).rows() : ((CategoricalProfile) profile).rows();
    long nulls =
        numeric ? ((NumericProfile) profile).nulls() : ((CategoricalProfile) profile).nulls();
    long nonFinite = numeric ? ((NumericProfile) profile).nonFinite() : 0;
    boolean tooFew = rows < minRows;
    return new FeatureDriftRecord(
        dataset,
        partition,
        runId,
        feature,
        numeric ? ProfileRows.NUMERIC : ProfileRows.CATEGORICAL,
        List.of(),
        rows,
        0L,
        null,
        null,
        null,
        null,
        null,
        null,
        share(nulls, rows),
        null,
        share(nonFinite, rows),
        (tooFew ? Status.WARN : Status.OK).name(),
        tooFew ? Reasons.tooFewToBootstrap(JOB, rows, minRows) : BOOTSTRAP);
  }

  private static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }
}
