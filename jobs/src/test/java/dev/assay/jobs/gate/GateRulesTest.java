package dev.assay.jobs.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.records.VerdictRecord;
import dev.assay.common.verdict.GateOutcome;
import dev.assay.common.verdict.VerdictSigner;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate's decision for one partition, case by case, without Spark. */
@Tag("fast")
class GateRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
  private static final Timestamp DECIDED = VerdictSigner.storable(NOW.minus(Duration.ofHours(1)));
  private static final String KEY = "gate-rules-test-key-0123456789abcdef0123";
  private static final VerdictSigner SIGNER =
      VerdictSigner.configured(Map.of(VerdictSigner.KEY_VARIABLE, KEY), Optional.empty())
          .orElseThrow();
  private static final GateRules.ChangeLog UNCHANGED = (version, partition) -> List.of();
  private static final List<String> WHY = List.of("feature-drift: psi(age) = 0.41 >= fail 0.25");

  private static GateRules rules(Gate.BlockOn blockOn) {
    return new GateRules(blockOn, null, NOW, Optional.empty());
  }

  private static VerdictRecord row(String verdict, Long version) {
    return new VerdictRecord(
        "adult", "2026-01-02", "run-1", verdict, WHY, version, DECIDED, null, null);
  }

  private static VerdictRecord signed(String verdict, List<String> reasons) {
    String signature = SIGNER.sign("adult", "2026-01-02", "run-1", verdict, reasons, 4, DECIDED);
    return new VerdictRecord(
        "adult", "2026-01-02", "run-1", verdict, reasons, 4L, DECIDED, SIGNER.keyId(), signature);
  }

  private static GateRules.Judgement judge(GateRules rules, VerdictRecord row) {
    return rules.judge("day=2026-01-02", "2026-01-02", row, null, 5, UNCHANGED);
  }

  @ParameterizedTest(name = "{0} under block-on {1}: outcome {2}, blocked {3}")
  @CsvSource({
    "PASS, FAIL, PASS, false",
    "WARN, FAIL, WARN, false",
    "FAIL, FAIL, FAIL, true",
    "PASS, WARN, PASS, false",
    "WARN, WARN, WARN, true",
    "FAIL, WARN, FAIL, true",
    // words Assay never writes fail closed
    "OK, FAIL, FAIL, true",
    "pass, FAIL, FAIL, true",
    "'PASS ', FAIL, FAIL, true",
  })
  void storedVerdictAndBlockLevel(
      String verdict, Gate.BlockOn blockOn, GateOutcome outcome, boolean blocked) {
    GateRules.Judgement judgement = judge(rules(blockOn), row(verdict, 4L));
    assertEquals(outcome, judgement.outcome());
    assertEquals(blocked, judgement.blocked());
    assertEquals(4L, judgement.version());
  }

  @Test
  void aPassListsNoReasonsAndAFailListsItsOwn() {
    assertEquals(List.of(), judge(rules(Gate.BlockOn.FAIL), row("PASS", 4L)).reasons());
    assertEquals(
        List.of("day=2026-01-02: " + WHY.get(0)),
        judge(rules(Gate.BlockOn.FAIL), row("FAIL", 4L)).reasons());
  }

  @Test
  void noRowIsMissingAndBlocks() {
    GateRules.Judgement judgement = judge(rules(Gate.BlockOn.FAIL), null);
    assertEquals(GateOutcome.MISSING, judgement.outcome());
    assertTrue(judgement.blocked());
    assertNull(judgement.version());
    assertTrue(judgement.reasons().get(0).contains("no verdict"), judgement.reasons().toString());
  }

  @Test
  void aRowWithANullFieldIsUnknown() {
    for (VerdictRecord row :
        List.of(
            row(null, 4L),
            row("PASS", null),
            new VerdictRecord("adult", "2026-01-02", "run-1", "PASS", WHY, 4L, null, null, null))) {
      GateRules.Judgement judgement = judge(rules(Gate.BlockOn.FAIL), row);
      assertEquals(GateOutcome.UNKNOWN, judgement.outcome(), row.toString());
      assertTrue(judgement.blocked());
    }
  }

  @Test
  void anUntrustedOriginOverridesAPass() {
    GateRules.Judgement judgement =
        rules(Gate.BlockOn.FAIL)
            .judge("day=2026-01-02", "2026-01-02", row("PASS", 4L), "no provenance", 5, UNCHANGED);
    assertEquals(GateOutcome.UNKNOWN, judgement.outcome());
    assertTrue(judgement.blocked());
    assertEquals(List.of("day=2026-01-02: untrusted verdict: no provenance"), judgement.reasons());
  }

  @Test
  void aVersionNewerThanTheTableIsUntrusted() {
    GateRules.Judgement judgement =
        rules(Gate.BlockOn.FAIL)
            .judge("day=2026-01-02", "2026-01-02", row("PASS", 9L), null, 5, UNCHANGED);
    assertEquals(GateOutcome.UNKNOWN, judgement.outcome());
    assertTrue(
        judgement.reasons().get(0).contains("table is now at version 5"),
        judgement.reasons().toString());
  }

  @Test
  void changedDataBlocksAPassAndSaysWhich() {
    GateRules.Judgement judgement =
        rules(Gate.BlockOn.FAIL)
            .judge(
                "day=2026-01-02",
                "2026-01-02",
                row("PASS", 4L),
                null,
                6,
                (version, partition) ->
                    version == 4 && partition.equals("2026-01-02")
                        ? List.of("version 6 (DELETE)")
                        : List.of());
    assertEquals(GateOutcome.PASS, judgement.outcome());
    assertTrue(judgement.blocked());
    assertTrue(
        judgement.reasons().get(0).contains("version 6 (DELETE)"), judgement.reasons().toString());
  }

  @Test
  void anUnreadableLogBlocks() {
    GateRules.Judgement judgement =
        rules(Gate.BlockOn.FAIL)
            .judge(
                "day=2026-01-02",
                "2026-01-02",
                row("PASS", 4L),
                null,
                6,
                (version, partition) -> {
                  throw new IllegalStateException("00003.json missing");
                });
    assertTrue(judgement.blocked());
    assertTrue(judgement.reasons().get(0).contains("cannot tell whether the data changed"));
  }

  @Test
  void maxAgeBlocksOnlyOlderVerdicts() {
    GateRules young = new GateRules(Gate.BlockOn.FAIL, Duration.ofHours(2), NOW, Optional.empty());
    GateRules strict =
        new GateRules(Gate.BlockOn.FAIL, Duration.ofMinutes(30), NOW, Optional.empty());
    assertFalse(judge(young, row("PASS", 4L)).blocked());
    assertTrue(judge(strict, row("PASS", 4L)).blocked());
  }

  @Test
  void withAKeyOnlyAnIntactSignedRowPasses() {
    GateRules keyed = new GateRules(Gate.BlockOn.FAIL, null, NOW, Optional.of(SIGNER));
    assertFalse(judge(keyed, signed("PASS", List.of())).blocked());
    VerdictRecord good = signed("FAIL", WHY);
    VerdictRecord flipped =
        new VerdictRecord(
            good.dataset(),
            good.partition(),
            good.runId(),
            "PASS",
            good.reasons(),
            good.inputVersion(),
            good.decidedAt(),
            good.keyId(),
            good.signature());
    GateRules.Judgement judgement = judge(keyed, flipped);
    assertEquals(GateOutcome.UNKNOWN, judgement.outcome());
    assertTrue(judgement.reasons().get(0).contains("signature does not verify"));
    assertEquals(
        GateOutcome.UNKNOWN,
        judge(keyed, row("PASS", 4L)).outcome(),
        "an unsigned row under a key");
  }

  @Test
  void withoutAKeyASignedRowIsUntrusted() {
    GateRules.Judgement judgement = judge(rules(Gate.BlockOn.FAIL), signed("PASS", List.of()));
    assertEquals(GateOutcome.UNKNOWN, judgement.outcome());
    assertTrue(judgement.reasons().get(0).contains("no verdict key is configured"));
  }

  @Test
  void outcomesCombineWorstFirstAndNeverHideAMissingOne() {
    assertEquals(GateOutcome.FAIL, GateOutcome.WARN.worst(GateOutcome.FAIL));
    assertEquals(GateOutcome.UNKNOWN, GateOutcome.FAIL.worst(GateOutcome.UNKNOWN));
    assertEquals(GateOutcome.MISSING, GateOutcome.MISSING.worst(GateOutcome.UNKNOWN));
    assertEquals(GateOutcome.WARN, GateOutcome.PASS.worst(GateOutcome.WARN));
  }
}
