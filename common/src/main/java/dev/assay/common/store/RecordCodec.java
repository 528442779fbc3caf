package dev.assay.common.store;

import dev.assay.common.records.TableRecords;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Converts between a Java record and a Spark row, by column name. The schema is derived from the
 * record: each component is a nullable column named in snake case (or by {@code @Column}); boxed
 * numbers, {@code String}, {@code Boolean}, {@code Timestamp} and {@code byte[]} map to their Spark
 * types, a nested record to a struct and a {@code List} to an array without null elements. This is
 * the one place rows are built and read by position.
 *
 * <p>Reading is by name, so a row from an older table that lacks a later column reads it as null.
 */
public final class RecordCodec<R extends Record> {
  private static final Map<Class<?>, RecordCodec<?>> CODECS = new ConcurrentHashMap<>();

  private final Class<R> type;
  private final StructType schema;
  private final RecordComponent[] components;
  private final Method[] accessors;
  private final Constructor<R> constructor;

  private RecordCodec(Class<R> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    StructField[] fields = new StructField[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    this.accessors = new Method[components.length];
    for (int i = 0; i < components.length; i++) {
      fields[i] =
          DataTypes.createStructField(
              TableRecords.columnName(components[i]),
              sparkType(components[i].getGenericType(), type),
              true);
      parameterTypes[i] = components[i].getType();
      // a job's own intermediate records may be private
      accessors[i] = components[i].getAccessor();
      accessors[i].setAccessible(true);
    }
    this.schema = DataTypes.createStructType(fields);
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
  }

  /** The codec of {@code type}, built once per record class. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> RecordCodec<R> of(Class<R> type) {
    RecordCodec<?> codec = CODECS.get(type);
    if (codec == null) {
      // not computeIfAbsent: building a codec builds those of its nested records first
      codec = new RecordCodec<>(type);
      RecordCodec<?> raced = CODECS.putIfAbsent(type, codec);
      codec = raced != null ? raced : codec;
    }
    return (RecordCodec<R>) codec;
  }

  public Class<R> type() {
    return type;
  }

  public StructType schema() {
    return schema;
  }

  /** The row of {@code record}, its values in schema order. */
  public Row toRow(R record) {
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = toSpark(value(accessors[i], record));
    }
    return RowFactory.create(values);
  }

  /**
   * A row of {@code values} for a dataset schema declared elsewhere: the demo's and benchmarks'
   * input tables, and changed copies of a user's row. Integrity-table rows are built from records
   * instead.
   */
  public static Row positional(Object... values) {
    return RowFactory.create(values);
  }

  public List<Row> toRows(Collection<? extends R> records) {
    List<Row> rows = new ArrayList<>(records.size());
    for (R record : records) {
      rows.add(toRow(record));
    }
    return rows;
  }

  /** A DataFrame of {@code records} with this codec's schema. */
  public Dataset<Row> toDataFrame(SparkSession spark, Collection<? extends R> records) {
    return spark.createDataFrame(toRows(records), schema);
  }

  /**
   * The record in {@code row}, each component read from the column of its name. A row without a
   * schema is read by this codec's column order; a missing column reads as null.
   */
  public R fromRow(Row row) {
    StructType rowSchema = row.schema();
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      int index = i;
      if (rowSchema != null) {
        index = indexOf(rowSchema, schema.fields()[i].name());
      }
      Object value =
          index < 0 || index >= row.length() || row.isNullAt(index) ? null : row.get(index);
      try {
        args[i] = fromSpark(value, components[i].getGenericType(), components[i]);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "column "
                + schema.fields()[i].name()
                + " of "
                + type.getSimpleName()
                + " holds a "
                + value.getClass().getSimpleName()
                + ", not a "
                + components[i].getType().getSimpleName()
                + ": the table was written outside Assay",
            e);
      }
    }
    try {
      return constructor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " from " + row, e);
    }
  }

  public List<R> fromRows(Collection<Row> rows) {
    List<R> records = new ArrayList<>(rows.size());
    for (Row row : rows) {
      records.add(fromRow(row));
    }
    return records;
  }

  /** The records of {@code rows}, collected to the driver. */
  public List<R> collect(Dataset<Row> rows) {
    return fromRows(rows.collectAsList());
  }

  /** A whole number as stored (a long, an int of an older table); anything else is refused. */
  private static Number integral(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return (Number) value;
    }
    throw new ClassCastException(value.getClass().getName() + " is not a whole number");
  }

  private static int indexOf(StructType schema, String name) {
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static DataType sparkType(Type type, Class<?> owner) {
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      return DataTypes.createArrayType(sparkType(list.getActualTypeArguments()[0], owner), false);
    }
    if (type == String.class) {
      return DataTypes.StringType;
    } else if (type == Long.class || type == long.class) {
      return DataTypes.LongType;
    } else if (type == Integer.class || type == int.class) {
      return DataTypes.IntegerType;
    } else if (type == Double.class || type == double.class) {
      return DataTypes.DoubleType;
    } else if (type == Boolean.class || type == boolean.class) {
      return DataTypes.BooleanType;
    } else if (type == Timestamp.class) {
      return DataTypes.TimestampType;
    } else if (type == byte[].class) {
      return DataTypes.BinaryType;
    } else if (type instanceof Class<?> nested && nested.isRecord()) {
      return of(nested.asSubclass(Record.class)).schema();
    }
    throw new IllegalArgumentException(
        "record " + owner.getName() + " has a component of unsupported type " + type.getTypeName());
  }

  private static Object value(Method accessor, Record record) {
    try {
      return accessor.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object toSpark(Object value) {
    if (value instanceof Record nested) {
      return ((RecordCodec) of(nested.getClass())).toRow(nested);
    }
    if (value instanceof List<?> list) {
      Object[] items = new Object[list.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = toSpark(list.get(i));
      }
      return items;
    }
    return value;
  }

  private static Object fromSpark(Object value, Type type, RecordComponent component) {
    if (value == null) {
      return null;
    }
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      Type element = list.getActualTypeArguments()[0];
      List<?> items =
          value instanceof scala.collection.Seq<?> seq
              ? scala.jdk.javaapi.CollectionConverters.asJava(seq)
              : value instanceof Object[] array ? java.util.Arrays.asList(array) : (List<?>) value;
      List<Object> converted = new ArrayList<>(items.size());
      for (Object item : items) {
        converted.add(fromSpark(item, element, component));
      }
      return List.copyOf(converted);
    }
    if (type == Long.class || type == long.class) {
      return integral(value).longValue();
    } else if (type == Integer.class || type == int.class) {
      return Math.toIntExact(integral(value).longValue());
    } else if (type == Double.class || type == double.class) {
      return ((Number) value).doubleValue();
    } else if (type == Timestamp.class && value instanceof java.time.Instant instant) {
      return Timestamp.from(instant);
    } else if (type instanceof Class<?> nested && nested.isRecord()) {
      return of(nested.asSubclass(Record.class)).fromRow((Row) value);
    }
    if (type instanceof Class<?> expected
        && !expected.isPrimitive()
        && !expected.isInstance(value)) {
      throw new ClassCastException(value.getClass().getName() + " is not " + expected.getName());
    }
    return value;
  }
}
