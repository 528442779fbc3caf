package dev.assay.jobs.drift;

import dev.assay.common.AssayException;
import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.baseline.CalibrationWindow;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.profile.NumericProfile;
import dev.assay.common.profile.ProfileRows;
import dev.assay.common.records.FeatureDriftRecord;
import dev.assay.common.stats.NaturalRange;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares each pending partition's stored feature profiles with the merge of its baseline
 * partitions' profiles. Reads only integrity tables: no rescans of the data.
 */
public final class FeatureDriftJob implements Job {
  static final String BOOTSTRAP_CONSENSUS =
      "feature-drift: bootstrap: agrees with most of the first partitions, so trusted as reference";

  /**
   * Fewest first partitions for a leave-one-out bootstrap; with fewer the first one is the
   * reference.
   */
  static final int MIN_CONSENSUS = 3;

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.isTable();
  }

  @Override
  public String name() {
    return "feature-drift";
  }

  @Override
  public Optional<IntegrityTable<?>> verdictSource() {
    return Optional.of(IntegrityTables.FEATURE_DRIFT);
  }

  /** Judges the stored profiles: in a pending run it reads the version they were taken at. */
  @Override
  public boolean readsProfiles() {
    return true;
  }

  @Override
  public String describe(JobContext context) {
    return "Feature drift of "
        + context.dataset().table()
        + " ("
        + context.partitions().size()
        + " partition(s)) against its "
        + context.dataset().baseline().strategy().name().toLowerCase()
        + " baseline";
  }

  @Override
  public JobOutcome run(JobContext context) {
    String dataset = context.dataset().name();
    Map<String, Map<String, Object>> profiles =
        ProfileRows.read(context.store(), dataset, context.allPartitions());
    BaselinePicker picker =
        new BaselinePicker(context, profiles.keySet(), List.of(IntegrityTables.FEATURE_DRIFT));
    List<String> features = new ArrayList<>(context.table().numericFeatures());
    features.addAll(context.table().categoricalFeatures());
    Set<String> consensus = bootstrap(context, profiles, picker, features);
    Map<String, DriftScore.Ranges> ranges = new HashMap<>();
    List<FeatureDriftRecord> rows = new ArrayList<>();
    int failed = 0;
    for (String partition : context.partitions()) {
      Map<String, Object> current = profiles.get(partition);
      if (current == null) {
        throw AssayException.invalid(
            "Cannot judge drift of "
                + context.dataset().partitionColumn()
                + "="
                + partition
                + " of "
                + dataset
                + ": it has no stored profile. Run `assay profile -c "
                + context.config().source()
                + " -d "
                + dataset
                + " -p "
                + partition
                + "` first (nightly does).");
      }
      List<String> baseline = picker.baselineOf(partition);
      List<String> window =
          CalibrationWindow.of(
              context.allPartitions(),
              picker.calibratable(profiles.keySet()),
              partition,
              context.dataset().baseline(),
              context.dataset().keyPath());
      Status worst = Status.OK;
      for (String feature : features) {
        Object profile = current.get(feature);
        if (profile == null) {
          throw AssayException.invalid(
              "Cannot judge drift of feature '"
                  + feature
                  + "' in "
                  + partition
                  + ": its profile is missing (the feature was added after profiling). Re-run"
                  + " `assay profile -p "
                  + partition
                  + "`.");
        }
        DriftScore score =
            score(
                context,
                profiles,
                feature,
                profile,
                baseline,
                ranges(context, profiles, feature, window, ranges));
        if (score == null) {
          FeatureDriftRecord bootstrap =
              DriftScore.bootstrap(
                  dataset,
                  partition,
                  context.run().runId(),
                  feature,
                  profile,
                  context.dataset().thresholds().minRows());
          rows.add(bootstrap);
          worst = worst.worst(Status.parse(bootstrap.status()));
          continue;
        }
        String reason =
            score.reason() == null && consensus.contains(partition)
                ? BOOTSTRAP_CONSENSUS
                : score.reason();
        rows.add(
            score.record(
                dataset,
                partition,
                context.run().runId(),
                feature,
                kind(profile),
                baseline,
                reason));
        worst = worst.worst(score.status());
      }
      picker.judged(partition, worst);
      failed += worst == Status.FAIL ? 1 : 0;
    }
    context
        .store()
        .replacePartitions(
            IntegrityTables.FEATURE_DRIFT, dataset, context.partitions(), rows, context.run());
    return new JobOutcome(
        0,
        "judged "
            + features.size()
            + " features of "
            + context.partitions().size()
            + " partition(s); "
            + failed
            + " FAIL");
  }

  /**
   * The robust bootstrap. When the first pending partition has no trusted baseline and at least
   * {@value #MIN_CONSENSUS} partitions are pending, the first N (the baseline size) are compared
   * pairwise. Those that FAIL against no more than half of the others form the reference set: each
   * is judged against the rest of it, and the others against it. A poisoned first partition then
   * fails instead of becoming everyone's baseline (as long as poisoned partitions are a minority).
   */
  private static Set<String> bootstrap(
      JobContext context,
      Map<String, Map<String, Object>> profiles,
      BaselinePicker picker,
      List<String> features) {
    List<String> pending = context.partitions();
    if (pending.size() < MIN_CONSENSUS || !picker.needsBootstrap(pending.get(0))) {
      return Set.of();
    }
    List<String> first =
        pending.subList(
            0,
            Math.min(
                pending.size(),
                Math.max(MIN_CONSENSUS, context.dataset().baseline().partitions())));
    Set<String> consistent = new LinkedHashSet<>();
    Map<String, DriftScore.Ranges> natural = new HashMap<>();
    for (String feature : features) {
      natural.put(feature, ranges(context, profiles, feature, first, new HashMap<>()));
    }
    for (String partition : first) {
      int fails = 0;
      for (String other : first) {
        if (!other.equals(partition)
            && worstAgainst(context, profiles, partition, List.of(other), features, natural)
                == Status.FAIL) {
          fails++;
        }
      }
      if (fails <= (first.size() - 1) / 2) {
        consistent.add(partition);
      }
    }
    if (consistent.size() < 2) {
      return Set.of();
    }
    Map<String, List<String>> baselines = new HashMap<>();
    for (String partition : first) {
      List<String> reference = new ArrayList<>(consistent);
      reference.remove(partition);
      baselines.put(partition, reference);
    }
    picker.seed(baselines);
    return consistent;
  }

  private static Status worstAgainst(
      JobContext context,
      Map<String, Map<String, Object>> profiles,
      String partition,
      List<String> baseline,
      List<String> features,
      Map<String, DriftScore.Ranges> natural) {
    Status worst = Status.OK;
    for (String feature : features) {
      DriftScore score =
          score(
              context,
              profiles,
              feature,
              profiles.get(partition).get(feature),
              baseline,
              natural.get(feature));
      if (score != null) {
        worst = worst.worst(score.status());
      }
    }
    return worst;
  }

  /**
   * A feature's natural ranges over a set of partitions (a calibration window, or the bootstrap's
   * first partitions): each scored against the merge of the others. Cached by the set.
   */
  private static DriftScore.Ranges ranges(
      JobContext context,
      Map<String, Map<String, Object>> profiles,
      String feature,
      List<String> baseline,
      Map<String, DriftScore.Ranges> cache) {
    return cache.computeIfAbsent(
        feature + "\u0000" + baseline,
        key -> {
          int n = baseline.size();
          double[][] metrics = new double[4][n];
          for (int i = 0; i < n; i++) {
            List<String> rest = new ArrayList<>(baseline);
            rest.remove(i);
            DriftScore s =
                score(
                    context,
                    profiles,
                    feature,
                    profiles.get(baseline.get(i)).get(feature),
                    rest,
                    DriftScore.Ranges.UNKNOWN);
            metrics[0][i] = s == null ? Double.NaN : s.psi();
            metrics[1][i] = s == null ? Double.NaN : s.jsDistance();
            metrics[2][i] = s == null ? Double.NaN : s.wassersteinNorm();
            metrics[3][i] =
                s == null ? Double.NaN : Math.abs(s.nullShare() - s.baselineNullShare());
          }
          return new DriftScore.Ranges(
              NaturalRange.of(metrics[0]),
              NaturalRange.of(metrics[1]),
              NaturalRange.of(metrics[2]),
              NaturalRange.of(metrics[3]));
        });
  }

  /**
   * The feature's profile scored against the merge of its baseline profiles; null when there are
   * none.
   */
  private static DriftScore score(
      JobContext context,
      Map<String, Map<String, Object>> profiles,
      String feature,
      Object profile,
      List<String> baseline,
      DriftScore.Ranges ranges) {
    List<Object> history = new ArrayList<>();
    for (String b : baseline) {
      Object p = profiles.get(b).get(feature);
      if (p != null && profile != null && p.getClass() == profile.getClass()) {
        history.add(p);
      }
    }
    if (history.isEmpty()) {
      return null;
    }
    Object merged = ProfileRows.mergeAll(history);
    return profile instanceof NumericProfile n
        ? DriftScore.numeric(n, (NumericProfile) merged, context.dataset().thresholds(), ranges)
        : DriftScore.categorical(
            (CategoricalProfile) profile,
            (CategoricalProfile) merged,
            context.dataset().thresholds(),
            ranges);
  }

  private static String kind(Object profile) {
    return profile instanceof NumericProfile ? ProfileRows.NUMERIC : ProfileRows.CATEGORICAL;
  }
}
