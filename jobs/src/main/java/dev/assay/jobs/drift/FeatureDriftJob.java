package dev.assay.jobs.drift;

import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.profile.NumericProfile;
import dev.assay.common.profile.ProfileRows;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Compares each pending partition's stored feature profiles with the merge of its baseline
 * partitions' profiles. Reads only integrity tables: no rescans of the data.
 */
public final class FeatureDriftJob implements Job {
  static final String BOOTSTRAP =
      "feature-drift: no baseline yet (bootstrap): the first trusted partition becomes the reference";

  @Override
  public String name() {
    return "feature-drift";
  }

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return true;
  }

  @Override
  public Optional<IntegrityTable> verdictSource() {
    return Optional.of(IntegrityTables.FEATURE_DRIFT);
  }

  @Override
  public String describe(JobContext context) {
    return "Feature drift of " + context.dataset().table() + " (" + context.partitions().size()
        + " partition(s)) against its " + context.dataset().baseline().strategy().name().toLowerCase()
        + " baseline";
  }

  @Override
  public JobOutcome run(JobContext context) {
    String dataset = context.dataset().name();
    Map<String, Map<String, Object>> profiles =
        ProfileRows.read(context.store(), dataset, context.allPartitions());
    BaselinePicker picker = new BaselinePicker(context, profiles.keySet());
    List<String> features = new ArrayList<>(context.table().numericFeatures());
    features.addAll(context.table().categoricalFeatures());
    List<Row> rows = new ArrayList<>();
    int failed = 0;
    for (String partition : context.partitions()) {
      Map<String, Object> current = profiles.get(partition);
      if (current == null) {
        throw dev.assay.common.AssayException.invalid("Cannot judge drift of " + context.dataset().partitionColumn()
            + "=" + partition + " of " + dataset + ": it has no stored profile. Run `assay profile -c "
            + context.config().source() + " -d " + dataset + " -p " + partition + "` first (nightly does).");
      }
      List<String> baseline = picker.baselineOf(partition);
      Status worst = Status.OK;
      for (String feature : features) {
        Object profile = current.get(feature);
        if (profile == null) {
          throw dev.assay.common.AssayException.invalid("Cannot judge drift of feature '" + feature + "' in "
              + partition + ": its profile is missing (the feature was added after profiling). Re-run"
              + " `assay profile -p " + partition + "`.");
        }
        List<Object> history = new ArrayList<>();
        for (String b : baseline) {
          Object p = profiles.get(b).get(feature);
          if (p != null && p.getClass() == profile.getClass()) {
            history.add(p);
          }
        }
        Row row = history.isEmpty()
            ? bootstrapRow(dataset, partition, context.run().runId(), feature, profile)
            : scoreRow(dataset, partition, context, feature, profile, ProfileRows.mergeAll(history), baseline);
        worst = worst.worst(Status.parse(row.getString(17)));
        rows.add(row);
      }
      picker.judged(partition, worst == Status.OK);
      failed += worst == Status.FAIL ? 1 : 0;
    }
    context.store().replacePartitions(IntegrityTables.FEATURE_DRIFT, dataset, context.partitions(),
        context.spark().createDataFrame(rows, IntegrityTables.FEATURE_DRIFT.schema()), context.run());
    return new JobOutcome(0, "judged " + features.size() + " features of " + context.partitions().size()
        + " partition(s); " + failed + " FAIL");
  }

  private static Row scoreRow(String dataset, String partition, JobContext context, String feature,
      Object profile, Object baseline, List<String> baselinePartitions) {
    DriftScore s = profile instanceof NumericProfile n
        ? DriftScore.numeric(n, (NumericProfile) baseline, context.dataset().thresholds())
        : DriftScore.categorical((CategoricalProfile) profile, (CategoricalProfile) baseline,
            context.dataset().thresholds());
    String kind = profile instanceof NumericProfile ? ProfileRows.NUMERIC : ProfileRows.CATEGORICAL;
    return RowFactory.create(dataset, partition, context.run().runId(), feature, kind,
        baselinePartitions.toArray(new String[0]), s.rows(), s.baselineRows(), nan(s.psi()),
        nan(s.jsDistance()), nan(s.wassersteinNorm()), nan(s.ksStat()), nan(s.linf()), nan(s.chi2PValue()),
        s.nullShare(), s.baselineNullShare(), s.nonFiniteShare(), s.status().name(), s.reason());
  }

  private static Row bootstrapRow(String dataset, String partition, String runId, String feature, Object profile) {
    boolean numeric = profile instanceof NumericProfile;
    long rows = numeric ? ((NumericProfile) profile).rows() : ((CategoricalProfile) profile).rows();
    long nulls = numeric ? ((NumericProfile) profile).nulls() : ((CategoricalProfile) profile).nulls();
    long nonFinite = numeric ? ((NumericProfile) profile).nonFinite() : 0;
    return RowFactory.create(dataset, partition, runId, feature,
        numeric ? ProfileRows.NUMERIC : ProfileRows.CATEGORICAL, new String[0], rows, 0L, null, null, null,
        null, null, null, rows == 0 ? 0.0 : (double) nulls / rows, null,
        rows == 0 ? 0.0 : (double) nonFinite / rows, Status.OK.name(), BOOTSTRAP);
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
