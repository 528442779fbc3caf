package dev.assay.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BestTimeTest {
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void keepsTheFastestRoundAndReturnsEachRoundsTime() {
    BestTime best = new BestTime();
    double slow = best.time(() -> sleep(60));
    double fast = best.time(() -> sleep(5));
    assertTrue(slow >= 0.06 && fast >= 0.005, slow + " " + fast);
    assertEquals(Math.min(slow, fast), best.seconds());
  }

  @Test
  void withoutRoundsThereIsNoTime() {
    assertEquals(Double.MAX_VALUE, new BestTime().seconds());
  }
}
