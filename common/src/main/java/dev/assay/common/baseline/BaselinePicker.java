package dev.assay.common.baseline;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.config.BaselineConfig;
import dev.assay.common.job.JobContext;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityTable;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.store.RecordCodec;
import dev.assay.common.verdict.Status;
import dev.assay.common.verdict.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the baseline partitions of a partition. Under the default trusted strategy these are the
 * last N earlier partitions whose verdict was PASS; partitions judged earlier in the same run count
 * with the status this run gave them, so a multi-partition run equals one run per partition. A
 * partition that another job has already flagged (a WARN or FAIL row in its result table) is never
 * trusted, even before its verdict is written. With {@code season: weekday} only partitions on the
 * same day of the week count (all earlier ones while none exists yet).
 */
public final class BaselinePicker {
  private record PartitionStatus(String partition, String status) {}

  private static final RecordCodec<PartitionStatus> PARTITION_STATUS =
      RecordCodec.of(PartitionStatus.class);

  private final BaselineConfig config;
  private final String keyPath;
  private final List<String> allPartitions;
  private final Set<String> available;
  private final Map<String, Verdict> storedVerdicts;
  private final Map<String, Boolean> passedInRun = new HashMap<>();
  private final Map<String, List<String>> seeded = new HashMap<>();
  private final Set<String> flaggedElsewhere = new java.util.HashSet<>();

  /**
   * Partitions known to have failed: stored FAIL verdicts, other jobs' FAIL rows, this run's FAILs.
   */
  private final Set<String> failed = new java.util.HashSet<>();

  /**
   * A picker for a job's run, with the stored verdicts and other jobs' flags read from the store.
   *
   * @param available partitions with stored states the baseline can merge (profiles, counts)
   * @param own the calling job's result tables, whose old rows this run replaces
   */
  public BaselinePicker(JobContext context, Set<String> available, List<IntegrityTable<?>> own) {
    this(
        context.dataset().baseline(),
        context.dataset().keyPath(),
        context.allPartitions(),
        context.partitions(),
        available,
        trusts(context) ? storedVerdicts(context) : Map.of(),
        trusts(context) ? worstElsewhere(context, own, List.of("WARN", "FAIL")) : Map.of());
  }

  /**
   * A picker from plain inputs.
   *
   * @param keyPath the dataset's config key path, for errors
   * @param allPartitions every partition of the dataset, in order
   * @param inRun the partitions this run judges (their stored verdicts are about to be replaced)
   * @param available partitions with stored states the baseline can merge
   * @param storedVerdicts each partition's stored verdict (trusted strategy)
   * @param flaggedElsewhere the worst WARN or FAIL other jobs gave each partition (trusted
   *     strategy)
   */
  public BaselinePicker(
      BaselineConfig config,
      String keyPath,
      List<String> allPartitions,
      List<String> inRun,
      Set<String> available,
      Map<String, Verdict> storedVerdicts,
      Map<String, Status> flaggedElsewhere) {
    this.config = config;
    this.keyPath = keyPath;
    this.allPartitions = allPartitions;
    this.available = available;
    this.storedVerdicts = new HashMap<>(storedVerdicts); // a foreign row may lack its partition
    this.flaggedElsewhere.addAll(flaggedElsewhere.keySet());
    flaggedElsewhere.forEach(
        (partition, status) -> {
          if (status == Status.FAIL) {
            failed.add(partition);
          }
        });
    storedVerdicts.forEach(
        (partition, verdict) -> {
          if (verdict == Verdict.FAIL && !inRun.contains(partition)) {
            failed.add(partition);
          }
        });
    if (config.strategy() == BaselineConfig.Strategy.PINNED) {
      for (int i = 0; i < config.pinned().size(); i++) {
        String pinned = config.pinned().get(i);
        if (!available.contains(pinned)) {
          throw AssayException.invalidAt(
              keyPath + ".baseline.pinned[" + i + "]",
              "partition '"
                  + pinned
                  + "' has no stored profile; it must exist and be profiled first"
                  + " (assay profile -p "
                  + pinned
                  + ").");
        }
      }
    }
  }

  private static boolean trusts(JobContext context) {
    return context.dataset().baseline().strategy() == BaselineConfig.Strategy.TRUSTED;
  }

  /** Each partition's stored verdict; a word Assay never writes is FAIL. */
  private static Map<String, Verdict> storedVerdicts(JobContext context) {
    Map<String, Verdict> verdicts = new HashMap<>();
    for (VerdictRecord row :
        IntegrityTables.VERDICTS.collect(
            context
                .store()
                .read(IntegrityTables.VERDICTS)
                .where(col("dataset").equalTo(context.dataset().name()))
                .select("partition", "verdict"))) {
      verdicts.put(row.partition(), Verdict.parse(row.verdict()));
    }
    return verdicts;
  }

  /**
   * Partitions of the dataset with a row of one of {@code statuses} in a verdict-source table other
   * than {@code own}: partitions another job has already flagged.
   */
  public static Set<String> flagged(
      JobContext context, List<IntegrityTable<?>> own, List<String> statuses) {
    return worstElsewhere(context, own, statuses).keySet();
  }

