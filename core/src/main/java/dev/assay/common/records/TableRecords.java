package dev.assay.common.records;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every integrity table, by its record, in the order they are created and documented; and their
 * columns, named as stored. Plain Java: the config model validates against it without Spark.
 */
public final class TableRecords {
  /** Columns every per-partition result table starts with. */
  public static final List<String> RESULT_KEYS = List.of("dataset", "partition", "run_id");

  public static final List<Class<? extends Record>> ALL =
      List.of(
          RunRecord.class,
          FeatureProfileRecord.class,
          FeatureEdgesRecord.class,
          FeatureDriftRecord.class,
          LabelDriftRecord.class,
          LabelProfileRecord.class,
          ClassDriftRecord.class,
          TriggerRecord.class,
          TriggerEvidenceRecord.class,
          AnnotatorAgreementRecord.class,
          DuplicateIndexRecord.class,
          DuplicateRecord.class,
          DuplicateSummaryRecord.class,
          ClientAnomalyRecord.class,
          ClientHistoryRecord.class,
          CheckResultRecord.class,
          VerdictRecord.class,
          ScorecardRecord.class);

  private TableRecords() {}

  /** The table name of a record marked {@link Table}. */
  public static String tableName(Class<? extends Record> record) {
    Table table = record.getAnnotation(Table.class);
    if (table == null) {
      throw new IllegalArgumentException(
          record.getName() + " is not an integrity table's record (no @Table)");
    }
    return table.value();
  }

  public static Optional<Class<? extends Record>> byName(String table) {
    return ALL.stream().filter(r -> tableName(r).equals(table)).findFirst();
  }

  /** The stored name of a component: its {@link Column} name, or its own name in snake case. */
  public static String columnName(RecordComponent component) {
    Column column = component.getAnnotation(Column.class);
    if (column != null) {
      return column.value();
    }
    StringBuilder name = new StringBuilder();
    for (char c : component.getName().toCharArray()) {
      if (Character.isUpperCase(c)) {
        name.append('_').append(Character.toLowerCase(c));
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }

  public static List<String> columns(Class<? extends Record> record) {
    List<String> names = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      names.add(columnName(component));
    }
    return names;
  }

  /** The Java type of a column (String, Long, Double, List...), if the record has it. */
  public static Optional<Class<?>> columnType(Class<? extends Record> record, String column) {
    for (RecordComponent component : record.getRecordComponents()) {
      if (columnName(component).equals(column)) {
        return Optional.of(component.getType());
      }
    }
    return Optional.empty();
  }

  /**
   * A column's type as Spark SQL prints it ({@code bigint}, {@code array<string>}), if the record
   * has it.
   */
  public static Optional<String> sqlType(Class<? extends Record> record, String column) {
    for (RecordComponent component : record.getRecordComponents()) {
      if (columnName(component).equals(column)) {
        return Optional.of(sqlType(component.getGenericType()));
      }
    }
    return Optional.empty();
  }

  private static String sqlType(Type type) {
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      return "array<" + sqlType(list.getActualTypeArguments()[0]) + ">";
    }
    if (type instanceof Class<?> nested && nested.isRecord()) {
      List<String> fields = new ArrayList<>();
      for (RecordComponent component : nested.getRecordComponents()) {
        fields.add(columnName(component) + ":" + sqlType(component.getGenericType()));
      }
      return "struct<" + String.join(",", fields) + ">";
    }
    return switch (type.getTypeName()) {
      case "java.lang.String" -> "string";
      case "java.lang.Long", "long" -> "bigint";
      case "java.lang.Integer", "int" -> "int";
      case "java.lang.Double", "double" -> "double";
      case "java.lang.Float", "float" -> "float";
      case "java.lang.Boolean", "boolean" -> "boolean";
      case "java.sql.Timestamp" -> "timestamp";
      case "byte[]" -> "binary";
      default -> type.getTypeName();
    };
  }

  /** True when rows carry a per-row {@code status} and {@code reason} that verdicts read. */
  public static boolean feedsVerdicts(Class<? extends Record> record) {
    List<String> columns = columns(record);
    return columns.contains("status")
        && columns.contains("reason")
        && columns.contains("partition");
  }
}
