package dev.assay.jobs.gate;

import dev.assay.common.Json;
import dev.assay.common.verdict.GateOutcome;
import java.util.List;

/**
 * The gate's answer.
 *
 * @param verdict PASS, WARN or FAIL; MISSING when a verdict is absent; UNKNOWN when unreadable
 * @param inputVersion the dataset version that was verified (train with versionAsOf this); null if
 *     unknown
 * @param blocked whether training must not proceed (exit 1)
 * @param signed whether verdict signatures were checked with a configured key
 */
public record GateDecision(
    String dataset,
    List<String> partitions,
    GateOutcome verdict,
    List<String> reasons,
    Long inputVersion,
    boolean blocked,
    boolean signed) {

  static GateDecision blocked(
      String dataset,
      List<String> partitions,
      GateOutcome verdict,
      List<String> reasons,
      Long inputVersion) {
    return new GateDecision(dataset, partitions, verdict, reasons, inputVersion, true, false);
  }

  /**
   * One JSON object with dataset, partitions, verdict, reasons, input_version, blocked and signed.
   */
  public String toJson() {
    return "{\"dataset\":"
        + Json.string(dataset)
        + ",\"partitions\":"
        + Json.array(partitions)
        + ",\"verdict\":"
        + Json.string(verdict.name())
        + ",\"reasons\":"
        + Json.array(reasons)
        + ",\"input_version\":"
        + (inputVersion == null ? "null" : inputVersion)
        + ",\"blocked\":"
        + blocked
        + ",\"signed\":"
        + signed
        + "}";
  }
}
