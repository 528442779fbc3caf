package dev.assay.jobs.duplicates;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.baseline.BaselinePicker;
import dev.assay.common.baseline.CalibrationWindow;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.config.DuplicateSettings;
import dev.assay.common.fingerprint.RowFingerprint;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.records.DuplicateIndexRecord;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Exact duplicates, replays of earlier partitions and label conflicts of each pending partition,
 * from one pass over its rows and a lookup in the fingerprint index; near-duplicates and quarantine
 * when configured. docs/duplicates.md has the design.
 */
public final class DuplicatesJob implements Job {
  private static final Logger LOG = LogManager.getLogger(DuplicatesJob.class);

  private final boolean rebuildIndex;

  public DuplicatesJob() {
    this(false);
  }

  /**
   * @param rebuildIndex ignore the stored index and write it anew from the processed partitions
   */
  public DuplicatesJob(boolean rebuildIndex) {
    this.rebuildIndex = rebuildIndex;
  }

  @Override
  public boolean appliesTo(DatasetConfig dataset) {
    return dataset.isTable();
  }

  @Override
  public String name() {
    return "duplicates";
  }

  @Override
  public Optional<IntegrityTable<?>> verdictSource() {
    return Optional.of(IntegrityTables.DUPLICATE_SUMMARY);
  }

  @Override
  public String describe(JobContext context) {
    return "Duplicates and replays in "
        + context.dataset().table()
        + " ("
        + context.partitions().size()
        + " partition(s), "
        + context.table().fingerprintColumns().size()
        + " fingerprinted columns)";
  }

  /**
   * A backfill (a new partition older than indexed ones) changes what the later partitions replay,
   * so they are judged again in the same run, as a run in partition order would have judged them.
   */
  @Override
  public List<String> alsoProcess(
      IntegrityStore store, DatasetTable table, List<String> all, List<String> selected) {
    if (rebuildIndex) {
      return List.of();
    }
    Set<String> indexed =
        new java.util.HashSet<>(FingerprintIndex.indexedPartitions(store, table.config().name()));
    int oldestBackfill = Integer.MAX_VALUE;
    for (String p : selected) {
      if (!indexed.contains(p)) {
        oldestBackfill = Math.min(oldestBackfill, all.indexOf(p));
      }
    }
    List<String> later = new ArrayList<>();
    for (int i = oldestBackfill == Integer.MAX_VALUE ? all.size() : oldestBackfill + 1;
        i < all.size();
        i++) {
      if (indexed.contains(all.get(i))) {
        later.add(all.get(i));
      }
    }
    return later;
  }

