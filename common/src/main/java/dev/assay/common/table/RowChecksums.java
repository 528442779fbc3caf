package dev.assay.common.table;

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

import dev.assay.common.checks.RowChecksum.Algorithm;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/** The row checksum that {@link dev.assay.common.checks.RowChecksum} defines, as Spark columns. */
public final class RowChecksums {
  private RowChecksums() {}

  /** The content text of a row: the hashed columns joined as documented above. */
  public static Column content(StructType schema, List<String> columns) {
    List<Column> parts = new ArrayList<>();
    for (String name : columns) {
      DataType type = schema.apply(name).dataType();
      Column value =
          type instanceof BinaryType
              ? hex(Columns.named(name))
              : Columns.named(name).cast(DataTypes.StringType);
      parts.add(coalesce(value, lit(dev.assay.common.checks.RowChecksum.NULL_TEXT)));
    }
    return concat_ws(dev.assay.common.checks.RowChecksum.SEPARATOR, parts.toArray(Column[]::new));
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
   * stored string is compared after trimming and lower-casing, a binary digest byte for byte, and
   * an integer column with crc32 or xxhash64 as a number.
   */
  public static Column matches(
      Algorithm algorithm, StructType schema, String storedColumn, List<String> columns) {
    Column expected = compute(algorithm, schema, columns);
    Column stored = Columns.named(storedColumn);
    DataType type = schema.apply(storedColumn).dataType();
    Column equal;
    if (type instanceof StringType) {
      equal =
          lower(trim(stored))
              .equalTo(algorithm.numeric() ? expected.cast(DataTypes.StringType) : expected);
    } else if (type instanceof BinaryType) {
      equal = stored.equalTo(unhex(expected));
    } else {
      equal = stored.cast(DataTypes.LongType).equalTo(expected);
    }
    return coalesce(equal, lit(false));
  }

  /**
   * The checksum as a column of the stored column's type holds it, as ingestion writes it:
   * lower-case hex (or the number) in a string, the digest bytes in a binary column, the number in
   * an integer column.
   */
  public static Column asStored(
      Algorithm algorithm, StructType schema, String storedColumn, List<String> columns) {
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
    return algorithm.numeric()
        && (type.equals(DataTypes.LongType)
            || type.equals(DataTypes.IntegerType)
            || type instanceof org.apache.spark.sql.types.DecimalType);
  }
}
