package dev.assay.jobs.gate;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides whether training may use partitions of a dataset. It fails closed: anything it cannot
 * verify (a missing verdict, an unreadable table, a stale verdict, data that changed after it was
 * verified) blocks.
 */
public final class Gate {
  /** What the gate blocks on besides FAIL. */
  public enum BlockOn { FAIL, WARN }

  private final SparkSession spark;
  private final IntegrityStore store;
  private final DatasetConfig dataset;
  private BlockOn blockOn = BlockOn.FAIL;
  private Duration maxAge;

  public Gate(SparkSession spark, IntegrityStore store, DatasetConfig dataset) {
    this.spark = spark;
    this.store = store;
    this.dataset = dataset;
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
      if (!e.getMessage().startsWith(dataset.keyPath() + ".table:")) {
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
    try {
      for (Row row : store.read(IntegrityTables.VERDICTS)
          .where(col("dataset").equalTo(dataset.name()).and(col("partition").isin(partitions.toArray())))
          .select("partition", "verdict", "reasons", "input_version", "decided_at").collectAsList()) {
        verdicts.put(row.getString(0), row);
      }
    } catch (Exception e) {
      reasons.add("cannot read the verdicts table " + store.ref(IntegrityTables.VERDICTS) + ": " + e.getMessage());
      return GateDecision.blocked(dataset.name(), partitions, "UNKNOWN", reasons, null);
    }
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
      if (verdict.equals("FAIL") || verdict.equals("WARN") && blockOn == BlockOn.WARN) {
        blocked = true;
      }
      if (!overall.equals("MISSING") && rank(verdict) > rank(overall)) {
        overall = verdict;
      }
      if (!verdict.equals("PASS")) {
        for (String reason : row.<String>getList(2)) {
          reasons.add(label + ": " + reason);
        }
      }
      long version = row.getLong(3);
      inputVersion = inputVersion == null ? version : Math.max(inputVersion, version);
      Instant decided = row.getTimestamp(4).toInstant();
      if (maxAge != null && decided.plus(maxAge).isBefore(Instant.now())) {
        blocked = true;
        reasons.add(label + ": verdict decided at " + decided + " is older than --max-age " + maxAge);
      }
      try {
        if (version != table.version() && !table.atVersion(version).filesOf(partition).equals(table.filesOf(partition))) {
          blocked = true;
          reasons.add(label + ": data changed after it was verified (verified at version " + version
              + ", the table is now at version " + table.version() + "); re-run `assay nightly`");
        }
      } catch (Exception e) {
        blocked = true;
        reasons.add(label + ": cannot compare the data with verified version " + version + ": " + e.getMessage());
      }
    }
    return new GateDecision(dataset.name(), partitions, overall, reasons, inputVersion, blocked);
  }

  private static int rank(String verdict) {
    return switch (verdict) {
      case "PASS" -> 0;
      case "WARN" -> 1;
      default -> 2;
    };
  }

}
