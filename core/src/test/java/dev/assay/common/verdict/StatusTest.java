package dev.assay.common.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stored statuses fail closed: only the three words Assay writes are read as themselves. */
@Tag("fast")
class StatusTest {
  @Test
  void theThreeStoredWordsReadAsThemselves() {
    assertEquals(Status.OK, Status.parse("OK"));
    assertEquals(Status.WARN, Status.parse("WARN"));
    assertEquals(Status.FAIL, Status.parse("FAIL"));
  }

  @Test
  void nullOrUnknownStatusesAreFail() {
    for (String value : new String[] {null, "", "ok", "PASS", "OK ", "UNKNOWN"}) {
      assertEquals(Status.FAIL, Status.parse(value), String.valueOf(value));
      assertFalse(Status.known(value), String.valueOf(value));
    }
    assertTrue(Status.known("WARN"));
  }

  @Test
  void aNullStatusNeverMakesAVerdictBetter() {
    assertEquals(Status.FAIL, Status.OK.worst(Status.parse(null)));
  }
}
