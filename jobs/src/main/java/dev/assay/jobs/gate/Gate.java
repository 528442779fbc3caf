package dev.assay.jobs.gate;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.PartitionChanges;
import dev.assay.common.verdict.GateOutcome;
import dev.assay.common.verdict.VerdictSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides whether training may use partitions of a dataset. It fails closed: anything it cannot
 * verify blocks. That is a missing verdict, an unreadable table, a stale verdict, a verdict row
 * that Assay's verdict job did not write (bad signature, missing provenance, unfinished or
 * rolled-back run), and data that changed after it was verified (read from the dataset's Delta
 * log).
 */
public final class Gate {
  /** What the gate blocks on besides FAIL. */
  public enum BlockOn {
    FAIL,
    WARN
  }

  private final SparkSession spark;
  private final IntegrityStore store;
  private final DatasetConfig dataset;
  private final Optional<VerdictSigner> signer;
  private BlockOn blockOn = BlockOn.FAIL;
  private Duration maxAge;

  /**
   * @param signer the verdict key, if configured: then every verdict row must carry a valid
   *     signature
   */
  public Gate(
      SparkSession spark,
      IntegrityStore store,
      DatasetConfig dataset,
      Optional<VerdictSigner> signer) {
    this.spark = spark;
    this.store = store;
    this.dataset = dataset;
    this.signer = signer;
  }

  public Gate blockOn(BlockOn level) {
    this.blockOn = level;
    return this;
  }

  public Gate maxAge(Duration age) {
    this.maxAge = age;
    return this;
  }

  /** Checks the given partitions, or every partition of the table when the list is empty. */
  public GateDecision check(List<String> requested) {
    List<String> reasons = new ArrayList<>();
    DatasetTable table;
    List<String> partitions;
    try {
      table = DatasetTable.open(spark, dataset);
      partitions = requested.isEmpty() ? table.partitions() : requested;
    } catch (AssayException e) {
      if (!e.keyPath().equals(Optional.of(dataset.keyPath() + ".table"))) {
        throw e;
      }
      reasons.add("cannot read dataset " + dataset.table() + ": " + e.getMessage());
      return GateDecision.blocked(dataset.name(), requested, GateOutcome.UNKNOWN, reasons, null);
    } catch (Exception e) {
      reasons.add("cannot read dataset " + dataset.table() + ": " + e.getMessage());
      return GateDecision.blocked(dataset.name(), requested, GateOutcome.UNKNOWN, reasons, null);
    }
    if (partitions.isEmpty()) {
      reasons.add("dataset " + dataset.name() + " has no partitions to verify");
      return GateDecision.blocked(dataset.name(), partitions, GateOutcome.MISSING, reasons, null);
    }
    Map<String, VerdictRecord> verdicts = new HashMap<>();
    Map<String, String> untrusted;
    try {
      Optional<Dataset<Row>> stored = store.readIfCreated(IntegrityTables.VERDICTS);
      if (stored.isPresent()) {
        for (VerdictRecord row :
            IntegrityTables.VERDICTS.collect(
                stored
                    .get()
                    .where(
                        col("dataset")
                            .equalTo(dataset.name())
                            .and(col("partition").isin(partitions.toArray()))))) {
          if (verdicts.put(row.partition(), row) != null) {
            reasons.add(
                dataset.partitionColumn()
                    + "="
                    + row.partition()
                    + ": more than one verdict row; the"
                    + " verdicts table was written outside Assay");
            return GateDecision.blocked(
                dataset.name(), partitions, GateOutcome.UNKNOWN, reasons, null);
          }
        }
      }
      untrusted =
          new HashMap<>(VerdictOrigin.unfinishedOrRolledBack(store, dataset.name(), verdicts));
      if (signer.isEmpty() && !verdicts.isEmpty()) {
        VerdictOrigin.provenance(spark, store, dataset.name(), verdicts)
            .forEach(untrusted::putIfAbsent);
      }
    } catch (AssayException e) {
      reasons.add(e.getMessage());
      return GateDecision.blocked(dataset.name(), partitions, GateOutcome.UNKNOWN, reasons, null);
    } catch (Exception e) {
      reasons.add(
          "integrity table verdicts unreadable: "
              + store.ref(IntegrityTables.VERDICTS)
              + ": "
              + e.getMessage());
      return GateDecision.blocked(dataset.name(), partitions, GateOutcome.UNKNOWN, reasons, null);
    }
    PartitionChanges changes = new PartitionChanges(spark, table);
    GateRules rules = new GateRules(blockOn, maxAge, Instant.now(), signer);
    GateOutcome overall = GateOutcome.PASS;
    boolean blocked = false;
    Long inputVersion = null;
    for (String partition : partitions) {
      GateRules.Judgement judgement =
          rules.judge(
              dataset.partitionColumn() + "=" + partition,
              partition,
              verdicts.get(partition),
              untrusted.get(partition),
              table.version(),
              changes::since);
      overall = overall.worst(judgement.outcome());
      blocked |= judgement.blocked();
      reasons.addAll(judgement.reasons());
      if (judgement.version() != null) {
        inputVersion =
            inputVersion == null
                ? judgement.version()
                : Math.max(inputVersion, judgement.version());
      }
    }
    if (requested.isEmpty() && inputVersion != null && !blocked) {
      blocked |= unverifiedRowsAt(table, inputVersion, partitions, reasons);
    }
    return new GateDecision(
        dataset.name(), partitions, overall, reasons, inputVersion, blocked, signer.isPresent());
  }

  /**
   * Training on the whole table reads it at {@code version}: rows there that no verdict covers (a
   * partition deleted since, or rows with a null partition value, which no job judges) block.
   */
  private static boolean unverifiedRowsAt(
      DatasetTable table, long version, List<String> checked, List<String> reasons) {
    DatasetTable then = table.atVersion(version);
    List<String> unchecked = new ArrayList<>(then.partitions());
    unchecked.removeAll(checked);
    boolean blocked = false;
    if (!unchecked.isEmpty()) {
      reasons.add(
          "version "
              + version
              + ", the version to train from, holds partition(s) "
              + unchecked
              + " that were not verified (deleted since?); verify them with `assay nightly -p`, or train on named"
              + " partitions with -p");
      blocked = true;
    }
    if (!then.read()
        .where(dev.assay.common.table.Columns.named(table.config().partitionColumn()).isNull())
        .limit(1)
        .isEmpty()) {
      reasons.add(
          "version "
              + version
              + " holds rows with a null "
              + table.config().partitionColumn()
              + ", which no job judges; give them a partition value or delete them");
      blocked = true;
    }
    return blocked;
  }
}
