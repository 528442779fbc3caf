package dev.assay.jobs.verdict;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import dev.assay.common.job.Job;
import dev.assay.common.job.JobContext;
import dev.assay.common.job.JobOutcome;
import dev.assay.common.records.PartitionRun;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.store.RecordCodec;
import dev.assay.common.verdict.Status;
import dev.assay.common.verdict.Verdict;
import dev.assay.common.verdict.VerdictSigner;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verdict of each partition: the worst status across every verdict-source table (any integrity
 * table with {@code status} and {@code reason} columns), FAIL when a configured job has no
 * successful run on the partition. {@code input_version} is the oldest dataset version any of those
 * runs read, so the gate can tell whether the partition changed since. With a verdict key
 * configured, each row is signed (HMAC-SHA256 over its deciding fields, see {@link VerdictSigner}).
 */
public final class VerdictJob implements Job {
  /** The columns of a verdict source that a verdict reads. */
  private record ResultStatus(String partition, String status, String reason) {}

  private static final RecordCodec<ResultStatus> RESULT_STATUS = RecordCodec.of(ResultStatus.class);

  static final int MAX_REASONS = 50;
  private final Map<String, List<String>> expectedJobs;

  /**
   * @param expectedJobs per dataset name, the jobs whose results a verdict needs
   */
  public VerdictJob(Map<String, List<String>> expectedJobs) {
    this.expectedJobs = Map.copyOf(expectedJobs);
  }

  @Override
  public String name() {
    return "verdict";
  }

  /** A verdict is pending until it is newer than every job result of its partition. */
  @Override
  public Pending pending() {
    return Pending.OLDER_THAN_OTHER_JOBS;
  }

  @Override
  public String describe(JobContext context) {
    return "Verdicts of "
        + context.partitions().size()
        + " partition(s) of "
        + context.dataset().name();
  }

  @Override
  public JobOutcome run(JobContext context) {
    String dataset = context.dataset().name();
    List<String> partitions = context.partitions();
    Map<String, Status> worst = new HashMap<>();
    Map<String, Set<String>> reasons = new HashMap<>();
    // notes of OK rows (bootstrap, within the natural range) explain a PASS; a WARN or FAIL lists
    // its causes
    Map<String, Set<String>> notes = new HashMap<>();
    for (String partition : partitions) {
      worst.put(partition, Status.OK);
      reasons.put(partition, new LinkedHashSet<>());
      notes.put(partition, new LinkedHashSet<>());
    }
    for (IntegrityTable<?> source : IntegrityTables.verdictSources()) {
      // a writer may create tables: every verdict source exists after a first nightly, for SQL
      context.store().ensure(source);
      for (ResultStatus row :
          RESULT_STATUS.collect(
              context
                  .store()
                  .read(source)
                  .where(
                      col("dataset")
                          .equalTo(dataset)
                          .and(col("partition").isin(partitions.toArray())))
                  .where(not(col("status").eqNullSafe("OK")).or(col("reason").isNotNull()))
                  .select("partition", "status", "reason"))) {
        Status status = Status.parse(row.status());
        worst.merge(row.partition(), status, Status::worst);
        if (!Status.known(row.status())) {
          reasons
              .get(row.partition())
              .add(
                  source.name()
                      + ": a result row with status "
                      + (row.status() == null ? "null" : "'" + row.status() + "'")
                      + ", not OK, WARN or FAIL, counts as"
                      + " FAIL (Assay's jobs never write one: re-run the job, and check who else writes the integrity"
                      + " tables)");
        }
        if (row.reason() != null) {
          (status == Status.OK ? notes : reasons).get(row.partition()).add(row.reason());
        }
      }
    }
    Map<String, Map<String, Long>> versions = latestRunVersions(context);
    List<String> expected = expectedJobs.getOrDefault(dataset, List.of());
    List<VerdictRecord> rows = new ArrayList<>();
    Timestamp decidedAt = VerdictSigner.storable(Instant.now());
    Optional<VerdictSigner> signer =
        VerdictSigner.configured(System.getenv(), context.config().integrity().verdictKeyFile());
    int failed = 0;
    for (String partition : partitions) {
      Map<String, Long> byJob = versions.getOrDefault(partition, Map.of());
      for (String job : expected) {
        if (!byJob.containsKey(job)) {
          worst.put(partition, Status.FAIL);
          reasons
              .get(partition)
              .add(
                  job
                      + ": no results for this partition; run `assay "
                      + job
                      + " -p "
                      + partition
                      + "` (nightly does)");
        }
      }
      long inputVersion =
          byJob.values().stream()
              .mapToLong(Long::longValue)
              .min()
              .orElse(context.table().version());
      Status status = worst.get(partition);
      if (status == Status.OK) {
        reasons.get(partition).addAll(notes.get(partition));
      }
      failed += status == Status.FAIL ? 1 : 0;
      List<String> why = capped(reasons.get(partition));
      String runId = context.run().runId();
      String verdict = Verdict.of(status).name();
      rows.add(
          new VerdictRecord(
              dataset,
              partition,
              runId,
              verdict,
              why,
              inputVersion,
              decidedAt,
              signer.map(VerdictSigner::keyId).orElse(null),
              signer
                  .map(
                      s -> s.sign(dataset, partition, runId, verdict, why, inputVersion, decidedAt))
                  .orElse(null)));
    }
    context
        .store()
        .replacePartitions(IntegrityTables.VERDICTS, dataset, partitions, rows, context.run());
    return new JobOutcome(0, "decided " + partitions.size() + " verdict(s); " + failed + " FAIL");
  }

  /** Per partition and job, the input version of the job's latest successful run on it. */
  private static Map<String, Map<String, Long>> latestRunVersions(JobContext context) {
    Map<String, Map<String, Long>> versions = new HashMap<>();
    Map<String, Map<String, Timestamp>> when = new HashMap<>();
    for (PartitionRun run :
        context
            .store()
            .succeededRuns(context.dataset().name(), "job <> 'verdict'", context.partitions())) {
      Timestamp seen = when.computeIfAbsent(run.partition(), k -> new HashMap<>()).get(run.job());
      if (seen == null || run.finishedAt().after(seen)) {
        when.get(run.partition()).put(run.job(), run.finishedAt());
        versions
            .computeIfAbsent(run.partition(), k -> new HashMap<>())
            .put(run.job(), run.inputVersion());
      }
    }
    return versions;
  }

  private static List<String> capped(Set<String> reasons) {
    List<String> list = new ArrayList<>(reasons);
    list.sort(null);
    if (list.size() > MAX_REASONS) {
      int more = list.size() - MAX_REASONS;
      list = new ArrayList<>(list.subList(0, MAX_REASONS));
      list.add("... and " + more + " more reasons in the integrity tables");
    }
    return List.copyOf(list);
  }
}
