package dev.assay.jobs.label;

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
import dev.assay.common.records.AnnotatorAgreementRecord;
import dev.assay.common.records.ClassDriftRecord;
import dev.assay.common.records.FeatureDriftRecord;
import dev.assay.common.records.LabelDriftRecord;
import dev.assay.common.records.LabelProfileRecord;
import dev.assay.common.records.TriggerEvidenceRecord;
import dev.assay.common.records.TriggerRecord;
import dev.assay.common.scan.ColumnarScan;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Label integrity of each pending partition, from one pass over its label, segment and feature
 * columns: the label distribution against the trusted baseline overall and per segment value,
 * class-conditional feature drift, and backdoor-trigger candidates; plus annotator agreement when
 * an annotations table is configured. docs/label-integrity.md has the formulas.
 */
public final class LabelDriftJob implements Job {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(LabelDriftJob.class);

  /** The verdict-source tables this job writes. */
  static final List<IntegrityTable<?>> OWN_TABLES =
      List.of(
          IntegrityTables.LABEL_DRIFT,
          IntegrityTables.CLASS_DRIFT,
          IntegrityTables.TRIGGERS,
          IntegrityTables.ANNOTATOR_AGREEMENT);

  @Override
  public String name() {
    return "label-drift";
  }

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.labelColumn().isPresent();
  }

  @Override
  public Optional<IntegrityTable<?>> verdictSource() {
    return Optional.of(IntegrityTables.LABEL_DRIFT);
  }

  /** Judges the stored profiles: in a pending run it reads the version they were taken at. */
  @Override
  public boolean readsProfiles() {
    return true;
  }

  @Override
  public String describe(JobContext context) {
    return "Label integrity of "
        + context.dataset().table()
        + " ("
        + context.partitions().size()
        + " partition(s), label "
        + context.dataset().labelColumn().orElse("?")
        + ", segments "
        + context.dataset().segmentColumns()
        + ")";
  }

  @Override
  public JobOutcome run(JobContext context) {
    if (context.dataset().labelColumn().isEmpty()) {
      throw AssayException.invalidAt(
          context.dataset().keyPath(),
          "dataset '"
              + context.dataset().name()
              + "' has no label_column; set one to run label-drift.");
    }
    String dataset = context.dataset().name();
    List<String> segmentColumns = context.dataset().segmentColumns();
    Set<String> storedPartitions = LabelStates.stored(context);
    BaselinePicker picker = new BaselinePicker(context, storedPartitions, OWN_TABLES);
    Annotators annotators = new Annotators(context, picker);
    FeatureItems[] items = featureItems(context);
    List<String> featureNames = new ArrayList<>();
    for (FeatureItems item : items) {
      featureNames.add(item.feature());
    }
    long start = System.nanoTime();
    Map<String, LabelState> states = scan(context, items);
    LOG.info(
        "label pass over {} partition(s): {} ms",
        context.partitions().size(),
        (System.nanoTime() - start) / 1_000_000);
    Set<String> history = new LinkedHashSet<>();
    Set<String> available = new java.util.HashSet<>(storedPartitions);
    available.addAll(context.partitions());
    for (String partition : context.partitions()) {
      history.addAll(picker.baselineOf(partition));
      history.addAll(
          CalibrationWindow.of(
              context.allPartitions(),
              picker.calibratable(available),
              partition,
              context.dataset().baseline(),
              context.dataset().keyPath()));
    }
    history.removeAll(context.partitions());
    Map<String, LabelState> stored =
        LabelStates.load(context, history, segmentColumns, featureNames);
    SlowDrift slowDrift = new SlowDrift(context, picker, states);
    LabelJudge labels =
        new LabelJudge(
            context.dataset().thresholds(), context.dataset().labelColumn().get(), segmentColumns);
    TriggerMiner triggers = new TriggerMiner(context.dataset().labels().triggers(), items);
    TriggerEvidence evidence = new TriggerEvidence(context, items);

    LabelRows out = new LabelRows();
    Map<List<String>, LabelRanges> calibration = new HashMap<>();
    Map<String, Set<String>> drifted = driftedFeatures(context);
    long rowsRead = 0;
    int failed = 0;
    for (String partition : context.partitions()) {
      LabelState state = states.get(partition);
      if (state == null) {
        throw context.table().emptyPartition("Cannot judge labels of", partition);
      }
      rowsRead += state.rows;
      List<String> baseline = picker.baselineOf(partition);
      LabelState base = new LabelState(segmentColumns.size(), items.length);
      List<String> used = new ArrayList<>();
      for (String b : baseline) {
        LabelState s = states.containsKey(b) ? states.get(b) : stored.get(b);
        if (s != null) {
          base.merge(s);
          used.add(b);
        }
      }
      Scope scope = new Scope(dataset, partition, context.run().runId());
      Status worst;
      if (used.isEmpty() || base.labels.isEmpty()) {
        List<LabelDriftRecord> bootstrap = labels.bootstrap(scope, state);
        out.drift.addAll(bootstrap);
        worst = worstOf(bootstrap, LabelDriftRecord::status);
      } else {
        List<String> window =
            CalibrationWindow.of(
                context.allPartitions(),
                picker.calibratable(available),
                partition,
                context.dataset().baseline(),
                context.dataset().keyPath());
        LabelRanges ranges =
            calibration.computeIfAbsent(
                window,
                key ->
                    LabelRanges.of(
                        context.dataset().thresholds(),
                        key.stream()
                            .map(p -> states.containsKey(p) ? states.get(p) : stored.get(p))
                            .filter(java.util.Objects::nonNull)
                            .toList(),
                        items));
        List<LabelDriftRecord> drift =
            labels.judge(scope, state, base, used, ranges, slowDrift.judge(partition));
        List<ClassDriftRecord> classDrift =
            ClassDrift.judge(
                context.dataset().thresholds(), scope, state, base, used, items, ranges);
        List<TriggerMiner.Candidate> found =
            triggers.mine(
                state,
                base,
                drifted.getOrDefault(partition, Set.of()),
                suspects -> evidence.combos(partition, suspects));
        for (TriggerMiner.Candidate candidate : found) {
          out.triggers.add(evidence.report(scope, candidate, out.evidence));
        }
        out.drift.addAll(drift);
        out.classDrift.addAll(classDrift);
        worst =
            worstOf(drift, LabelDriftRecord::status)
                .worst(worstOf(classDrift, ClassDriftRecord::status))
                .worst(found.isEmpty() ? Status.OK : Status.FAIL);
      }
      List<AnnotatorAgreementRecord> agreement = annotators.judge(scope);
      out.annotators.addAll(agreement);
      worst = worst.worst(worstOf(agreement, AnnotatorAgreementRecord::status));
      out.profiles.addAll(LabelStates.profiles(scope, state, items));
      picker.judged(partition, worst);
      failed += worst == Status.FAIL ? 1 : 0;
    }
    LOG.info("judged in {} ms", (System.nanoTime() - start) / 1_000_000);
    out.write(context);
    LOG.info("written in {} ms", (System.nanoTime() - start) / 1_000_000);
    return new JobOutcome(
        rowsRead,
        "judged labels of "
            + context.partitions().size()
            + " partition(s) ("
            + segmentColumns.size()
            + " segment column(s), "
            + items.length
            + " features); "
            + failed
            + " FAIL");
  }

  /**
   * Per pending partition, the features whose feature drift FAILed (empty before feature-drift
   * ran).
   */
  private static Map<String, Set<String>> driftedFeatures(JobContext context) {
    Map<String, Set<String>> drifted = new HashMap<>();
    if (!context.store().exists(IntegrityTables.FEATURE_DRIFT)) {
      return drifted;
    }
    for (FeatureDriftRecord row :
        IntegrityTables.FEATURE_DRIFT.collect(
            context
                .store()
                .read(IntegrityTables.FEATURE_DRIFT)
                .where(
                    org.apache
                        .spark
                        .sql
                        .functions
                        .col("dataset")
                        .equalTo(context.dataset().name())
                        .and(
                            org.apache
                                .spark
                                .sql
                                .functions
                                .col("partition")
                                .isin(context.partitions().toArray()))
                        .and(
                            org.apache
                                .spark
                                .sql
                                .functions
                                .col("status")
                                .equalTo(Status.FAIL.name())))
                .select("partition", "feature"))) {
      drifted.computeIfAbsent(row.partition(), k -> new LinkedHashSet<>()).add(row.feature());
    }
    return drifted;
  }

  /** How each feature's values become items: frozen from earlier runs, else from the profiles. */
  private static FeatureItems[] featureItems(JobContext context) {
    Map<String, Map<String, Object>> profiles =
        ProfileRows.read(context.store(), context.dataset().name(), context.partitions());
    Map<String, String> kinds = LabelStates.kinds(context);
    List<FeatureItems> items = new ArrayList<>();
    List<Long> distincts = new ArrayList<>();
    for (String feature : context.table().numericFeatures()) {
      long distinct = 0;
      double[] edges = null;
      for (String partition : context.partitions()) {
        NumericProfile p = (NumericProfile) profile(context, profiles, partition, feature);
        distinct = Math.max(distinct, p.distinctEstimate());
        edges = p.histogram().edges();
      }
      String kind = kinds.get(feature);
      distincts.add(distinct);
      items.add(
          kind == null
              ? FeatureItems.numeric(feature, distinct, edges)
              : new FeatureItems(
                  feature,
                  kind.equals("exact") ? FeatureItems.Mode.EXACT : FeatureItems.Mode.BINNED,
                  edges));
    }
    for (String feature : context.table().categoricalFeatures()) {
      long distinct = 0;
      for (String partition : context.partitions()) {
        distinct =
            Math.max(
                distinct,
                ((CategoricalProfile) profile(context, profiles, partition, feature))
                    .distinctEstimate());
      }
      distincts.add(distinct);
      items.add(
          kinds.containsKey(feature)
              ? new FeatureItems(feature, FeatureItems.Mode.CATEGORY, null)
              : FeatureItems.categorical(feature, distinct));
    }
    items.addAll(pairs(items, distincts, kinds));
    return items.toArray(FeatureItems[]::new);
  }

  /**
   * The pair features: every pair of the (at most {@value FeatureItems#MAX_PAIRED_FEATURES})
   * features with the fewest distinct values, each at most {@value FeatureItems#PAIR_MAX_DISTINCT}.
   * Once stored, the pairs are frozen like the other features' kinds, so a baseline always has the
   * same pairs.
   */
  private static List<FeatureItems> pairs(
      List<FeatureItems> features, List<Long> distincts, Map<String, String> kinds) {
    boolean frozen = !kinds.isEmpty();
    List<Integer> candidates = new ArrayList<>();
    for (int f = 0; f < features.size(); f++) {
      if (features.get(f).pairable()
          && (frozen || distincts.get(f) <= FeatureItems.PAIR_MAX_DISTINCT)) {
        candidates.add(f);
      }
    }
    candidates.sort(java.util.Comparator.comparingLong(distincts::get));
    if (!frozen && candidates.size() > FeatureItems.MAX_PAIRED_FEATURES) {
      candidates = new ArrayList<>(candidates.subList(0, FeatureItems.MAX_PAIRED_FEATURES));
    }
    candidates.sort(null);
    List<FeatureItems> pairs = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      for (int j = i + 1; j < candidates.size(); j++) {
        FeatureItems a = features.get(candidates.get(i));
        FeatureItems b = features.get(candidates.get(j));
        if (!frozen || "pair".equals(kinds.get(FeatureItems.pairName(a.feature(), b.feature())))) {
          pairs.add(FeatureItems.pair(candidates.get(i), a, candidates.get(j), b));
        }
      }
    }
    return pairs;
  }

  private static Object profile(
      JobContext context,
      Map<String, Map<String, Object>> profiles,
      String partition,
      String feature) {
    Object profile = profiles.getOrDefault(partition, Map.of()).get(feature);
    if (profile == null) {
      throw AssayException.invalid(
          "Cannot judge labels of "
              + context.dataset().partitionColumn()
              + "="
              + partition
              + ": feature '"
              + feature
              + "' has no stored profile. Run `assay profile -c "
              + context.config().source()
              + " -d "
              + context.dataset().name()
              + " -p "
              + partition
              + "` first (nightly does).");
    }
    return profile;
  }

  /**
   * The one pass over every pending partition's label, segment and feature columns: Parquet column
   * batches when the plan is a plain columnar scan, rows otherwise.
   */
  private static Map<String, LabelState> scan(JobContext context, FeatureItems[] items) {
    int segments = context.dataset().segmentColumns().size();
    List<String> numbers = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    texts.add(context.dataset().labelColumn().get());
    texts.addAll(context.dataset().segmentColumns());
    for (FeatureItems item : items) {
      if (item.mode() != FeatureItems.Mode.PAIR) {
        (item.numeric() ? numbers : texts).add(item.feature());
      }
    }
    Optional<ColumnarScan> columnar = ColumnarScan.find(context, numbers, texts);
    LOG.info("label pass reads {}", columnar.isPresent() ? "Parquet column batches" : "rows");
    JavaRDD<Map<String, LabelState>> perTask =
        columnar
            .map(scan -> scan.batches().mapPartitions(new ColumnarLabelPass(segments, items, scan)))
            .orElseGet(() -> rowPass(context, items, numbers, texts));
    if (perTask.getNumPartitions() == 0) {
      return new HashMap<>();
    }
    return perTask.reduce(
        (a, b) -> {
          Map<String, LabelState> merged = new HashMap<>(a);
          b.forEach((partition, state) -> merged.merge(partition, state, LabelState::merge));
          return merged;
        });
  }

  private static JavaRDD<Map<String, LabelState>> rowPass(
      JobContext context, FeatureItems[] items, List<String> numbers, List<String> texts) {
    List<Column> columns = new ArrayList<>();
    columns.add(context.table().partitionString());
    for (int i = 0; i < 1 + context.dataset().segmentColumns().size(); i++) {
      columns.add(Columns.named(texts.get(i)).cast(DataTypes.StringType));
    }
    for (FeatureItems item : items) {
      if (item.mode() != FeatureItems.Mode.PAIR) {
        columns.add(
            Columns.named(item.feature())
                .cast(item.numeric() ? DataTypes.DoubleType : DataTypes.StringType));
      }
    }
    return context
        .table()
        .read(context.partitions())
        .select(columns.toArray(Column[]::new))
        .queryExecution()
        .toRdd()
        .toJavaRDD()
        .mapPartitions(new LabelPass(context.dataset().segmentColumns().size(), items));
  }

  /** The worst status of a partition's records of one table (OK for none). */
  private static <R> Status worstOf(List<R> records, Function<R, String> status) {
    Status worst = Status.OK;
    for (R record : records) {
      worst = worst.worst(Status.parse(status.apply(record)));
    }
    return worst;
  }

  static long sum(Map<String, Long> counts) {
    long total = 0;
    for (long c : counts.values()) {
      total += c;
    }
    return total;
  }

  /** Rows of every output table, written together at the end of the run. */
  static final class LabelRows {
    final List<LabelDriftRecord> drift = new ArrayList<>();
    final List<LabelProfileRecord> profiles = new ArrayList<>();
    final List<ClassDriftRecord> classDrift = new ArrayList<>();
    final List<TriggerRecord> triggers = new ArrayList<>();
    final List<TriggerEvidenceRecord> evidence = new ArrayList<>();
    final List<AnnotatorAgreementRecord> annotators = new ArrayList<>();

    /** State and evidence first, label_drift (whose rows mark a partition as done) last. */
    void write(JobContext context) {
      write(context, IntegrityTables.LABEL_PROFILES, profiles);
      write(context, IntegrityTables.CLASS_DRIFT, classDrift);
      write(context, IntegrityTables.TRIGGERS, triggers);
      write(context, IntegrityTables.TRIGGER_EVIDENCE, evidence);
      write(context, IntegrityTables.ANNOTATOR_AGREEMENT, annotators);
      write(context, IntegrityTables.LABEL_DRIFT, drift);
    }

    private static <R extends Record> void write(
        JobContext context, IntegrityTable<R> table, List<R> rows) {
      context
          .store()
          .replacePartitions(
              table, context.dataset().name(), context.partitions(), rows, context.run());
    }
  }
}
