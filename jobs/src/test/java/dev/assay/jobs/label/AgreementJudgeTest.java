package dev.assay.jobs.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.assay.common.config.Thresholds;
import dev.assay.common.records.AnnotatorAgreementRecord;
import dev.assay.common.records.ConfusionCell;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Annotator agreement judged from tallies, against hand-computed Cohen's and Fleiss' kappas. */
@Tag("fast")
class AgreementJudgeTest {
  private static final Scope SCOPE = new Scope("d", "2024-01-02", "run-1");
  private static final Function<String, Double> NO_BASELINE = annotator -> null;

  /** An annotator's tally: (own label, consensus) -> items for yes/yes, yes/no, no/yes, no/no. */
  private static Annotators.PartitionAgreement agreement(
      String annotator, long yy, long yn, long ny, long nn) {
    Annotators.PartitionAgreement agreement = new Annotators.PartitionAgreement();
    Map<String, Map<String, Long>> confusion = new HashMap<>();
    confusion.put("yes", new HashMap<>(Map.of("yes", yy, "no", yn)));
    confusion.put("no", new HashMap<>(Map.of("yes", ny, "no", nn)));
    agreement.confusion.put(annotator, confusion);
    agreement.judgements.put(annotator, yy + yn + ny + nn);
    agreement.fleiss.add(Map.of("yes", 3));
    agreement.fleiss.add(Map.of("no", 3));
    return agreement;
  }

  private static AnnotatorAgreementRecord annotator(
      Annotators.PartitionAgreement agreement, Function<String, Double> baseline) {
    List<AnnotatorAgreementRecord> rows =
        AgreementJudge.judge(Thresholds.DEFAULTS, SCOPE, "annotations", agreement, baseline);
    assertEquals(2, rows.size());
    assertNull(rows.get(0).annotator());
    return rows.get(1);
  }

  @Test
  void aPartitionWithoutJudgementsWarns() {
    List<AnnotatorAgreementRecord> rows =
        AgreementJudge.judge(Thresholds.DEFAULTS, SCOPE, "lake.annotations", null, NO_BASELINE);
    assertEquals(1, rows.size());
    assertEquals("WARN", rows.get(0).status());
    assertEquals(
        "label-drift: annotations: no judgements for this partition in lake.annotations",
        rows.get(0).reason());
    assertEquals(0L, rows.get(0).items());
    assertEquals(List.of(), rows.get(0).confusion());
  }

  @Test
  void aGoodAnnotatorPasses() {
    // observed 0.9, chance 0.5 * 0.5 + 0.5 * 0.5 = 0.5: kappa (0.9 - 0.5) / 0.5 = 0.8 >= warn 0.7
    AnnotatorAgreementRecord good = annotator(agreement("ann", 45, 5, 5, 45), NO_BASELINE);
    assertEquals(0.8, good.kappa(), 1e-12);
    assertEquals(0.9, good.observedAgreement(), 1e-12);
    assertEquals("OK", good.status());
    assertNull(good.reason());
    assertEquals(100L, good.items());
    assertEquals(100L, good.judgements());
    // cells by own label, then consensus
    assertEquals(
        List.of(
            new ConfusionCell("no", "no", 45L),
            new ConfusionCell("no", "yes", 5L),
            new ConfusionCell("yes", "no", 5L),
            new ConfusionCell("yes", "yes", 45L)),
        good.confusion());
  }

  @Test
  void aRandomAnnotatorFails() {
    // observed 0.5 = chance: kappa 0
    AnnotatorAgreementRecord random = annotator(agreement("ann", 20, 20, 20, 20), NO_BASELINE);
    assertEquals(0.0, random.kappa(), 1e-12);
    assertEquals("FAIL", random.status());
    assertEquals(
        "label-drift: annotator 'ann': kappa 0 < fail 0.6 against the leave-one-out majority on 80 items",
        random.reason());
  }

  @Test
  void aKappaBetweenFailAndWarnWarns() {
    // observed 330 / 400 = 0.825, chance 0.5: kappa 0.65
    AnnotatorAgreementRecord middling = annotator(agreement("ann", 165, 35, 35, 165), NO_BASELINE);
    assertEquals(0.65, middling.kappa(), 1e-12);
    assertEquals("WARN", middling.status());
    assertEquals(
        "label-drift: annotator 'ann': kappa 0.65 < warn 0.7 against the leave-one-out majority on 400"
            + " items",
        middling.reason());
  }

  @Test
  void aDropBelowTheAnnotatorsOwnBaselineFails() {
    // observed 0.875, chance 0.5: kappa 0.75, above warn; baseline 1.0 is 0.25 higher, >=
    // kappa_drop_fail 0.2
    AnnotatorAgreementRecord dropped = annotator(agreement("ann", 175, 25, 25, 175), a -> 1.0);
    assertEquals(0.75, dropped.kappa(), 1e-12);
    assertEquals(1.0, dropped.baselineKappa());
    assertEquals("FAIL", dropped.status());
    assertEquals(
        "label-drift: annotator 'ann': kappa dropped from 1 to 0.75, by 0.25 >= fail 0.2",
        dropped.reason());
    AnnotatorAgreementRecord steady = annotator(agreement("ann", 175, 25, 25, 175), a -> 0.9);
    assertEquals("OK", steady.status());
  }

  @Test
  void tooFewSharedItemsAreListedNotJudged() {
    // 29 items < annotator_min_items 30, even with every one disagreeing
    AnnotatorAgreementRecord few = annotator(agreement("ann", 0, 15, 14, 0), a -> 0.9);
    assertEquals("OK", few.status());
    assertNull(few.kappa());
    assertNull(few.observedAgreement());
    assertEquals(0.9, few.baselineKappa());
    assertEquals(29L, few.items());
  }

  @Test
  void noisyLabelsOverallWarn() {
    // 5 items rated yes, yes, no and 5 rated yes, no, no: each item agrees on 1 of 3 pairs, P =
    // 1/3;
    // yes holds 15 of 30 judgements, chance 0.5: Fleiss' kappa (1/3 - 0.5) / 0.5 = -1/3
    Annotators.PartitionAgreement agreement = new Annotators.PartitionAgreement();
    for (int i = 0; i < 5; i++) {
      agreement.fleiss.add(Map.of("yes", 2, "no", 1));
      agreement.fleiss.add(Map.of("yes", 1, "no", 2));
    }
    List<AnnotatorAgreementRecord> rows =
        AgreementJudge.judge(Thresholds.DEFAULTS, SCOPE, "annotations", agreement, NO_BASELINE);
    assertEquals(1, rows.size());
    assertEquals(-1.0 / 3, rows.get(0).kappa(), 1e-12);
    assertEquals(10L, rows.get(0).items());
    assertEquals(30L, rows.get(0).judgements());
    assertEquals("WARN", rows.get(0).status());
    assertEquals(
        "label-drift: annotations: Fleiss' kappa -0.3333 < 0.6 over 10 items: labels are noisy",
        rows.get(0).reason());
  }
}
