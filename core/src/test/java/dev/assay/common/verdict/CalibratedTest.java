package dev.assay.common.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.stats.NaturalRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CalibratedTest {
  private static final NaturalRange NOISY = NaturalRange.of(new double[] {0.2, 0.3, 0.4, 0.5, 0.6});

  @Test
  void belowTheWarnThresholdIsOkWithoutANote() {
    Calibrated c = Calibrated.judge(0.05, 0.1, 0.25, NOISY);
    assertEquals(Status.OK, c.status());
    assertNull(c.note());
    assertNull(Calibrated.judge(Double.NaN, 0.1, 0.25, null).note());
  }

  @Test
  void pastTheFailThresholdButInsideTheNaturalRangeIsOkAndSaysSo() {
    Calibrated c = Calibrated.judge(0.55, 0.1, 0.25, NOISY);
    assertEquals(Status.OK, c.status());
    assertTrue(c.note().startsWith("within its natural range <= "), c.note());
    assertTrue(c.note().contains("over 5 partitions"), c.note());
  }

  @Test
  void pastBothTheThresholdAndTheRangeFailsOrWarns() {
    assertEquals(Status.FAIL, Calibrated.judge(NOISY.upper() + 0.01, 0.1, 0.25, NOISY).status());
    NaturalRange quiet = NaturalRange.of(new double[] {0.01, 0.02, 0.01});
    Calibrated warn = Calibrated.judge(0.15, 0.1, 0.25, quiet);
    assertEquals(Status.WARN, warn.status());
    assertTrue(warn.note().startsWith("above its natural range"), warn.note());
  }

  @Test
  void withoutAKnownRangeTheThresholdsDecideAndTheNoteSaysSo() {
    Calibrated c = Calibrated.judge(0.3, 0.1, 0.25, null);
    assertEquals(Status.FAIL, c.status());
    assertEquals("natural range not yet known", c.note());
  }

  @Test
  void whereTheTypicalValuePassesWarnOnlyAFailLevelValueCounts() {
    // median 0.15 already passes warn 0.1; 0.22 is above the range (upper 0.209) but below fail
    // 0.25
    NaturalRange typical = NaturalRange.of(new double[] {0.14, 0.15, 0.16});
    Calibrated warnLevel = Calibrated.judge(0.22, 0.1, 0.25, typical);
    assertEquals(Status.OK, warnLevel.status());
    assertTrue(warnLevel.note().contains("only a fail-level value counts"), warnLevel.note());
    assertEquals(Status.FAIL, Calibrated.judge(0.3, 0.1, 0.25, typical).status());
  }
}
