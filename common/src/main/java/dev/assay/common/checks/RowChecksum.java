package dev.assay.common.checks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.crc32;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.sha1;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.xxhash64;

import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The documented row checksum that checksum checks recompute. A row's content is its hashed columns,
 * in order, each as Spark casts it to a string (binary columns as upper-case hex), a null as the two
 * characters {@code \N}, joined by the unit separator U+001F. The checksum is the algorithm applied to
 * that text's UTF-8 bytes: lower-case hex for the digests, a decimal integer for crc32 and xxhash64
 * (Spark's seed 42). In Spark SQL, for sha256:
 * {@code sha2(concat_ws(chr(31), coalesce(cast(a AS STRING), '\\N'), ...), 256)}. {@code spark_xxhash64} skips
 * the text: it is Spark SQL's {@code xxhash64(a, b, ...)} over the typed values, the cheapest to verify.
 */
public final class RowChecksum {
  /** Null's text in the content string. */
  public static final String NULL_TEXT = "\\N";
  /** The separator between values. */
  public static final String SEPARATOR = "\u001f";

  /** The supported algorithms. */
  public enum Algorithm {
    SHA256, SHA512, SHA1, MD5, CRC32, XXHASH64, SPARK_XXHASH64;

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

  /** The content text of a row: the hashed columns joined as documented above. */
  public static Column content(StructType schema, List<String> columns) {
    List<Column> parts = new ArrayList<>();
    for (String name : columns) {
      DataType type = schema.apply(name).dataType();
      Column value = type instanceof BinaryType ? hex(Columns.named(name)) : Columns.named(name).cast(DataTypes.StringType);
      parts.add(coalesce(value, lit(NULL_TEXT)));
    }
    return concat_ws(SEPARATOR, parts.toArray(Column[]::new));
  }

  /** The checksum of each row: a hex string for digests, a bigint for crc32 and xxhash64. */
  public static Column compute(Algorithm algorithm, StructType schema, List<String> columns) {
    if (algorithm == Algorithm.SPARK_XXHASH64) {
      return xxhash64(columns.stream().map(Columns::named).toArray(Column[]::new));
    }
    Column content = content(schema, columns);
    return switch (algorithm) {
      case SHA256 -> sha2(content, 256);
      case SHA512 -> sha2(content, 512);
      case SHA1 -> sha1(content);
      case MD5 -> md5(content);
      case CRC32 -> crc32(content);
      case XXHASH64 -> xxhash64(content);
      case SPARK_XXHASH64 -> throw new IllegalStateException("handled above");
    };
  }

  /**
   * True when the stored checksum equals the recomputed one; false when it differs or is null. A
   * stored string is compared after trimming and lower-casing, a binary digest byte for byte, and an
   * integer column with crc32 or xxhash64 as a number.
   */
  public static Column matches(Algorithm algorithm, StructType schema, String storedColumn, List<String> columns) {
    Column expected = compute(algorithm, schema, columns);
    Column stored = Columns.named(storedColumn);
    DataType type = schema.apply(storedColumn).dataType();
    Column equal;
    if (type instanceof StringType) {
      equal = lower(trim(stored)).equalTo(algorithm.numeric() ? expected.cast(DataTypes.StringType) : expected);
    } else if (type instanceof BinaryType) {
      equal = stored.equalTo(unhex(expected));
    } else {
      equal = stored.cast(DataTypes.LongType).equalTo(expected);
    }
    return coalesce(equal, lit(false));
  }

  /**
   * The checksum as a column of the stored column's type holds it, as ingestion writes it: lower-case hex
   * (or the number) in a string, the digest bytes in a binary column, the number in an integer column.
   */
  public static Column asStored(Algorithm algorithm, StructType schema, String storedColumn, List<String> columns) {
    Column checksum = compute(algorithm, schema, columns);
    DataType type = schema.apply(storedColumn).dataType();
    if (type instanceof StringType) {
      return checksum.cast(DataTypes.StringType);
    }
    if (type instanceof BinaryType) {
      return unhex(checksum);
    }
    return checksum.cast(type);
  }

  /** Whether a stored checksum column of {@code type} can hold this algorithm's checksum. */
  public static boolean canStore(Algorithm algorithm, DataType type) {
    if (type instanceof StringType) {
      return true;
    }
    if (type instanceof BinaryType) {
      return !algorithm.numeric();
    }
    return algorithm.numeric() && (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)
        || type instanceof org.apache.spark.sql.types.DecimalType);
  }
}
