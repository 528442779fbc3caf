package dev.assay.common.table;

import dev.assay.common.AssayException;
import dev.assay.common.config.ClientSettings;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.config.DatasetKind;
import dev.assay.common.config.FeatureSelection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks a dataset's config against its table schema, before any data is read. */
final class SchemaCheck {
  private final DatasetConfig config;
  private final StructType schema;
  private final List<String> numeric = new ArrayList<>();
  private final List<String> categorical = new ArrayList<>();

  SchemaCheck(DatasetConfig config, StructType schema) {
    this.config = config;
    this.schema = schema;
  }

  void validate() {
    String at = config.keyPath();
    requireColumn(at + ".partition_column", config.partitionColumn());
    DataType partitionType = type(config.partitionColumn());
    if (!DatasetTable.isCategorical(partitionType)
        && !partitionType.simpleString().startsWith("timestamp")) {
      throw AssayException.invalidAt(
          at + ".partition_column",
          "column '"
              + config.partitionColumn()
              + "' has type "
              + partitionType.simpleString()
              + "; a partition column must be a date, timestamp, string or integer");
    }
    if (config.kind() instanceof DatasetKind.ClientUpdates updates) {
      validateClientUpdates(updates.settings());
      return;
    }
    for (int i = 0; i < config.idColumns().size(); i++) {
      requireColumn(at + ".id_columns[" + i + "]", config.idColumns().get(i));
    }
    config.labelColumn().ifPresent(label -> requireColumn(at + ".label_column", label));
    config
        .labelColumn()
        .ifPresent(
            label -> {
              if (!DatasetTable.isCategorical(type(label))) {
                throw AssayException.invalidAt(
                    at + ".label_column",
                    "column '"
                        + label
                        + "' has type "
                        + type(label).simpleString()
                        + "; a label must be a class: string, boolean, integer or date");
              }
            });
    for (int i = 0; i < config.segmentColumns().size(); i++) {
      requireColumn(at + ".segment_columns[" + i + "]", config.segmentColumns().get(i));
    }
    for (int i = 0; i < config.fingerprintExclude().size(); i++) {
      requireColumn(at + ".fingerprint.exclude[" + i + "]", config.fingerprintExclude().get(i));
    }
    config
        .duplicates()
        .near()
        .ifPresent(
            near -> {
              for (int i = 0; i < near.columns().size(); i++) {
                requireColumn(at + ".duplicates.near.columns[" + i + "]", near.columns().get(i));
              }
            });
    resolve(config.numeric(), at + ".features.numeric", numeric, true);
    resolve(config.categorical(), at + ".features.categorical", categorical, false);
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw AssayException.invalidAt(
          at + ".features",
          "no feature columns: 'auto' found none in "
              + config.table()
              + "; columns are: "
              + DatasetTable.columnList(schema)
              + ". List the features explicitly.");
    }
  }

  private void validateClientUpdates(ClientSettings clients) {
    String at = config.keyPath();
    requireColumn(at + ".client_column", clients.clientColumn());
    DataType client = type(clients.clientColumn());
    if (!client.equals(DataTypes.StringType)
        && !client.equals(DataTypes.IntegerType)
        && !client.equals(DataTypes.LongType)) {
      throw AssayException.invalidAt(
          at + ".client_column",
          "column '"
              + clients.clientColumn()
              + "' has type "
              + client.simpleString()
              + "; a client id must be a string, int or bigint");
    }
    requireColumn(at + ".update_column", clients.updateColumn());
    DataType update = type(clients.updateColumn());
    if (!(update instanceof ArrayType array)
        || !(array.elementType().equals(DataTypes.FloatType)
            || array.elementType().equals(DataTypes.DoubleType))) {
      throw AssayException.invalidAt(
          at + ".update_column",
          "column '"
              + clients.updateColumn()
              + "' has type "
              + update.simpleString()
              + "; expected array<float> or array<double> (a client's update, or one chunk"
              + " of it). Flatten tensors to one array per row, or cut them into chunks (docs/client-anomalies.md).");
    }
    clients
        .layerColumn()
        .ifPresent(
            layer -> {
              requireColumn(at + ".layer_column", layer);
              if (!type(layer).equals(DataTypes.StringType)) {
                throw AssayException.invalidAt(
                    at + ".layer_column",
                    "column '"
                        + layer
                        + "' has type "
                        + type(layer).simpleString()
                        + "; expected string layer names");
              }
            });
    clients
        .chunkColumn()
        .ifPresent(
            chunk -> {
              requireColumn(at + ".chunk_column", chunk);
              DataType chunkType = type(chunk);
              if (!chunkType.equals(DataTypes.IntegerType)
                  && !chunkType.equals(DataTypes.LongType)
                  && !chunkType.equals(DataTypes.ShortType)) {
                throw AssayException.invalidAt(
                    at + ".chunk_column",
                    "column '"
                        + chunk
                        + "' has type "
                        + chunkType.simpleString()
                        + "; expected an integer chunk index");
              }
            });
  }

  List<String> numericFeatures() {
    return numeric;
  }

  List<String> categoricalFeatures() {
    return categorical;
  }

  private void resolve(
      FeatureSelection selection, String keyPath, List<String> out, boolean isNumeric) {
    if (selection.isAuto()) {
      Set<String> excluded = new HashSet<>(config.idColumns());
      excluded.add(config.partitionColumn());
      config.labelColumn().ifPresent(excluded::add);
      excluded.addAll(config.fingerprintExclude());
      excluded.addAll(config.numeric().columns());
      excluded.addAll(config.categorical().columns());
      for (StructField field : schema.fields()) {
        if (excluded.contains(field.name())) {
          continue;
        }
        DataType type = field.dataType();
        boolean string =
            type.simpleString().equals("string") || type.simpleString().equals("boolean");
        if (isNumeric ? DatasetTable.isNumeric(type) : string) {
          out.add(field.name());
        }
      }
      return;
    }
    for (int i = 0; i < selection.columns().size(); i++) {
      String column = selection.columns().get(i);
      String path = keyPath + "[" + i + "]";
      requireColumn(path, column);
      DataType type = type(column);
      if (isNumeric && !DatasetTable.isNumeric(type)) {
        throw AssayException.invalidAt(
            path,
            "column '"
                + column
                + "' has type "
                + type.simpleString()
                + "; expected a numeric type (tinyint, smallint, int, bigint, float, double, decimal)."
                + " Move it to features.categorical or cast it upstream.");
      }
      if (!isNumeric && !DatasetTable.isCategorical(type)) {
        throw AssayException.invalidAt(
            path,
            "column '"
                + column
                + "' has type "
                + type.simpleString()
                + "; expected a categorical type (string, boolean, integer or date)."
                + (DatasetTable.isNumeric(type) ? " Move it to features.numeric." : ""));
      }
      out.add(column);
    }
  }

  private void requireColumn(String keyPath, String column) {
    if (find(column).isPresent()) {
      return;
    }
    String hint = "";
    for (StructField field : schema.fields()) {
      if (field.name().equalsIgnoreCase(column)) {
        hint = " Did you mean '" + field.name() + "'? Names are case-sensitive.";
      }
    }
    throw AssayException.invalidAt(
        keyPath,
        "column "
            + quoted(column)
            + " not found in "
            + config.table()
            + "; columns are: "
            + DatasetTable.columnList(schema)
            + "."
            + hint);
  }

  private Optional<StructField> find(String column) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(column)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  private DataType type(String column) {
    return find(column).orElseThrow().dataType();
  }

  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("'");
    for (char c : value.toCharArray()) {
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('\'').toString();
  }
}
