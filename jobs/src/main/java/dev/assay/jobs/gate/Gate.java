package dev.assay.jobs.gate;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.PartitionChanges;
import dev.assay.common.verdict.VerdictSigner;
import java.sql.Timestamp;
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
 * verify blocks. That is a missing verdict, an unreadable table, a stale verdict, a verdict row that
 * Assay's verdict job did not write (bad signature, missing provenance, unfinished or rolled-back
 * run), and data that changed after it was verified (read from the dataset's Delta log).
 */
public final class Gate {
  /** What the gate blocks on besides FAIL. */
  public enum BlockOn { FAIL, WARN }

  private final SparkSession spark;
  private final IntegrityStore store;
  private final DatasetConfig dataset;
  private final Optional<VerdictSigner> signer;
  private BlockOn blockOn = BlockOn.FAIL;
  private Duration maxAge;

  /** @param signer the verdict key, if configured: then every verdict row must carry a valid signature */
  public Gate(SparkSession spark, IntegrityStore store, DatasetConfig dataset, Optional<VerdictSigner> signer) {
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
      return GateDecision.blocked(dataset.name(), requested, "UNKNOWN", reasons, null);
    } catch (Exception e) {
      reasons.add("cannot read dataset " + dataset.table() + ": " + e.getMessage());
      return GateDecision.blocked(dataset.name(), requested, "UNKNOWN", reasons, null);
    }
    if (partitions.isEmpty()) {
      reasons.add("dataset " + dataset.name() + " has no partitions to verify");
      return GateDecision.blocked(dataset.name(), partitions, "MISSING", reasons, null);
    }
    Map<String, Row> verdicts = new HashMap<>();
    Map<String, String> untrusted;
    try {
      Optional<Dataset<Row>> stored = store.readIfCreated(IntegrityTables.VERDICTS);
      if (stored.isPresent()) {
        for (Row row : stored.get()
            .where(col("dataset").equalTo(dataset.name()).and(col("partition").isin(partitions.toArray())))
            .select("partition", "verdict", "reasons", "input_version", "decided_at", "run_id", "key_id", "signature")
            .collectAsList()) {
          if (verdicts.put(row.getString(0), row) != null) {
            reasons.add(dataset.partitionColumn() + "=" + row.getString(0) + ": more than one verdict row; the"
                + " verdicts table was written outside Assay");
            return GateDecision.blocked(dataset.name(), partitions, "UNKNOWN", reasons, null);
          }
        }
      }
      untrusted = new HashMap<>(VerdictOrigin.unfinishedOrRolledBack(store, dataset.name(), verdicts));
      if (signer.isEmpty() && !verdicts.isEmpty()) {
        VerdictOrigin.provenance(spark, store, dataset.name(), verdicts).forEach(untrusted::putIfAbsent);
      }
    } catch (AssayException e) {
      reasons.add(e.getMessage());
      return GateDecision.blocked(dataset.name(), partitions, "UNKNOWN", reasons, null);
    } catch (Exception e) {
      reasons.add("integrity table verdicts unreadable: " + store.ref(IntegrityTables.VERDICTS) + ": " + e.getMessage());
      return GateDecision.blocked(dataset.name(), partitions, "UNKNOWN", reasons, null);
    }
    PartitionChanges changes = new PartitionChanges(spark, table);
    String overall = "PASS";
    boolean blocked = false;
    Long inputVersion = null;
    for (String partition : partitions) {
      Row row = verdicts.get(partition);
      String label = dataset.partitionColumn() + "=" + partition;
      if (row == null) {
        reasons.add(label + ": no verdict; run `assay nightly` (or `assay verdict -p " + partition + "`) first");
        overall = "MISSING";
        blocked = true;
        continue;
      }
      String verdict = row.getString(1);
      List<String> why = row.isNullAt(2) ? null : row.getList(2);
      if (row.isNullAt(3) || row.isNullAt(4) || verdict == null) {
        reasons.add(label + ": its verdict row has a null verdict, input_version or decided_at; the verdicts table"
            + " was written outside Assay; re-run `assay verdict`");
        overall = "UNKNOWN";
        blocked = true;
        continue;
      }
      long version = row.getLong(3);
      Timestamp decidedAt = row.getTimestamp(4);
      if (signer.isPresent() && !signer.get().verify(row.getString(7), dataset.name(), partition, row.getString(5),
          verdict, why, version, decidedAt)) {
        untrusted.putIfAbsent(partition, "its verdict row's signature does not verify with the configured key"
            + " (row signed with key id " + row.getString(6) + ", configured " + signer.get().keyId() + "): it was"
            + " changed outside Assay, or signed before a key change; re-run `assay verdict`");
      }
      if (signer.isEmpty() && row.getString(7) != null) {
        untrusted.putIfAbsent(partition, "its verdict row is signed (key id " + row.getString(6) + ") but no verdict"
            + " key is configured here, so the signature cannot be checked; give the gate the nightly's key"
            + " (docs/security.md)");
      }
      if (version > table.version()) {
        untrusted.putIfAbsent(partition, "it was verified at version " + version + ", but the table is now at version "
            + table.version() + ": the table was re-created or its log rolled back; re-run `assay nightly`");
      }
      if (untrusted.containsKey(partition)) {
        reasons.add(label + ": untrusted verdict: " + untrusted.get(partition));
        blocked = true;
        if (!overall.equals("MISSING")) {
          overall = "UNKNOWN";
        }
        continue;
      }
      if (verdict.equals("FAIL") || verdict.equals("WARN") && blockOn == BlockOn.WARN
          || !verdict.equals("PASS") && !verdict.equals("WARN")) {
        blocked = true;
      }
      if (!overall.equals("MISSING") && !overall.equals("UNKNOWN") && rank(verdict) > rank(overall)) {
        overall = verdict;
      }
      if (!verdict.equals("PASS") && why != null) {
        for (String reason : why) {
          reasons.add(label + ": " + reason);
        }
      }
      inputVersion = inputVersion == null ? version : Math.max(inputVersion, version);
      Instant decided = decidedAt.toInstant();
      if (maxAge != null && decided.plus(maxAge).isBefore(Instant.now())) {
        blocked = true;
        reasons.add(label + ": verdict decided at " + decided + " is older than --max-age " + maxAge);
      }
      try {
        List<String> changed = changes.since(version, partition);
        if (!changed.isEmpty()) {
          blocked = true;
          reasons.add(label + ": data changed after it was verified at version " + version + ": "
              + String.join("; ", changed) + " (the table is now at version " + table.version()
              + "); re-run `assay nightly`");
        }
      } catch (Exception e) {
        blocked = true;
        reasons.add(label + ": cannot tell whether the data changed after verified version " + version + ": "
            + e.getMessage() + "; re-run `assay nightly -p " + partition + "` to verify it again");
      }
    }
    if (requested.isEmpty() && inputVersion != null && !blocked) {
      blocked |= unverifiedRowsAt(table, inputVersion, partitions, reasons);
    }
    return new GateDecision(dataset.name(), partitions, overall, reasons, inputVersion, blocked, signer.isPresent());
  }

  /**
   * Training on the whole table reads it at {@code version}: rows there that no verdict covers (a
   * partition deleted since, or rows with a null partition value, which no job judges) block.
   */
  private static boolean unverifiedRowsAt(DatasetTable table, long version, List<String> checked, List<String> reasons) {
    DatasetTable then = table.atVersion(version);
    List<String> unchecked = new ArrayList<>(then.partitions());
    unchecked.removeAll(checked);
    boolean blocked = false;
    if (!unchecked.isEmpty()) {
      reasons.add("version " + version + ", the version to train from, holds partition(s) " + unchecked
          + " that were not verified (deleted since?); verify them with `assay nightly -p`, or train on named"
          + " partitions with -p");
      blocked = true;
    }
    if (!then.read().where(dev.assay.common.table.Columns.named(table.config().partitionColumn()).isNull()).limit(1)
        .isEmpty()) {
      reasons.add("version " + version + " holds rows with a null " + table.config().partitionColumn()
          + ", which no job judges; give them a partition value or delete them");
      blocked = true;
    }
    return blocked;
  }

  private static int rank(String verdict) {
    return switch (verdict) {
      case "PASS" -> 0;
      case "WARN" -> 1;
      case "FAIL" -> 2;
      default -> 3;
    };
  }

}
