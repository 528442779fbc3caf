package dev.assay.common.scan;

import java.io.Serializable;
import java.time.LocalDate;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads some columns of a column batch: as doubles (numeric columns) or as text the way Spark casts
 * a value to string (categorical columns, labels, segments, partitions).
 */
public final class ColumnReader implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final UTF8String TRUE = UTF8String.fromString("true");
  private static final UTF8String FALSE = UTF8String.fromString("false");

  /** How a column's values are read. */
  enum Kind {
    DOUBLE,
    FLOAT,
    LONG,
    INT,
    SHORT,
    BYTE,
    DECIMAL,
    STRING,
    BOOLEAN,
    DATE
  }

  private final int[] ordinals;
  private final Kind[] kinds;
  private final int[] precision;
  private final int[] scale;

  ColumnReader(int[] ordinals, DataType[] types) {
    this.ordinals = ordinals;
    this.kinds = new Kind[types.length];
    this.precision = new int[types.length];
    this.scale = new int[types.length];
    for (int c = 0; c < types.length; c++) {
      kinds[c] = kind(types[c]);
      if (types[c] instanceof DecimalType decimal) {
        precision[c] = decimal.precision();
        scale[c] = decimal.scale();
      }
    }
  }

  /** The reading kind of a type, or null when column batches of it cannot be read here. */
  static Kind kind(DataType type) {
    if (type.equals(DataTypes.DoubleType)) {
      return Kind.DOUBLE;
    } else if (type.equals(DataTypes.FloatType)) {
      return Kind.FLOAT;
    } else if (type.equals(DataTypes.LongType)) {
      return Kind.LONG;
    } else if (type.equals(DataTypes.IntegerType)) {
      return Kind.INT;
    } else if (type.equals(DataTypes.ShortType)) {
      return Kind.SHORT;
    } else if (type.equals(DataTypes.ByteType)) {
      return Kind.BYTE;
    } else if (type instanceof DecimalType) {
      return Kind.DECIMAL;
    } else if (type.equals(DataTypes.StringType)) {
      return Kind.STRING;
    } else if (type.equals(DataTypes.BooleanType)) {
      return Kind.BOOLEAN;
    } else if (type.equals(DataTypes.DateType)) {
      return Kind.DATE;
    }
    return null;
  }

  static boolean readsAsNumber(DataType type) {
    Kind kind = kind(type);
    return kind != null && kind != Kind.STRING && kind != Kind.BOOLEAN && kind != Kind.DATE;
  }

  static boolean readsAsText(DataType type) {
    Kind kind = kind(type);
    return kind != null && kind != Kind.DOUBLE && kind != Kind.FLOAT && kind != Kind.DECIMAL;
  }

  public int size() {
    return ordinals.length;
  }

  /** Column {@code c}'s vector in the batch. */
  public ColumnVector vector(ColumnarBatch batch, int c) {
    return batch.column(ordinals[c]);
  }

  /** Row {@code i} of column {@code c} as a double; the value must not be null. */
  public double number(ColumnVector vector, int c, int i) {
    return switch (kinds[c]) {
      case DOUBLE -> vector.getDouble(i);
      case FLOAT -> vector.getFloat(i);
      case LONG -> vector.getLong(i);
      case INT -> vector.getInt(i);
      case SHORT -> vector.getShort(i);
      case BYTE -> vector.getByte(i);
      case DECIMAL -> vector.getDecimal(i, precision[c], scale[c]).toDouble();
      default -> throw new IllegalStateException("Cannot read " + kinds[c] + " as a number");
    };
  }

  /** Row {@code i} of column {@code c} as text, as Spark casts it to string; not null. */
  public UTF8String text(ColumnVector vector, int c, int i) {
    return switch (kinds[c]) {
      case STRING -> vector.getUTF8String(i);
      case BOOLEAN -> vector.getBoolean(i) ? TRUE : FALSE;
      case DATE -> UTF8String.fromString(LocalDate.ofEpochDay(vector.getInt(i)).toString());
      case LONG -> UTF8String.fromString(Long.toString(vector.getLong(i)));
      case INT -> UTF8String.fromString(Integer.toString(vector.getInt(i)));
      case SHORT -> UTF8String.fromString(Short.toString(vector.getShort(i)));
      case BYTE -> UTF8String.fromString(Byte.toString(vector.getByte(i)));
      default -> throw new IllegalStateException("Cannot read " + kinds[c] + " as text");
    };
  }
}
