package dev.assay.common.fingerprint;

import dev.assay.common.AssayException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The content fingerprint of a row: MurmurHash3 x64 128 over a canonical encoding of its columns,
 * taken in name order so the column order of the table does not matter. Two fingerprints come from
 * one stream: the features alone, and the features followed by the label. docs/duplicates.md
 * specifies the encoding: a header naming the columns, then per value a type tag and its bytes;
 * nulls, NaN (one canonical NaN), -0.0 (equal to 0.0) and decimals (trailing zeros dropped) are
 * explicit, and integers of any width, floats of any width, strings, binaries, dates, timestamps,
 * arrays and structs each have their own tag.
 *
 * <p>An instance is not thread-safe: make one per task.
 */
public final class RowFingerprint implements Serializable {
  private static final long serialVersionUID = 1L;
  static final byte[] MAGIC = "assay-fingerprint-v1".getBytes(StandardCharsets.UTF_8);

  private final String[] names;
  private final int[] ordinals;
  private final DataType[] types;
  private final int labelOrdinal;
  private final DataType labelType;
  private transient Hash128 header;
  private transient Hash128 hash;

  /** Feature fingerprint of the last row: hi, lo. */
  public long featureHi;

  public long featureLo;

  /** Fingerprint with the label (equal to the feature fingerprint without a label column). */
  public long contentHi;

  public long contentLo;

  /**
   * @param schema the schema of the rows that will be fingerprinted
   * @param columns the fingerprinted columns, in any order
   * @param label the label column, if any (kept out of {@code columns})
   */
  public RowFingerprint(StructType schema, List<String> columns, Optional<String> label) {
    List<String> sorted = new ArrayList<>(columns);
    sorted.sort(String::compareTo);
    names = sorted.toArray(new String[0]);
    ordinals = new int[names.length];
    types = new DataType[names.length];
    for (int i = 0; i < names.length; i++) {
      ordinals[i] = schema.fieldIndex(names[i]);
      types[i] = schema.fields()[ordinals[i]].dataType();
      requireSupported(names[i], types[i]);
    }
    labelOrdinal = label.map(schema::fieldIndex).orElse(-1);
    labelType = label.map(l -> schema.fields()[schema.fieldIndex(l)].dataType()).orElse(null);
    label.ifPresent(l -> requireSupported(l, labelType));
  }

  /** The fingerprinted columns in encoding (name) order. */
  public List<String> columns() {
    return List.of(names);
  }

  /** Fingerprints one row; read the result from the public fields. */
  public void fingerprint(InternalRow row) {
    if (hash == null) {
      header = headerState();
      hash = new Hash128();
    }
    hash.copyFrom(header);
    for (int i = 0; i < names.length; i++) {
      encode(hash, row, ordinals[i], types[i]);
    }
    long[] features = hash.finish();
    featureHi = features[0];
    featureLo = features[1];
    if (labelOrdinal < 0) {
      contentHi = featureHi;
      contentLo = featureLo;
      return;
    }
    hash.putByte(0xFF);
    encode(hash, row, labelOrdinal, labelType);
    long[] content = hash.finish();
    contentHi = content[0];
    contentLo = content[1];
  }

  private Hash128 headerState() {
    Hash128 h = new Hash128();
    h.putBytes(MAGIC, 0, MAGIC.length);
    h.putLength(names.length);
    for (String name : names) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      h.putLength(bytes.length);
      h.putBytes(bytes, 0, bytes.length);
    }
    return h;
  }

  static void requireSupported(String column, DataType type) {
    if (type instanceof ArrayType array) {
      requireSupported(column, array.elementType());
      return;
    }
    if (type instanceof StructType struct) {
      for (StructField field : struct.fields()) {
        requireSupported(column + "." + field.name(), field.dataType());
      }
      return;
    }
    if (tag(type) < 0) {
      throw AssayException.invalid(
          "Cannot fingerprint column '"
              + column
              + "' of type "
              + type.simpleString()
              + ": supported types are numbers, booleans, strings, binaries, dates, timestamps, and arrays or"
              + " structs of them. Leave it out with fingerprint.exclude: ["
              + column
              + "].");
    }
  }

  /** The encoding's type tag; -1 for an unsupported type. */
  static int tag(DataType type) {
    if (type instanceof BooleanType) {
      return 1;
    }
    if (type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType) {
      return 2;
    }
    if (type instanceof FloatType || type instanceof DoubleType) {
      return 3;
    }
    if (type instanceof DecimalType) {
      return 4;
    }
    if (type instanceof StringType) {
      return 5;
    }
    if (type instanceof BinaryType) {
      return 6;
    }
    if (type instanceof DateType) {
      return 7;
    }
    if (type instanceof TimestampType) {
      return 8;
    }
    if (type instanceof TimestampNTZType) {
      return 9;
    }
    if (type instanceof ArrayType) {
      return 10;
    }
    if (type instanceof StructType) {
      return 11;
    }
    return -1;
  }

  private static void encode(Hash128 h, SpecializedGetters row, int ordinal, DataType type) {
    if (row.isNullAt(ordinal)) {
      h.putByte(0);
      return;
    }
    h.putByte(tag(type));
    if (type instanceof BooleanType) {
      h.putByte(row.getBoolean(ordinal) ? 1 : 0);
    } else if (type instanceof ByteType) {
      h.putLong(row.getByte(ordinal));
    } else if (type instanceof ShortType) {
      h.putLong(row.getShort(ordinal));
    } else if (type instanceof IntegerType || type instanceof DateType) {
      h.putLong(row.getInt(ordinal));
    } else if (type instanceof LongType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType) {
      h.putLong(row.getLong(ordinal));
    } else if (type instanceof FloatType) {
      h.putLong(canonicalBits(row.getFloat(ordinal)));
    } else if (type instanceof DoubleType) {
      h.putLong(canonicalBits(row.getDouble(ordinal)));
    } else if (type instanceof DecimalType d) {
      putString(
          h,
          canonicalDecimal(row.getDecimal(ordinal, d.precision(), d.scale()).toJavaBigDecimal()));
    } else if (type instanceof StringType) {
      byte[] bytes = row.getUTF8String(ordinal).getBytes();
      h.putLength(bytes.length);
      h.putBytes(bytes, 0, bytes.length);
    } else if (type instanceof BinaryType) {
      byte[] bytes = row.getBinary(ordinal);
      h.putLength(bytes.length);
      h.putBytes(bytes, 0, bytes.length);
    } else if (type instanceof ArrayType a) {
      ArrayData array = row.getArray(ordinal);
      h.putLength(array.numElements());
      for (int i = 0; i < array.numElements(); i++) {
        encode(h, array, i, a.elementType());
      }
    } else if (type instanceof StructType s) {
      InternalRow struct = row.getStruct(ordinal, s.size());
      h.putLength(s.size());
      for (int i = 0; i < s.size(); i++) {
        encode(h, struct, i, s.fields()[i].dataType());
      }
    }
  }

  /** Doubles by their IEEE bits, with every NaN as one NaN and -0.0 as 0.0. */
  static long canonicalBits(double value) {
    if (Double.isNaN(value)) {
      return 0x7ff8000000000000L;
    }
    return value == 0.0 ? 0L : Double.doubleToLongBits(value);
  }

  /** A decimal without trailing zeros, so 1.50 and 1.5 are one value. */
  static String canonicalDecimal(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static void putString(Hash128 h, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    h.putLength(bytes.length);
    h.putBytes(bytes, 0, bytes.length);
  }
}