  @Override
  public JobOutcome run(JobContext context) {
    DuplicateSettings settings = context.dataset().duplicates();
    if (context.table().fingerprintColumns().isEmpty()) {
      throw dev.assay.common.AssayException.invalidAt(
          context.dataset().keyPath() + ".fingerprint.exclude",
          "every column of "
              + context.dataset().table()
              + " is excluded from the fingerprint; keep at least one");
    }
    // unsupported column types fail here, before anything is read or written
    new RowFingerprint(
        context.table().schema(),
        context.table().fingerprintColumns(),
        context.dataset().labelColumn());
    List<String> all = context.allPartitions();
    Map<String, Integer> ordinals = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      ordinals.put(all.get(i), i);
    }
    List<String> pending = context.partitions();
    boolean[] isPending = new boolean[all.size()];
    for (String p : pending) {
      isPending[ordinals.get(p)] = true;
    }
    Set<String> history = new LinkedHashSet<>();
    if (!rebuildIndex) {
      for (String p :
          FingerprintIndex.indexedPartitions(context.store(), context.dataset().name())) {
        if (ordinals.containsKey(p) && !isPending[ordinals.get(p)]) {
          history.add(p);
        }
      }
    }
    long start = System.nanoTime();
    org.apache.spark.sql.Dataset<Row> input = FingerprintScan.input(context, pending);
    JavaRDD<InternalRow> inputRows = input.queryExecution().toRdd().toJavaRDD();
    // about two reducers per input split keeps each reducer's records a few hundred MB at most
    int reducers =
        Math.max(
            Integer.parseInt(context.spark().conf().get("spark.sql.shuffle.partitions")),
            2 * inputRows.getNumPartitions());
    JavaRDD<Tuple2<Integer, RecordBlock>> scanned =
        FingerprintScan.scan(context, input, inputRows, ordinals, reducers);
    JavaRDD<Tuple2<Integer, RecordBlock>> records = scanned;
    if (!history.isEmpty()) {
      scanned.persist(StorageLevel.MEMORY_AND_DISK_SER());
      long keys = scanned.map(t -> (long) t._2().size).fold(0L, Long::sum);
      KeyBloom bloom =
          scanned.treeAggregate(
              new KeyBloom(keys),
              (b, t) -> {
                RecordBlock block = t._2();
                for (int i = 0; i < block.size; i++) {
                  b.add(block.featureHi[i], block.featureLo[i]);
                }
                return b;
              },
              KeyBloom::or);
      records = scanned.union(FingerprintIndex.lookup(context, history, ordinals, bloom, reducers));
    }
    List<String> quarantineKinds =
        settings.quarantine().map(DuplicateSettings.Quarantine::kinds).orElse(List.of());
    JavaRDD<GroupJudge.Result> results =
        JavaPairRDD.fromJavaRDD(records)
            .partitionBy(new HashPartitioner(reducers))
            .mapPartitions(
                new GroupJudge(
                    isPending, settings.sampleIds(), settings.maxGroups(), quarantineKinds))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Findings findings = results.map(r -> r.findings).treeReduce(Findings::merge);
      LOG.info(
          "fingerprints of {} partition(s) judged against {} indexed partition(s) in {} ms",
          pending.size(),
          history.size(),
          (System.nanoTime() - start) / 1_000_000);
      for (String p : pending) {
        if (findings.of(ordinals.get(p)).rows == 0) {
          throw context.table().emptyPartition("Cannot look for duplicates in", p);
        }
      }
      settings
          .near()
          .ifPresent(
              near -> NearDuplicates.find(context, pending, ordinals, near, settings, findings));
      DuplicateRows out = judge(context, pending, history, ordinals, findings);
      LOG.info("judged in {} ms", (System.nanoTime() - start) / 1_000_000);
      writeIndex(context, pending, results);
      LOG.info("index written in {} ms", (System.nanoTime() - start) / 1_000_000);
      settings
          .quarantine()
          .ifPresent(q -> Quarantine.write(context, q, pending, results, findings));
      write(context, out);
      long rows = 0;
      for (String p : pending) {
        rows += findings.of(ordinals.get(p)).rows;
      }
      return new JobOutcome(
          rows,
          "fingerprinted "
              + pending.size()
              + " partition(s) against "
              + history.size()
              + " indexed partition(s)"
              + (rebuildIndex ? " (index rebuilt)" : "")
              + "; "
              + out.failed
              + " FAIL");
    } finally {
      results.unpersist(false);
      scanned.unpersist(false);
    }
  }

  private void writeIndex(
      JobContext context, List<String> pending, JavaRDD<GroupJudge.Result> results) {
    String dataset = context.dataset().name();
    String runId = context.run().runId();
    List<String> all = context.allPartitions();
    JavaRDD<Row> rows =
        results.flatMap(
            r -> {
              List<Row> out = new ArrayList<>(r.index.size);
              RecordBlock b = r.index;
              for (int i = 0; i < b.size; i++) {
                out.add(
                    IntegrityTables.DUPLICATE_INDEX
                        .codec()
                        .toRow(
                            new DuplicateIndexRecord(
                                dataset,
                                all.get(b.ordinal[i]),
                                runId,
                                b.contentHi[i],
                                b.contentLo[i],
                                b.featureHi[i],
                                b.featureLo[i],
                                b.label[i],
                                b.rows[i],
                                b.id[i])));
              }
              return out.iterator();
            });
    var frame = context.spark().createDataFrame(rows, IntegrityTables.DUPLICATE_INDEX.schema());
    if (rebuildIndex) {
      // one file per partition, as a nightly MERGE writes: lookups then open few files
      context
          .store()
          .replace(
              IntegrityTables.DUPLICATE_INDEX,
              dataset,
              "dataset",
              List.of(dataset),
              frame.repartition(col("partition")),
              context.run());
    } else {
      FingerprintIndex.merge(context, pending, frame);
    }
  }

  /** Writes the evidence, then the summary: the verdict source last. */
  private static void write(JobContext context, DuplicateRows rows) {
    String dataset = context.dataset().name();
    context
        .store()
        .replacePartitions(
            IntegrityTables.DUPLICATES,
            dataset,
            context.partitions(),
            rows.evidence(),
            context.run());
    context
        .store()
        .replacePartitions(
            IntegrityTables.DUPLICATE_SUMMARY,
            dataset,
            context.partitions(),
            rows.summary(),
            context.run());
  }

  private static DuplicateRows judge(
      JobContext context,
      List<String> pending,
      Set<String> history,
      Map<String, Integer> ordinals,
      Findings findings) {
    String dataset = context.dataset().name();
    Map<String, RateJudge.Stats> stored = new HashMap<>();
    // summaries written before the replay signature existed read replay_source_excess as null:
    // unknown
    for (DuplicateSummaryRecord row :
        IntegrityTables.DUPLICATE_SUMMARY.collect(
            context
                .store()
                .read(IntegrityTables.DUPLICATE_SUMMARY)
                .where(col("dataset").equalTo(dataset)))) {
      stored.put(row.partition(), RateJudge.Stats.of(row));
    }
    for (String p : pending) {
      stored.remove(p);
    }
    Map<Integer, Long> rowsByOrdinal = new HashMap<>();
    stored.forEach(
        (p, s) -> {
          if (history.contains(p)) {
            rowsByOrdinal.put(ordinals.get(p), s.rows());
          }
        });
    for (String p : pending) {
      rowsByOrdinal.put(ordinals.get(p), findings.of(ordinals.get(p)).rows);
    }
    BaselinePicker picker =
        new BaselinePicker(context, stored.keySet(), List.of(IntegrityTables.DUPLICATE_SUMMARY));
    Map<String, RateJudge.Stats> fresh = new HashMap<>();
    Map<String, ReplaySource> sources = new HashMap<>();
    for (String p : pending) {
      int ordinal = ordinals.get(p);
      long earlier = 0;
      for (String h : history) {
        earlier += ordinals.get(h) < ordinal ? 1 : 0;
      }
      for (String q : pending) {
        earlier += ordinals.get(q) < ordinal ? 1 : 0;
      }
      ReplaySource source = ReplaySource.of(findings.of(ordinal), ordinal, rowsByOrdinal);
      sources.put(p, source);
      fresh.put(p, RateJudge.Stats.of(findings.of(ordinal), earlier, source));
    }
    Set<String> available = new java.util.HashSet<>(stored.keySet());
    available.addAll(pending);
    DuplicateRows out =
        new DuplicateRows(
            dataset,
            context.run().runId(),
            context.allPartitions(),
            context.dataset().thresholds());
    for (String p : pending) {
      int ordinal = ordinals.get(p);
      RateJudge.Stats stats = fresh.get(p);
      List<String> baseline = new ArrayList<>();
      List<RateJudge.Stats> baseStats = new ArrayList<>();
      for (String b : picker.baselineOf(p)) {
        RateJudge.Stats s = fresh.containsKey(b) ? fresh.get(b) : stored.get(b);
        if (s != null) {
          baseline.add(b);
          baseStats.add(s);
        }
      }
      List<RateJudge.Stats> window = new ArrayList<>();
      for (String w :
          CalibrationWindow.of(
              context.allPartitions(),
              picker.calibratable(available),
              p,
              context.dataset().baseline(),
              context.dataset().keyPath())) {
        window.add(fresh.containsKey(w) ? fresh.get(w) : stored.get(w));
      }
      Status status =
          out.add(p, ordinal, stats, sources.get(p), baseline, baseStats, window, findings);
      picker.judged(p, status);
    }
    return out;
  }
}
