package dev.assay.common.verdict;

import dev.assay.common.AssayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs verdict rows with HMAC-SHA256, so the gate can tell a row written by Assay's verdict job
 * from one edited by anybody who can write the table but does not hold the key.
 *
 * <p>Keys come from {@code ASSAY_VERDICT_KEY} (the key text), else the file named by {@code
 * ASSAY_VERDICT_KEY_FILE}, else the config's {@code integrity.verdict_key_file}. Several keys may
 * be given, one per line (or separated by spaces in the variable): the first signs, every one
 * verifies. That is how a key is rotated: put the new key first, re-run {@code assay verdict
 * --all}, then drop the old line. A key has at least {@value #MIN_KEY_CHARS} characters.
 */
public final class VerdictSigner {
  public static final String KEY_VARIABLE = "ASSAY_VERDICT_KEY";
  public static final String KEY_FILE_VARIABLE = "ASSAY_VERDICT_KEY_FILE";
  static final int MIN_KEY_CHARS = 32;
  private static final String DOMAIN = "assay-verdict-v1";

  private final List<byte[]> keys;
  private final List<String> keyIds;

  private VerdictSigner(List<String> keys) {
    this.keys = new ArrayList<>();
    this.keyIds = new ArrayList<>();
    for (String key : keys) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      this.keys.add(bytes);
      this.keyIds.add(keyId(bytes));
    }
  }

  /**
   * The configured signer, or empty when no key is set.
   *
   * @param env the process environment (System.getenv())
   * @param configKeyFile {@code integrity.verdict_key_file}, already resolved against the config's
   *     folder
   */
  public static Optional<VerdictSigner> configured(
      Map<String, String> env, Optional<String> configKeyFile) {
    String text = env.get(KEY_VARIABLE);
    String source = "$" + KEY_VARIABLE;
    if (text == null || text.isBlank()) {
      String file = env.get(KEY_FILE_VARIABLE);
      source = "$" + KEY_FILE_VARIABLE + " (" + file + ")";
      if (file == null || file.isBlank()) {
        file = configKeyFile.orElse(null);
        source = "integrity.verdict_key_file (" + file + ")";
      }
      if (file == null) {
        return Optional.empty();
      }
      try {
        text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw AssayException.invalid(
            "Cannot read the verdict key file named by "
                + source
                + ": "
                + e
                + ". Point it at a readable file holding the key (see docs/security.md), or unset it.");
      }
    }
    List<String> keys = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue; // a comment line
      }
      for (String key : line.strip().split("\\s+")) {
        if (!key.isEmpty()) {
          keys.add(key);
        }
      }
    }
    if (keys.isEmpty()) {
      throw AssayException.invalid(
          "The verdict key from "
              + source
              + " is empty. Write a random key of at least "
              + MIN_KEY_CHARS
              + " characters (e.g. `openssl rand -hex 32`), or unset it.");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).length() < MIN_KEY_CHARS) {
        throw AssayException.invalid(
            "Key "
                + (i + 1)
                + " from "
                + source
                + " has "
                + keys.get(i).length()
                + " characters; a verdict key needs at least "
                + MIN_KEY_CHARS
                + " (e.g. `openssl rand -hex 32`).");
      }
    }
    return Optional.of(new VerdictSigner(keys));
  }

  /** A short public name of the signing key, stored beside each signature. */
  public String keyId() {
    return keyIds.get(0);
  }

  /** The signature of one verdict row, with the first key. */
  public String sign(
      String dataset,
      String partition,
      String runId,
      String verdict,
      List<String> reasons,
      long inputVersion,
      Timestamp decidedAt) {
    return hmac(
        keys.get(0), message(dataset, partition, runId, verdict, reasons, inputVersion, decidedAt));
  }

  /** True when {@code signature} was made by one of the keys over exactly these fields. */
  public boolean verify(
      String signature,
      String dataset,
      String partition,
      String runId,
      String verdict,
      List<String> reasons,
      long inputVersion,
      Timestamp decidedAt) {
    if (signature == null) {
      return false;
    }
    byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
    byte[] message = message(dataset, partition, runId, verdict, reasons, inputVersion, decidedAt);
    for (byte[] key : keys) {
      if (MessageDigest.isEqual(given, hmac(key, message).getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  /** The micro-second time a Delta timestamp column keeps: sign only what a read gives back. */
  public static Timestamp storable(java.time.Instant instant) {
    return Timestamp.from(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  /** Every field, length-prefixed, so no two different rows give the same text. */
  private static byte[] message(
      String dataset,
      String partition,
      String runId,
      String verdict,
      List<String> reasons,
      long inputVersion,
      Timestamp decidedAt) {
    StringBuilder text = new StringBuilder();
    field(text, DOMAIN);
    field(text, dataset);
    field(text, partition);
    field(text, runId);
    field(text, verdict);
    field(text, String.valueOf(reasons == null ? -1 : reasons.size()));
    if (reasons != null) {
      for (String reason : reasons) {
        field(text, reason);
      }
    }
    field(text, String.valueOf(inputVersion));
    long micros =
        Math.floorDiv(decidedAt.getTime(), 1000L) * 1_000_000L + decidedAt.getNanos() / 1000;
    field(text, String.valueOf(micros));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder text, String value) {
    if (value == null) {
      text.append("-1;");
    } else {
      text.append(value.length()).append(':').append(value).append(';');
    }
  }

  private static String hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static String keyId(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("assay-verdict-key-id:".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(key)).substring(0, 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
