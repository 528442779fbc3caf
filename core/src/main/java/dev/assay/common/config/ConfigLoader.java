package dev.assay.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.assay.common.AssayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates the YAML config. Relative table and integrity paths are resolved against the
 * config file's folder; URIs with a scheme ({@code s3a://}, {@code abfss://}, {@code file:/}) and
 * catalog names ({@code catalog.schema.table}) are kept as they are.
 */
public final class ConfigLoader {
  /** Dataset names become SQL view names in {@code assay sql}, so they are plain identifiers. */
  private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private static final Pattern CATALOG_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){1,2}");

  /**
   * YAML's .nan/.inf, which Jackson cannot read as numbers: kept as strings so errors name the key.
   */
  private static final Pattern NON_FINITE =
      Pattern.compile(
          "(?m)(:\\s*|-\\s+|[\\[,]\\s*)([-+]?\\.(?:nan|NaN|NAN|inf|Inf|INF))(?=\\s*(?:[,}\\]]|#|$))");

  private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

  private static final Set<String> TOP_KEYS = Set.of("integrity", "datasets");
  private static final Set<String> DATASET_KEYS =
      Set.of(
          "name",
          "kind",
          "table",
          "partition_column",
          "id_columns",
          "label_column",
          "segment_columns",
          "features",
          "fingerprint",
          "baseline",
          "profile",
          "thresholds",
          "labels",
          "duplicates",
          "checks",
          "checks_quarantine",
          "client_column",
          "update_column",
          "layer_column",
          "chunk_column",
          "clients");
  private static final Set<String> CLIENT_DATASET_KEYS =
      Set.of(
          "name",
          "kind",
          "table",
          "partition_column",
          "client_column",
          "update_column",
          "layer_column",
          "chunk_column",
          "clients");

  private ConfigLoader() {}

  public static AssayConfig load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw AssayException.invalid(
          "Cannot read config file "
              + file
              + ": "
              + e.getMessage()
              + ". Pass an existing YAML file with -c.");
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(
        new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file, base, sha256(bytes));
  }

  /** Parses config text; relative paths resolve against {@code base}. */
  public static AssayConfig parse(String yaml, Path source, Path base, String sha256) {
    JsonNode root;
    try {
      YAMLMapper mapper = new YAMLMapper(new YAMLFactory());
      mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      root = mapper.readTree(NON_FINITE.matcher(yaml).replaceAll("$1\"$2\""));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw AssayException.invalid(
          "Invalid YAML in "
              + source
              + where
              + ": "
              + e.getOriginalMessage()
              + ". Fix the syntax; README shows a complete example.");
    }
    YamlNode top = new YamlNode(root, "");
    if (top.isMissing()) {
      throw AssayException.invalid(
          "Invalid config "
              + source
              + ": the file is empty. Expected keys 'integrity' and 'datasets'.");
    }
    top.requireMapWithKeys(TOP_KEYS);
    IntegrityLocation integrity = parseIntegrity(top.child("integrity"), base);
    List<YamlNode> items = top.child("datasets").list();
    if (items.isEmpty()) {
      throw top.child("datasets").error("expected a non-empty list of datasets");
    }
    List<DatasetConfig> datasets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      DatasetConfig dataset = parseDataset(items.get(i), i, base);
      if (!names.add(dataset.name())) {
        throw items
            .get(i)
            .child("name")
            .error("duplicate dataset name '" + dataset.name() + "'; names must be unique");
      }
      datasets.add(dataset);
    }
    return new AssayConfig(source, sha256, integrity, List.copyOf(datasets));
  }

  private static IntegrityLocation parseIntegrity(YamlNode node, Path base) {
    node.requireMapWithKeys(Set.of("path", "catalog", "verdict_key_file"));
    IntegrityLocation location = location(node, base);
    return node.has("verdict_key_file")
        ? location.withVerdictKeyFile(resolvePath(node.child("verdict_key_file").string(), base))
        : location;
  }

  private static IntegrityLocation location(YamlNode node, Path base) {
    boolean hasPath = node.has("path");
    boolean hasCatalog = node.has("catalog");
    if (hasPath == hasCatalog) {
      throw node.error("expected exactly one of 'path' (a folder) or 'catalog' (a schema name)");
    }
    if (hasCatalog) {
      String schema = node.child("catalog").string();
      if (!CATALOG_NAME.matcher(schema).matches() && !DATASET_NAME.matcher(schema).matches()) {
        throw node.child("catalog")
            .error(
                "invalid schema name "
                    + YamlNode.printable(schema)
                    + "; expected identifiers like 'assay' or 'main.assay'");
      }
      return IntegrityLocation.inCatalog(schema);
    }
    return IntegrityLocation.atPath(resolvePath(node.child("path").string(), base));
  }

  private static DatasetConfig parseDataset(YamlNode node, int index, Path base) {
    node.requireMapWithKeys(DATASET_KEYS);
    String name = node.child("name").string();
    if (!DATASET_NAME.matcher(name).matches()) {
      throw node.child("name")
          .error(
              "invalid dataset name "
                  + YamlNode.printable(name)
                  + "; expected letters, digits and '_' (it becomes a SQL view name), e.g. 'transactions'");
    }
    String kind = node.child("kind").stringOr("table");
    if (kind.equals("client_updates")) {
      return clientUpdates(node, index, name, base);
    }
    if (!kind.equals("table")) {
      throw node.child("kind")
          .error(
              "unsupported kind "
                  + YamlNode.printable(kind)
                  + "; expected 'table' (rows with features, the default) or 'client_updates' (federated-learning"
                  + " updates, one row per round and client)");
    }
    for (String key : ClientSettings.LAYOUT_KEYS) {
      if (node.has(key)) {
        throw node.child(key)
            .error(
                "'"
                    + key
                    + "' belongs to datasets of kind 'client_updates'; add"
                    + " 'kind: client_updates' or remove the key");
      }
    }
    if (node.has("clients")) {
      throw node.child("clients").error("client scoring settings need 'kind: client_updates'");
    }
    String table = tableLocation(node.child("table"), base);
    String partitionColumn = node.child("partition_column").string();
    List<String> ids = node.child("id_columns").stringList();
    Optional<String> label =
        node.has("label_column")
            ? Optional.of(node.child("label_column").string())
            : Optional.empty();
    List<String> segments = node.child("segment_columns").stringList();
    if (!segments.isEmpty() && label.isEmpty()) {
      throw node.child("segment_columns")
          .error("segments split label checks, so they need 'label_column' as well");
    }

    YamlNode features = node.child("features");
    features.requireMapWithKeys(Set.of("numeric", "categorical"));
    FeatureSelection numeric = featureSelection(features.child("numeric"));
    FeatureSelection categorical = featureSelection(features.child("categorical"));
    if (!numeric.isAuto()
        && !categorical.isAuto()
        && numeric.columns().isEmpty()
        && categorical.columns().isEmpty()) {
      throw features.error(
          "expected at least one feature under 'numeric' or 'categorical' (or 'auto')");
    }
    checkFeatureLists(features, numeric, categorical, partitionColumn, label);

    List<String> exclude = List.of();
    YamlNode fingerprint = node.child("fingerprint");
    if (!fingerprint.isMissing()) {
      fingerprint.requireMapWithKeys(Set.of("exclude"));
      exclude = fingerprint.child("exclude").stringList();
    }
    List<dev.assay.common.checks.Check> checks = ChecksParser.parse(node.child("checks"));
    Optional<String> checksQuarantine = Optional.empty();
    YamlNode quarantine = node.child("checks_quarantine");
    if (!quarantine.isMissing()) {
      quarantine.requireMapWithKeys(Set.of("table"));
      if (checks.isEmpty()) {
        throw quarantine.error("a checks quarantine needs 'checks' to quarantine rows for");
      }
      checksQuarantine = Optional.of(tableLocation(quarantine.child("table"), base));
    }
    return new DatasetConfig(
        index,
        name,
        table,
        partitionColumn,
        ids,
        label,
        segments,
        numeric,
        categorical,
        exclude,
        BaselineConfig.parse(node.child("baseline")),
        ProfileSettings.parse(node.child("profile")),
        Thresholds.parse(node.child("thresholds")),
        labels(node.child("labels"), label, base),
        DuplicateSettings.parse(node.child("duplicates"), ConfigLoader::tableLocation, base, ids),
        new DatasetKind.Table(),
        checks,
        checksQuarantine);
  }

  /** A dataset of federated-learning client updates: no features, labels or fingerprints. */
  private static DatasetConfig clientUpdates(YamlNode node, int index, String name, Path base) {
    node.requireMapWithKeys(CLIENT_DATASET_KEYS);
    String table = tableLocation(node.child("table"), base);
    String partitionColumn = node.child("partition_column").string();
    ClientSettings clients = ClientSettings.parse(node, node.child("clients"));
    List<YamlNode> named = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (String key : List.of("client_column", "update_column", "layer_column", "chunk_column")) {
      if (node.has(key)) {
        named.add(node.child(key));
        columns.add(node.child(key).string());
      }
    }
    columns.add(partitionColumn);
    for (int i = 0; i < named.size(); i++) {
      if (columns.subList(i + 1, columns.size()).contains(columns.get(i))) {
        throw named
            .get(i)
            .error(
                "column '"
                    + columns.get(i)
                    + "' has two roles; the partition, client, update,"
                    + " layer and chunk columns must differ");
      }
    }
    return new DatasetConfig(
        index,
        name,
        table,
        partitionColumn,
        List.of(),
        Optional.empty(),
        List.of(),
        FeatureSelection.none(),
        FeatureSelection.none(),
        List.of(),
        BaselineConfig.DEFAULT,
        ProfileSettings.DEFAULT,
        Thresholds.DEFAULTS,
        LabelSettings.DEFAULT,
        DuplicateSettings.DEFAULT,
        new DatasetKind.ClientUpdates(clients),
        List.of(),
        Optional.empty());
  }

  private static LabelSettings labels(YamlNode node, Optional<String> label, Path base) {
    if (!node.isMissing() && label.isEmpty()) {
      throw node.error("label settings need 'label_column' as well");
    }
    return LabelSettings.parse(node, ConfigLoader::tableLocation, base);
  }

  private static FeatureSelection featureSelection(YamlNode node) {
    if (node.isMissing()) {
      return FeatureSelection.none();
    }
    if (node.isText("auto")) {
      return FeatureSelection.auto();
    }
    List<String> columns = node.stringList();
    Set<String> seen = new HashSet<>();
    List<YamlNode> items = node.list();
    for (int i = 0; i < columns.size(); i++) {
      if (!seen.add(columns.get(i))) {
        throw items.get(i).error("column '" + columns.get(i) + "' is listed twice");
      }
    }
    return FeatureSelection.of(columns);
  }

  private static void checkFeatureLists(
      YamlNode features,
      FeatureSelection numeric,
      FeatureSelection categorical,
      String partitionColumn,
      Optional<String> label) {
    List<YamlNode> numericItems = numeric.isAuto() ? List.of() : features.child("numeric").list();
    List<YamlNode> categoricalItems =
        categorical.isAuto() ? List.of() : features.child("categorical").list();
    for (int i = 0; i < numericItems.size(); i++) {
      String column = numeric.columns().get(i);
      if (categorical.columns().contains(column)) {
        throw numericItems
            .get(i)
            .error("column '" + column + "' is listed as both numeric and categorical; keep one");
      }
    }
    List<YamlNode> all = new ArrayList<>(numericItems);
    all.addAll(categoricalItems);
    List<String> names = new ArrayList<>(numeric.columns());
    names.addAll(categorical.columns());
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(partitionColumn)) {
        throw all.get(i)
            .error("the partition column '" + partitionColumn + "' cannot be a feature");
      }
      if (label.isPresent() && names.get(i).equals(label.get())) {
        throw all.get(i)
            .error(
                "the label column '"
                    + label.get()
                    + "' cannot also be a feature; label jobs watch it");
      }
    }
  }

  private static String tableLocation(YamlNode node, Path base) {
    String table = node.string();
    if (!table.contains("/") && !table.contains("\\") && CATALOG_NAME.matcher(table).matches()) {
      return table;
    }
    return resolvePath(table, base);
  }

  private static String resolvePath(String value, Path base) {
    if (URI_SCHEME.matcher(value).matches() && !value.matches("[A-Za-z]:\\\\.*")) {
      return value;
    }
    Path path = Path.of(value);
    return (path.isAbsolute() ? path : base.resolve(path)).normalize().toString();
  }

  /** True when {@code table} names a catalog table rather than a path. */
  public static boolean isCatalogName(String table) {
    return !table.contains("/") && CATALOG_NAME.matcher(table).matches();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
