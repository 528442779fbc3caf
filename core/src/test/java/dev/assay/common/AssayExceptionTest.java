package dev.assay.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssayExceptionTest {
  @Test
  void configErrorsCarryTheirKeyPath() {
    AssayException e = AssayException.invalidAt("datasets[0].table", "cannot open 'x'");
    assertEquals(Optional.of("datasets[0].table"), e.keyPath());
    assertEquals("datasets[0].table: cannot open 'x'", e.getMessage());
    assertEquals(ExitCode.INVALID, e.exitCode());
  }

  @Test
  void otherErrorsHaveNoKeyPath() {
    assertEquals(
        Optional.empty(), AssayException.invalid("datasets[0].table: looks like one").keyPath());
    assertEquals(Optional.empty(), AssayException.failed("boom", null).keyPath());
  }
}
