package dev.assay.jobs.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an on-call engineer should do about a verdict reason. A reason starts with the job that
 * raised it ({@code feature-drift: ...}); the first rule whose job and phrase match gives the hint.
 */
final class Runbook {
  private record Rule(String job, String phrase, String hint) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "any",
              "no results for this partition",
              "A job has not run on this partition: run the command the reason names (or `assay nightly`), then"
                  + " `assay verdict` again. Until then the gate stays closed."),
          new Rule(
              "feature-drift",
              "bootstrap",
              "First partitions: nothing to compare with yet. Check that they are representative; they become the"
                  + " trusted baseline."),
          new Rule(
              "feature-drift",
              "non_finite",
              "NaN or Infinity values arrived: look for a division by zero or a parse error upstream."),
          new Rule(
              "feature-drift",
              "null_share",
              "Nulls jumped: a column went missing or a join broke upstream. Compare the producer's schema and"
                  + " recent deploys."),
          new Rule(
              "feature-drift",
              "",
              "A feature's distribution moved away from the trusted baseline. Open the histogram below: a whole"
                  + " shift by a factor suggests a unit change; a missing block of values, a dropped sub-population;"
                  + " new spikes, fabricated rows. Fix or drop the partition, and keep it out of training until it"
                  + " passes."),
          new Rule(
              "label-drift",
              "backdoor trigger",
              "A rare feature combination carries one label almost always: a possible backdoor. Drop the evidence"
                  + " rows (integrity.trigger_evidence) and find who wrote them; never train on them."),
          new Rule(
              "label-drift",
              "annotator",
              "An annotator disagrees with the others far more than before: audit their recent judgements and"
                  + " re-label their items from the other annotators' majority."),
          new Rule(
              "label-drift",
              "annotations",
              "Annotators disagree overall: check the labelling guidelines and the annotation tool for changes."),
          new Rule(
              "label-drift",
              "segment",
              "One source or segment's label mix moved: possible label flipping there. Compare its labels with"
                  + " other sources for the same kind of rows, and hold that source's rows back."),
          new Rule(
              "label-drift",
              "class-conditional",
              "Within a class the features changed while the overall mix did not: labels may have been flipped or"
                  + " relabelled. Inspect the class's rows next to the baseline's."),
          new Rule(
              "label-drift",
              "",
              "The label distribution shifted. Confirm with the data owner whether the shift is real before"
                  + " training on it."),
          new Rule(
              "duplicates",
              "replay",
              "Rows already seen in older partitions came back under new ids: a replay. The evidence lists each"
                  + " group's first-seen partition; quarantined copies are in the duplicates quarantine table."
                  + " Anti-join on the ids before training."),
          new Rule(
              "duplicates",
              "conflict",
              "The same features arrived with a different label than before: relabelling. Keep the first-seen"
                  + " label or drop both, and find who changed them."),
          new Rule(
              "duplicates",
              "near_duplicate",
              "Many rows are near-copies of each other (a few fields changed): fabricated or templated rows. Inspect"
                  + " the NEAR_DUPLICATE groups and where they came from before training."),
          new Rule(
              "duplicates",
              "",
              "A burst of identical rows: check the loader for retries or double writes, and de-duplicate before"
                  + " training (the quarantine table lists the extra copies)."),
          new Rule(
              "client-anomalies",
              "",
              "Federated clients sent anomalous updates (the flagged clients are named). Exclude their updates from"
                  + " aggregation this round, and check their history for repeat offenders and sybil partners."),
          new Rule(
              "checks",
              "checksum",
              "Rows no longer match the checksum taken at ingestion: they were edited in the lake. Restore them from"
                  + " the source and find the writer; the checks quarantine lists the rows."),
          new Rule(
              "checks",
              "",
              "A data contract failed. The reason names the constraint, its value and the expectation; fix the data"
                  + " or, if the contract is wrong, the config, then re-run checks."));

  /** The hint for a reason no rule knows. */
  static final String GENERIC =
      "Read the reason, then the job's table in the debug view; the job's doc in docs/ explains the metric.";

  private Runbook() {}

  /** The hint for one verdict reason. */
  static String hint(String reason) {
    String job = reason.contains(":") ? reason.substring(0, reason.indexOf(':')).trim() : "";
    for (Rule rule : RULES) {
      if ((rule.job().equals("any") || rule.job().equals(job)) && reason.contains(rule.phrase())) {
        return rule.hint();
      }
    }
    return GENERIC;
  }

  /** The distinct hints for a partition's reasons, in the order of the reasons. */
  static List<String> hints(List<String> reasons) {
    Set<String> hints = new LinkedHashSet<>();
    reasons.forEach(reason -> hints.add(hint(reason)));
    return List.copyOf(hints);
  }
}