  /**
   * The worst of {@code statuses} each partition has in the verdict-source tables other than {@code
   * own}.
   */
  private static Map<String, Status> worstElsewhere(
      JobContext context, List<IntegrityTable<?>> own, List<String> statuses) {
    Map<String, Status> worst = new HashMap<>();
    for (IntegrityTable<?> source : IntegrityTables.verdictSources()) {
      if (own.contains(source) || !context.store().exists(source)) {
        continue;
      }
      for (PartitionStatus row :
          PARTITION_STATUS.collect(
              context
                  .store()
                  .read(source)
                  .where(
                      col("dataset")
                          .equalTo(context.dataset().name())
                          .and(col("status").isin(statuses.toArray())))
                  .select("partition", "status")
                  .distinct())) {
        worst.merge(row.partition(), Status.parse(row.status()), Status::worst);
      }
    }
    return worst;
  }

  /** Fixes the baseline of some partitions, such as a bootstrap reference set. */
  public void seed(Map<String, List<String>> baselines) {
    seeded.putAll(baselines);
  }

  /** True when the strategy is trusted and {@code partition} has no trusted earlier partition. */
  public boolean needsBootstrap(String partition) {
    return config.strategy() == BaselineConfig.Strategy.TRUSTED && baselineOf(partition).isEmpty();
  }

  /** Records how this run judged a partition, for the partitions after it. */
  public void judged(String partition, Status status) {
    passedInRun.put(partition, status == Status.OK);
    if (status == Status.FAIL) {
      failed.add(partition);
    }
  }

  /**
   * The partitions of {@code available} a calibration window may hold: all but those known to have
   * failed (see {@link CalibrationWindow}).
   */
  public Set<String> calibratable(Set<String> available) {
    Set<String> kept = new java.util.HashSet<>(available);
    kept.removeAll(failed);
    return kept;
  }

  /** The baseline partitions of {@code partition}, oldest first; empty means bootstrap. */
  public List<String> baselineOf(String partition) {
    if (seeded.containsKey(partition)) {
      return seeded.get(partition);
    }
    if (config.strategy() == BaselineConfig.Strategy.PINNED) {
      List<String> pinned = new ArrayList<>(config.pinned());
      pinned.remove(partition);
      return pinned;
    }
    List<String> chosen = lastUsable(partition, true);
    // a weekday's first occurrence has no same-day history yet: every earlier day is better than
    // none
    return chosen.isEmpty() && config.season() != BaselineConfig.Season.NONE
        ? lastUsable(partition, false)
        : chosen;
  }

  private List<String> lastUsable(String partition, boolean seasonal) {
    int position = allPartitions.indexOf(partition);
    List<String> chosen = new ArrayList<>();
    for (int i = position - 1; i >= 0 && chosen.size() < config.partitions(); i--) {
      String candidate = allPartitions.get(i);
      if (usable(candidate)
          && (!seasonal || Seasons.comparable(config, keyPath, partition, candidate))) {
        chosen.add(candidate);
      }
    }
    Collections.reverse(chosen);
    return chosen;
  }

  /**
   * The long-term anchor of {@code partition}, the oldest baseline window, which a slow attacker
   * cannot walk: under the trusted strategy the first N trusted partitions of the dataset, under
   * trailing its first N partitions (N = {@code baseline.partitions}), under pinned the pinned set.
   * In partition order. Empty until N such partitions exist before {@code partition}, and for a
   * partition at or before the anchor's last one.
   */
  public List<String> anchorOf(String partition) {
    int position = allPartitions.indexOf(partition);
    if (config.strategy() == BaselineConfig.Strategy.PINNED) {
      List<String> pinned = new ArrayList<>(config.pinned());
      pinned.sort(java.util.Comparator.comparingInt(allPartitions::indexOf));
      return pinned.isEmpty() || allPartitions.indexOf(pinned.get(pinned.size() - 1)) >= position
          ? List.of()
          : pinned;
    }
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < position && chosen.size() < config.partitions(); i++) {
      String candidate = allPartitions.get(i);
      if (usable(candidate)) {
        chosen.add(candidate);
      }
    }
    return chosen.size() < config.partitions() ? List.of() : chosen;
  }

  /**
   * The partitions after the anchor of {@code partition} and before it that a baseline may use
   * (trusted ones under the trusted strategy; every one with stored states otherwise), oldest
   * first. Empty without an anchor.
   */
  public List<String> sinceAnchor(String partition) {
    List<String> anchor = anchorOf(partition);
    if (anchor.isEmpty()) {
      return List.of();
    }
    int position = allPartitions.indexOf(partition);
    List<String> chosen = new ArrayList<>();
    for (int i = allPartitions.indexOf(anchor.get(anchor.size() - 1)) + 1; i < position; i++) {
      String candidate = allPartitions.get(i);
      if (usable(candidate)) {
        chosen.add(candidate);
      }
    }
    return chosen;
  }

  /**
   * Whether a baseline may use {@code candidate}: it has states, and under trusted it is trusted.
   */
  private boolean usable(String candidate) {
    if (!available.contains(candidate) && !passedInRun.containsKey(candidate)) {
      return false;
    }
    return config.strategy() != BaselineConfig.Strategy.TRUSTED || trusted(candidate);
  }

  private boolean trusted(String candidate) {
    if (flaggedElsewhere.contains(candidate)) {
      return false;
    }
    Boolean inRun = passedInRun.get(candidate);
    if (inRun != null) {
      return inRun;
    }
    return storedVerdicts.get(candidate) == Verdict.PASS;
  }
}
