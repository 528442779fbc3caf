package dev.assay.jobs.profile;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The profile pass over Parquet's column batches, as the vectorized reader produces them: no row
 * is ever materialised. Each feature is read column by column, and the partition value, a constant
 * vector for a partitioned table, is looked up once per batch.
 */
final class ColumnarProfilePass
    implements FlatMapFunction<Iterator<ColumnarBatch>, Map<String, PartitionState>> {
  private static final long serialVersionUID = 1L;
  private static final UTF8String TRUE = UTF8String.fromString("true");
  private static final UTF8String FALSE = UTF8String.fromString("false");

  /** How a column's values are read. */
  enum Kind { DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, DECIMAL, STRING, BOOLEAN, DATE }

  private final double[][] edges;
  private final int partitionOrdinal;
  private final Kind partitionKind;
  private final int[] numericOrdinals;
  private final Kind[] numericKinds;
  private final int[] decimalPrecision;
  private final int[] decimalScale;
  private final int[] categoricalOrdinals;
  private final Kind[] categoricalKinds;

  ColumnarProfilePass(double[][] edges, int partitionOrdinal, DataType partitionType, int[] numericOrdinals,
      DataType[] numericTypes, int[] categoricalOrdinals, DataType[] categoricalTypes) {
    this.edges = edges;
    this.partitionOrdinal = partitionOrdinal;
    this.partitionKind = kind(partitionType);
    this.numericOrdinals = numericOrdinals;
    this.numericKinds = new Kind[numericTypes.length];
    this.decimalPrecision = new int[numericTypes.length];
    this.decimalScale = new int[numericTypes.length];
    for (int f = 0; f < numericTypes.length; f++) {
      numericKinds[f] = kind(numericTypes[f]);
      if (numericTypes[f] instanceof DecimalType decimal) {
        decimalPrecision[f] = decimal.precision();
        decimalScale[f] = decimal.scale();
      }
    }
    this.categoricalOrdinals = categoricalOrdinals;
    this.categoricalKinds = new Kind[categoricalTypes.length];
    for (int c = 0; c < categoricalTypes.length; c++) {
      categoricalKinds[c] = kind(categoricalTypes[c]);
    }
  }

  /** The reading kind of a type, or null when this pass cannot read it (the row pass then runs). */
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

  @Override
  public Iterator<Map<String, PartitionState>> call(Iterator<ColumnarBatch> batches) {
    Map<String, PartitionAccumulator> byPartition = new HashMap<>();
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      int rows = batch.numRows();
      ColumnVector partition = batch.column(partitionOrdinal);
      int start = 0;
      while (start < rows) {
        int end = partition instanceof ConstantColumnVector ? rows : runEnd(partition, start, rows);
        if (!partition.isNullAt(start)) {
          String key = text(partition, partitionKind, start).toString();
          PartitionAccumulator accumulator =
              byPartition.computeIfAbsent(key, k -> new PartitionAccumulator(edges, categoricalOrdinals.length));
          add(batch, accumulator, start, end);
        }
        start = end;
      }
    }
    Map<String, PartitionState> out = new HashMap<>();
    byPartition.forEach((key, accumulator) -> out.put(key, accumulator.seal()));
    return List.of(out).iterator();
  }

  private void add(ColumnarBatch batch, PartitionAccumulator accumulator, int start, int end) {
    accumulator.addRows(end - start);
    for (int f = 0; f < numericOrdinals.length; f++) {
      ColumnVector vector = batch.column(numericOrdinals[f]);
      Kind kind = numericKinds[f];
      for (int i = start; i < end; i++) {
        if (vector.isNullAt(i)) {
          accumulator.addNull(f);
        } else {
          accumulator.addNumeric(f, number(vector, kind, f, i));
        }
      }
    }
    for (int c = 0; c < categoricalOrdinals.length; c++) {
      ColumnVector vector = batch.column(categoricalOrdinals[c]);
      Kind kind = categoricalKinds[c];
      for (int i = start; i < end; i++) {
        if (vector.isNullAt(i)) {
          accumulator.addCategoricalNull(c);
        } else {
          accumulator.count(c, text(vector, kind, i));
        }
      }
    }
  }

  private double number(ColumnVector vector, Kind kind, int f, int i) {
    return switch (kind) {
      case DOUBLE -> vector.getDouble(i);
      case FLOAT -> vector.getFloat(i);
      case LONG -> vector.getLong(i);
      case INT -> vector.getInt(i);
      case SHORT -> vector.getShort(i);
      case BYTE -> vector.getByte(i);
      case DECIMAL -> vector.getDecimal(i, decimalPrecision[f], decimalScale[f]).toDouble();
      default -> throw new IllegalStateException("Cannot read " + kind + " as a number");
    };
  }

  /** A value as text, the way Spark casts it to string. */
  private static UTF8String text(ColumnVector vector, Kind kind, int i) {
    return switch (kind) {
      case STRING -> vector.getUTF8String(i);
      case BOOLEAN -> vector.getBoolean(i) ? TRUE : FALSE;
      case DATE -> UTF8String.fromString(LocalDate.ofEpochDay(vector.getInt(i)).toString());
      case LONG -> UTF8String.fromString(Long.toString(vector.getLong(i)));
      case INT -> UTF8String.fromString(Integer.toString(vector.getInt(i)));
      case SHORT -> UTF8String.fromString(Short.toString(vector.getShort(i)));
      case BYTE -> UTF8String.fromString(Byte.toString(vector.getByte(i)));
      default -> throw new IllegalStateException("Cannot read " + kind + " as text");
    };
  }

  /** The end of the run of rows from {@code start} with the same partition value. */
  private int runEnd(ColumnVector partition, int start, int rows) {
    boolean isNull = partition.isNullAt(start);
    UTF8String first = isNull ? null : text(partition, partitionKind, start).clone();
    int end = start + 1;
    while (end < rows) {
      boolean nextNull = partition.isNullAt(end);
      if (nextNull != isNull || !isNull && !text(partition, partitionKind, end).equals(first)) {
        break;
      }
      end++;
    }
    return end;
  }
}
