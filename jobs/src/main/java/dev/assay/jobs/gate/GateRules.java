package dev.assay.jobs.gate;

import dev.assay.common.records.VerdictRecord;
import dev.assay.common.verdict.GateOutcome;
import dev.assay.common.verdict.Verdict;
import dev.assay.common.verdict.VerdictSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gate's decision for one partition, from evidence already gathered: its stored verdict row,
 * why the row's origin is not trusted (if so), the table's version and its changes since. No Spark:
 * the whole decision table is unit-tested.
 *
 * @param blockOn what blocks besides FAIL
 * @param maxAge how old a verdict may be; null for any age
 * @param now the time ages are measured at
 * @param signer the verdict key, if configured: then every row's signature must verify
 */
record GateRules(
    Gate.BlockOn blockOn, Duration maxAge, Instant now, Optional<VerdictSigner> signer) {

  /** The data's changes after a verified version, read from the dataset's Delta log. */
  @FunctionalInterface
  interface ChangeLog {
    /** Descriptions of commits after {@code version} that changed {@code partition}'s rows. */
    List<String> since(long version, String partition) throws Exception;
  }

  /**
   * What the gate says of one partition.
   *
   * @param version the verified input version, when the verdict was trusted
   */
  record Judgement(GateOutcome outcome, boolean blocked, List<String> reasons, Long version) {}

  /**
   * @param label how reasons name the partition ({@code day=2024-01-01})
   * @param row its verdict row; null when it has none
   * @param untrusted why its row's origin is not trusted (unfinished run, no provenance); null if
   *     trusted
   * @param tableVersion the dataset's current version
   */
  Judgement judge(
      String label,
      String partition,
      VerdictRecord row,
      String untrusted,
      long tableVersion,
      ChangeLog changes) {
    List<String> reasons = new ArrayList<>();
    if (row == null) {
      reasons.add(
          label
              + ": no verdict; run `assay nightly` (or `assay verdict -p "
              + partition
              + "`) first");
      return new Judgement(GateOutcome.MISSING, true, reasons, null);
    }
    if (row.inputVersion() == null || row.decidedAt() == null || row.verdict() == null) {
      reasons.add(
          label
              + ": its verdict row has a null verdict, input_version or decided_at; the verdicts table"
              + " was written outside Assay; re-run `assay verdict`");
      return new Judgement(GateOutcome.UNKNOWN, true, reasons, null);
    }
    String distrust = untrusted != null ? untrusted : distrust(row, tableVersion);
    if (distrust != null) {
      reasons.add(label + ": untrusted verdict: " + distrust);
      return new Judgement(GateOutcome.UNKNOWN, true, reasons, null);
    }
    Verdict verdict = Verdict.parse(row.verdict());
    boolean blocked =
        verdict == Verdict.FAIL || verdict == Verdict.WARN && blockOn == Gate.BlockOn.WARN;
    if (verdict != Verdict.PASS && row.reasons() != null) {
      for (String reason : row.reasons()) {
        reasons.add(label + ": " + reason);
      }
    }
    long version = row.inputVersion();
    Instant decided = row.decidedAt().toInstant();
    if (maxAge != null && decided.plus(maxAge).isBefore(now)) {
      blocked = true;
      reasons.add(label + ": verdict decided at " + decided + " is older than --max-age " + maxAge);
    }
    try {
      List<String> changed = changes.since(version, partition);
      if (!changed.isEmpty()) {
        blocked = true;
        reasons.add(
            label
                + ": data changed after it was verified at version "
                + version
                + ": "
                + String.join("; ", changed)
                + " (the table is now at version "
                + tableVersion
                + "); re-run `assay nightly`");
      }
    } catch (Exception e) {
      blocked = true;
      reasons.add(
          label
              + ": cannot tell whether the data changed after verified version "
              + version
              + ": "
              + e.getMessage()
              + "; re-run `assay nightly -p "
              + partition
              + "` to verify it again");
    }
    return new Judgement(GateOutcome.of(verdict), blocked, reasons, version);
  }

  /** Why a complete row is not trusted on its own terms (signature, version); null if it is. */
  private String distrust(VerdictRecord row, long tableVersion) {
    if (signer.isPresent()
        && !signer
            .get()
            .verify(
                row.signature(),
                row.dataset(),
                row.partition(),
                row.runId(),
                row.verdict(),
                row.reasons(),
                row.inputVersion(),
                row.decidedAt())) {
      return "its verdict row's signature does not verify with the configured key (row signed with key id "
          + row.keyId()
          + ", configured "
          + signer.get().keyId()
          + "): it was changed outside Assay, or signed"
          + " before a key change; re-run `assay verdict`";
    }
    if (signer.isEmpty() && row.signature() != null) {
      return "its verdict row is signed (key id "
          + row.keyId()
          + ") but no verdict key is configured here, so"
          + " the signature cannot be checked; give the gate the nightly's key (docs/security.md)";
    }
    if (row.inputVersion() > tableVersion) {
      return "it was verified at version "
          + row.inputVersion()
          + ", but the table is now at version "
          + tableVersion
          + ": the table was re-created or its log rolled back; re-run `assay nightly`";
    }
    return null;
  }
}
