package dev.assay.common.checks;

import java.util.Locale;

/**
 * The documented row checksum that checksum checks recompute. A row's content is its hashed
 * columns, in order, each as Spark casts it to a string (binary columns as upper-case hex), a null
 * as the two characters {@code \N}, joined by the unit separator U+001F. The checksum is the
 * algorithm applied to that text's UTF-8 bytes: lower-case hex for the digests, a decimal integer
 * for crc32 and xxhash64 (Spark's seed 42). In Spark SQL, for sha256: {@code
 * sha2(concat_ws(chr(31), coalesce(cast(a AS STRING), '\\N'), ...), 256)}. {@code spark_xxhash64}
 * skips the text: it is Spark SQL's {@code xxhash64(a, b, ...)} over the typed values, the cheapest
 * to verify. {@code dev.assay.common.table.RowChecksums} computes it as Spark columns.
 */
public final class RowChecksum {
  /** Null's text in the content string. */
  public static final String NULL_TEXT = "\\N";

  /** The separator between values. */
  public static final String SEPARATOR = "\u001f";

  /** The supported algorithms. */
  public enum Algorithm {
    SHA256,
    SHA512,
    SHA1,
    MD5,
    CRC32,
    XXHASH64,
    SPARK_XXHASH64;

    /** The YAML name, such as {@code sha256}. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** True when the checksum is a number rather than a hex digest. */
    public boolean numeric() {
      return this == CRC32 || this == XXHASH64 || this == SPARK_XXHASH64;
    }
  }

  private RowChecksum() {}
}
