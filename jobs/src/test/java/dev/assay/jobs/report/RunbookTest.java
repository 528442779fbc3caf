package dev.assay.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.Lakes;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class RunbookTest {
  @Test
  void everyReasonTheDemoLakeFailsOnGetsASpecificHint(SparkSession spark) throws Exception {
    Path integrity = Lakes.demo(spark).getParent().resolve("lake/_integrity/verdicts");
    List<String> reasons =
        spark
            .read()
            .format("delta")
            .load(integrity.toString())
            .where("verdict = 'FAIL'")
            .selectExpr("explode(reasons)")
            .as(Encoders.STRING())
            .collectAsList();
    assertTrue(reasons.size() > 20, "the demo lake should fail on many reasons: " + reasons.size());
    assertEquals(
        List.of(), reasons.stream().filter(r -> Runbook.hint(r).equals(Runbook.GENERIC)).toList());
  }

  @Test
  void eachKindOfReasonGetsItsOwnHint() {
    assertTrue(
        Runbook.hint("feature-drift: psi(age) = 8.069 >= fail 0.25").contains("unit change"));
    assertTrue(
        Runbook.hint(
                "label-drift: backdoor trigger candidate: capital_loss = 1234 AND workclass ="
                    + " 'Never-worked' -> label '>50K' on 13 of 13 rows")
            .contains("backdoor"));
    assertTrue(
        Runbook.hint("label-drift: annotator 'ann_3': kappa 0.2998 < fail 0.6")
            .contains("re-label"));
    assertTrue(
        Runbook.hint("label-drift: segment source='partner_b': share of label '<=50K' moved")
            .contains("label flipping"));
    assertTrue(
        Runbook.hint("duplicates: replay_rate_excess(partition) = 0.06974 >= fail 0.05")
            .contains("replay"));
    assertTrue(
        Runbook.hint("duplicates: conflict_rate_excess(partition) = 0.03 >= fail 0.03")
            .contains("first-seen label"));
    assertTrue(
        Runbook.hint("checks: adult_contract/checksum(row_checksum) = 0.994, expected == 1")
            .contains("edited in the lake"));
    assertTrue(
        Runbook.hint("client-anomalies: round 7: client c006 norm_z 29.12 >= 6")
            .contains("Exclude"));
    assertTrue(
        Runbook.hint("label-drift: no results for this partition; run `assay label-drift -p x`")
            .contains("has not run"));
  }

  @Test
  void aReasonWithNoRuleGetsTheGenericHintAndHintsAreDistinct() {
    assertEquals(Runbook.GENERIC, Runbook.hint("something new: x"));
    List<String> hints =
        Runbook.hints(
            List.of(
                "feature-drift: psi(a) = 1 >= fail 0.25",
                "feature-drift: psi(b) = 2 >= fail 0.25",
                "checks: c/size = 1, expected >= 2"));
    assertEquals(2, hints.size(), hints.toString());
  }
}
