package dev.assay.common.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class VerdictSignerTest {
  private static final String OLD = "old-key-0123456789abcdef0123456789abcdef";
  private static final String NEW = "new-key-fedcba9876543210fedcba9876543210";
  private static final Timestamp AT =
      VerdictSigner.storable(Instant.parse("2026-11-09T02:03:04.123456789Z"));
  private static final List<String> WHY = List.of("feature-drift: psi(age) = 8.069 >= fail 0.25");

  private static VerdictSigner signer(String keys) {
    return VerdictSigner.configured(Map.of(VerdictSigner.KEY_VARIABLE, keys), Optional.empty())
        .orElseThrow();
  }

  @Test
  void aSignatureVerifiesOnlyTheFieldsItWasMadeOver() {
    VerdictSigner signer = signer(OLD);
    String signature = signer.sign("adult", "2026-11-09", "run-1", "FAIL", WHY, 3, AT);
    assertTrue(signer.verify(signature, "adult", "2026-11-09", "run-1", "FAIL", WHY, 3, AT));
    assertFalse(
        signer.verify(signature, "adult", "2026-11-09", "run-1", "PASS", WHY, 3, AT), "verdict");
    assertFalse(
        signer.verify(signature, "adult", "2026-11-09", "run-1", "FAIL", List.of(), 3, AT),
        "reasons");
    assertFalse(
        signer.verify(signature, "adult", "2026-11-10", "run-1", "FAIL", WHY, 3, AT), "partition");
    assertFalse(
        signer.verify(signature, "adult2", "2026-11-09", "run-1", "FAIL", WHY, 3, AT), "dataset");
    assertFalse(
        signer.verify(signature, "adult", "2026-11-09", "run-2", "FAIL", WHY, 3, AT), "run");
    assertFalse(
        signer.verify(signature, "adult", "2026-11-09", "run-1", "FAIL", WHY, 4, AT), "version");
    assertFalse(
        signer.verify(
            signature,
            "adult",
            "2026-11-09",
            "run-1",
            "FAIL",
            WHY,
            3,
            VerdictSigner.storable(Instant.parse("2026-11-09T02:03:04.123457Z"))),
        "time");
    assertFalse(
        signer.verify(null, "adult", "2026-11-09", "run-1", "FAIL", WHY, 3, AT), "unsigned");
    // fields cannot be shifted into each other: "a" + "b;" differs from "a;" + "b"
    assertNotEquals(
        signer.sign("ab", "c", "r", "PASS", List.of(), 0, AT),
        signer.sign("a", "bc", "r", "PASS", List.of(), 0, AT));
    assertEquals(0, AT.getNanos() % 1000, "signed times are what Delta stores: micro-seconds");
  }

  @Test
  void rotationSignsWithTheFirstKeyAndVerifiesWithEvery(@TempDir Path dir) throws Exception {
    String before = signer(OLD).sign("adult", "p", "r", "PASS", List.of(), 1, AT);
    Path file = dir.resolve("verdict.key");
    Files.writeString(file, "# new key first\n" + NEW + "\n" + OLD + "\n");
    VerdictSigner rotated =
        VerdictSigner.configured(Map.of(), Optional.of(file.toString())).orElseThrow();
    assertTrue(
        rotated.verify(before, "adult", "p", "r", "PASS", List.of(), 1, AT),
        "old rows still verify");
    assertTrue(
        signer(NEW)
            .verify(
                rotated.sign("adult", "p", "r", "PASS", List.of(), 1, AT),
                "adult",
                "p",
                "r",
                "PASS",
                List.of(),
                1,
                AT),
        "the new key signs");
    assertFalse(
        signer(NEW).verify(before, "adult", "p", "r", "PASS", List.of(), 1, AT),
        "dropped key: fails");
    assertEquals(signer(NEW).keyId(), rotated.keyId());
    assertNotEquals(signer(OLD).keyId(), rotated.keyId());
    assertFalse(rotated.keyId().contains(NEW.substring(0, 8)), "the id is not the key");
  }

  @Test
  void keysComeFromTheVariableThenItsFileThenTheConfigAndBadOnesAreExitTwo(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, NEW);
    assertTrue(VerdictSigner.configured(Map.of(), Optional.empty()).isEmpty(), "no key: unsigned");
    assertEquals(
        signer(OLD).keyId(),
        VerdictSigner.configured(
                Map.of(
                    VerdictSigner.KEY_VARIABLE,
                    OLD,
                    VerdictSigner.KEY_FILE_VARIABLE,
                    file.toString()),
                Optional.of(file.toString()))
            .orElseThrow()
            .keyId());
    assertEquals(
        signer(NEW).keyId(),
        VerdictSigner.configured(
                Map.of(VerdictSigner.KEY_FILE_VARIABLE, file.toString()), Optional.empty())
            .orElseThrow()
            .keyId());
    AssayException shortKey = assertThrows(AssayException.class, () -> signer("too-short"));
    assertEquals(ExitCode.INVALID, shortKey.exitCode());
    assertTrue(
        shortKey.getMessage().contains("has 9 characters; a verdict key needs at least 32"),
        shortKey.getMessage());
    AssayException missing =
        assertThrows(
            AssayException.class,
            () ->
                VerdictSigner.configured(Map.of(), Optional.of(dir.resolve("absent").toString())));
    assertTrue(missing.getMessage().contains("integrity.verdict_key_file"), missing.getMessage());
  }
}
