package dev.assay.jobs.label;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.AnnotatorAgreementRecord;
import dev.assay.common.records.ConfusionCell;
import dev.assay.common.stats.Agreement;
import dev.assay.common.verdict.Reasons;
import dev.assay.common.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code annotator_agreement} rows of one partition from its judgements' tallies: one for the
 * whole partition (Fleiss' kappa; WARN below kappa_fail, as noisy labels) and one per annotator
 * (Cohen's kappa against the leave-one-out consensus; WARN or FAIL below kappa_warn or kappa_fail,
 * FAIL when it dropped kappa_drop_fail below their baseline mean). Annotators sharing fewer than
 * annotator_min_items items with others are listed, not judged.
 */
final class AgreementJudge {
  private AgreementJudge() {}

  /**
   * @param table the annotations table, named when the partition has no judgements in it
   * @param agreement the partition's tallies; null when it has no judgements
   * @param baselineKappa an annotator's mean kappa over the baseline partitions; null when unknown
   */
  static List<AnnotatorAgreementRecord> judge(
      Thresholds t,
      Scope scope,
      String table,
      Annotators.PartitionAgreement agreement,
      Function<String, Double> baselineKappa) {
    List<AnnotatorAgreementRecord> out = new ArrayList<>();
    if (agreement == null) {
      out.add(
          new AnnotatorAgreementRecord(
              scope.dataset(),
              scope.partition(),
              scope.runId(),
              null,
              0L,
              0L,
              null,
              null,
              null,
              List.of(),
              Status.WARN.name(),
              "label-drift: annotations: no judgements for this partition in " + table));
      return out;
    }
    double fleiss = agreement.fleiss.kappa();
    Status overall = Status.OK;
    String overallReason = null;
    if (fleiss < t.kappaFail()) {
      overall = Status.WARN;
      overallReason =
          "label-drift: annotations: Fleiss' kappa "
              + Reasons.number(fleiss)
              + " < "
              + Reasons.number(t.kappaFail())
              + " over "
              + agreement.fleiss.ratedItems()
              + " items: labels are noisy";
    }
    out.add(
        new AnnotatorAgreementRecord(
            scope.dataset(),
            scope.partition(),
            scope.runId(),
            null,
            agreement.fleiss.ratedItems(),
            agreement.fleiss.judgements(),
            Double.isNaN(fleiss) ? null : fleiss,
            null,
            null,
            List.of(),
            overall.name(),
            overallReason));
    for (Map.Entry<String, Long> entry : new TreeMap<>(agreement.judgements).entrySet()) {
      out.add(
          annotator(
              t,
              scope,
              entry.getKey(),
              entry.getValue(),
              agreement.confusion.getOrDefault(entry.getKey(), Map.of()),
              baselineKappa.apply(entry.getKey())));
    }
    return out;
  }

  private static AnnotatorAgreementRecord annotator(
      Thresholds t,
      Scope scope,
      String annotator,
      long judgements,
      Map<String, Map<String, Long>> confusion,
      Double baseline) {
    long compared =
        confusion.values().stream()
            .flatMap(m -> m.values().stream())
            .mapToLong(Long::longValue)
            .sum();
    if (compared < t.annotatorMinItems()) {
      return record(
          scope, annotator, compared, judgements, null, baseline, confusion, Status.OK, null);
    }
    Agreement.CohenResult cohen = Agreement.cohenKappa(confusion);
    double kappa = cohen.kappa();
    Status status = Status.OK;
    String reason = null;
    if (kappa < t.kappaFail() || kappa < t.kappaWarn()) {
      boolean fail = kappa < t.kappaFail();
      status = fail ? Status.FAIL : Status.WARN;
      reason =
          "label-drift: annotator '"
              + annotator
              + "': kappa "
              + Reasons.number(kappa)
              + " < "
              + (fail
                  ? "fail " + Reasons.number(t.kappaFail())
                  : "warn " + Reasons.number(t.kappaWarn()))
              + " against the leave-one-out majority on "
              + compared
              + " items";
    }
    if (baseline != null && baseline - kappa >= t.kappaDropFail()) {
      status = Status.FAIL;
      reason =
          (reason == null ? "label-drift: annotator '" + annotator + "': " : reason + "; ")
              + "kappa dropped from "
              + Reasons.number(baseline)
              + " to "
              + Reasons.number(kappa)
              + ", by "
              + Reasons.number(baseline - kappa)
              + " >= fail "
              + Reasons.number(t.kappaDropFail());
    }
    return record(
        scope, annotator, compared, judgements, cohen, baseline, confusion, status, reason);
  }

  private static AnnotatorAgreementRecord record(
      Scope scope,
      String annotator,
      long items,
      long judgements,
      Agreement.CohenResult cohen,
      Double baseline,
      Map<String, Map<String, Long>> confusion,
      Status status,
      String reason) {
    List<ConfusionCell> cells = new ArrayList<>();
    new TreeMap<>(confusion)
        .forEach(
            (label, row) ->
                new TreeMap<>(row)
                    .forEach((consensus, n) -> cells.add(new ConfusionCell(label, consensus, n))));
    Double kappa = cohen == null || Double.isNaN(cohen.kappa()) ? null : cohen.kappa();
    return new AnnotatorAgreementRecord(
        scope.dataset(),
        scope.partition(),
        scope.runId(),
        annotator,
        items,
        judgements,
        kappa,
        cohen == null ? null : cohen.observedAgreement(),
        baseline,
        cells,
        status.name(),
        reason);
  }
}
