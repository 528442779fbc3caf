package dev.assay.jobs.redteam;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.config.DatasetKind;
import dev.assay.common.store.RecordCodec;
import dev.assay.common.table.Columns;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.table.RowChecksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes a shadow copy of one dataset with known attacks injected, its ground truth and a config
 * ready for {@code nightly}, under an output folder. The original table is only read, at one pinned
 * version.
 *
 * <p>Layout: {@code OUT/lake/NAME} (the shadow, same schema and partitioning), {@code
 * OUT/lake/ground_truth}, {@code OUT/assay.yaml} (the dataset's config pointing at the shadow,
 * integrity tables under {@code OUT/lake/_integrity}) and {@code OUT/redteam.json}, written last: a
 * run killed half-way leaves no manifest, so {@code evaluate} refuses the folder until a re-run
 * completes it. A re-run first empties what an earlier run wrote there, integrity tables included.
 */
public final class RedTeam {
  static final String MANIFEST = "redteam.json";

  /** Written first: the folder belongs to the red team, so a re-run may empty it. */
  static final String MARKER = ".assay-redteam";

  /** What one run wrote: where, and how many rows each attack touched. */
  public record Result(
      Path config, Path shadow, Path groundTruth, Map<String, Long> rowsPerAttack) {}

  private final SparkSession spark;
  private final AssayConfig config;
  private final DatasetConfig dataset;

  public RedTeam(SparkSession spark, AssayConfig config, String datasetName) {
    this.spark = spark;
    this.config = config;
    this.dataset = config.dataset(datasetName);
  }

  public Result run(List<String> attackTexts, Path out, long seed) {
    if (attackTexts.isEmpty()) {
      throw AssayException.invalid(
          "Missing required --attack: give at least one, such as --attack label_flip:rate=0.05");
    }
    List<AttackSpec> specs = new ArrayList<>();
    for (int i = 0; i < attackTexts.size(); i++) {
      AttackSpec spec = AttackSpec.parse(i, attackTexts.get(i));
      if (spec.kind().onTables() != dataset.isTable()) {
        throw spec.invalid(
            spec.kind().label()
                + (spec.kind().onTables()
                    ? " attacks tables of rows"
                    : " attacks" + " client updates")
                + ", and dataset '"
                + dataset.name()
                + "' is "
                + (dataset.isTable()
                    ? "a table of rows"
                    : "client updates (kind: client_updates)"));
      }
      specs.add(spec);
    }
    Path root = checkOut(out);
    DatasetTable table = DatasetTable.open(spark, dataset);
    List<String> partitions = table.partitions();
    if (partitions.isEmpty()) {
      throw AssayException.invalid(
          "Cannot attack "
              + dataset.table()
              + ": it has no partitions at version "
              + table.version()
              + ".");
    }
    ShadowRows shadow = new ShadowRows(dataset, table.schema(), seed);
    Dataset<Row> rows = shadow.start(table.read());
    if (dataset.isTable()) {
      TableAttacks attacks = new TableAttacks(shadow, partitions);
      for (AttackSpec spec : specs) {
        rows = attacks.apply(spec, rows);
      }
    } else {
      ClientAttacks attacks = new ClientAttacks(shadow, partitions);
      for (AttackSpec spec : specs) {
        rows = attacks.apply(spec, rows);
      }
    }
    rows = withSourceChecksums(rows, specs, table);
    prepare(root);
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Path shadowTable = root.resolve("lake").resolve(dataset.name());
      Column removed =
          org.apache.spark.sql.functions.expr(
              "exists(" + ShadowRows.TRUTH + ", t -> t.effect = 'removed')");
      rows.where(col(ShadowRows.TRUTH).isNull().or(not(removed)))
          .drop(ShadowRows.TRUTH)
          .write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true")
          .partitionBy(dataset.partitionColumn())
          .save(shadowTable.toString());
      Path groundTruth = root.resolve("lake").resolve("ground_truth");
      Dataset<Row> truth = groundTruth(rows, specs, shadow);
      truth
          .write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true")
          .partitionBy("partition")
          .save(groundTruth.toString());
      Map<String, Long> counts = new LinkedHashMap<>();
      specs.forEach(s -> counts.put(s.id(), 0L));
      for (Row row :
          spark
              .read()
              .format("delta")
              .load(groundTruth.toString())
              .groupBy("attack_id")
              .count()
              .collectAsList()) {
        counts.put(row.getString(0), row.getLong(1));
      }
      Path shadowConfig = writeConfig(root, shadowTable);
      writeManifest(root, table.version(), seed, specs);
      return new Result(shadowConfig, shadowTable, groundTruth, counts);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Attacks model poisoning at the source, before rows got their checksums, so rows they touched
   * get a fresh checksum for every checksum constraint of the config; a {@code checksum_tamper}
   * edit happens after ingestion and keeps the stale one.
   */
  private Dataset<Row> withSourceChecksums(
      Dataset<Row> rows, List<AttackSpec> specs, DatasetTable table) {
    List<String> tampers = new ArrayList<>();
    for (AttackSpec spec : specs) {
      if (spec.kind() == AttackKind.CHECKSUM_TAMPER) {
        tampers.add("'" + spec.id() + "'");
      }
    }
    String tampered =
        tampers.isEmpty()
            ? "false"
            : "exists("
                + ShadowRows.TRUTH
                + ", t -> t.attack_id IN ("
                + String.join(", ", tampers)
                + "))";
    Column refresh =
        col(ShadowRows.TRUTH).isNotNull().and(not(org.apache.spark.sql.functions.expr(tampered)));
    for (dev.assay.common.checks.Check check : dataset.checks()) {
      for (dev.assay.common.checks.Constraint constraint : check.constraints()) {
        if (constraint.metric() instanceof dev.assay.common.checks.Metric.ChecksumMatch m) {
          List<String> content =
              m.contentColumns(List.of(table.schema().fieldNames()), dataset.partitionColumn());
          rows =
              rows.withColumn(
                  m.column(),
                  org.apache
                      .spark
                      .sql
                      .functions
                      .when(
                          refresh,
                          RowChecksums.asStored(m.algorithm(), table.schema(), m.column(), content))
                      .otherwise(Columns.named(m.column())));
        }
      }
    }
    return rows;
  }

  /** What the ground truth says of each attack besides its rows. */
  private record AttackMeta(String attackId, String attack, String parameters) {}

  /** One row per attack and row (or client) it touched. */
  private Dataset<Row> groundTruth(Dataset<Row> rows, List<AttackSpec> specs, ShadowRows shadow) {
    Column clientId =
        dataset.kind() instanceof DatasetKind.ClientUpdates updates
            ? Columns.named(updates.settings().clientColumn()).cast(DataTypes.StringType)
            : lit(null).cast(DataTypes.StringType);
    Dataset<Row> touched =
        rows.where(col(ShadowRows.TRUTH).isNotNull())
            .select(
                lit(dataset.name()).as("dataset"),
                shadow.partition().as("partition"),
                shadow.rowId().as("row_id"),
                clientId.as("client_id"),
                explode(col(ShadowRows.TRUTH)).as("t"))
            .select(
                col("dataset"),
                col("partition"),
                col("row_id"),
                col("client_id"),
                col("t.attack_id").as("attack_id"),
                col("t.effect").as("effect"));
    List<AttackMeta> meta = new ArrayList<>();
    for (AttackSpec spec : specs) {
      meta.add(new AttackMeta(spec.id(), spec.kind().label(), spec.text()));
    }
    Dataset<Row> attacks = RecordCodec.of(AttackMeta.class).toDataFrame(spark, meta);
    return touched
        .join(org.apache.spark.sql.functions.broadcast(attacks), "attack_id")
        .select(
            "dataset",
            "partition",
            "row_id",
            "client_id",
            "attack_id",
            "attack",
            "effect",
            "parameters");
  }

  /** The output folder, checked: never inside the original's tables, never someone else's files. */
  private Path checkOut(Path out) {
    Path root = out.toAbsolutePath().normalize();
    for (String location : sourceLocations()) {
      Path source = Path.of(location).toAbsolutePath().normalize();
      if (root.startsWith(source) || source.startsWith(root)) {
        throw AssayException.invalid(
            "Invalid --out "
                + out
                + ": it overlaps "
                + source
                + ", which the red team must"
                + " never write. Choose a folder of its own, such as /tmp/redteam.");
      }
    }
    if (Files.isDirectory(root) && !Files.exists(root.resolve(MARKER))) {
      try (Stream<Path> entries = Files.list(root)) {
        if (entries.findAny().isPresent()) {
          throw AssayException.invalid(
              "Invalid --out "
                  + out
                  + ": the folder holds other files. Give an empty or"
                  + " new folder, or one an earlier redteam run wrote.");
        }
      } catch (IOException e) {
        throw AssayException.failed("Cannot list " + root + ": " + e.getMessage(), e);
      }
    }
    return root;
  }

  /**
   * Empties a folder an earlier run wrote (its shadow, ground truth, integrity and quarantine
   * tables), so an evaluation never scores old verdicts against new ground truth; marks the folder
   * as the red team's.
   */
  private void prepare(Path root) {
    try {
      Files.createDirectories(root);
      Files.writeString(root.resolve(MARKER), "written by assay redteam\n");
      Files.deleteIfExists(root.resolve(MANIFEST));
      Files.deleteIfExists(root.resolve("assay.yaml"));
      Path lake = root.resolve("lake");
      if (Files.exists(lake)) {
        try (Stream<Path> paths = Files.walk(lake)) {
          for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
    } catch (IOException e) {
      throw AssayException.failed("Cannot prepare " + root + ": " + e.getMessage(), e);
    }
  }

  private List<String> sourceLocations() {
    List<String> out = new ArrayList<>();
    if (!dataset.table().contains("://")
        && !dev.assay.common.config.ConfigLoader.isCatalogName(dataset.table())) {
      out.add(dataset.table());
    }
    config.integrity().path().ifPresent(out::add);
    return out;
  }

  /** The dataset's own config, pointing at the shadow; other datasets are left out. */
  private Path writeConfig(Path root, Path shadowTable) {
    YAMLMapper yaml = new YAMLMapper();
    try {
      JsonNode original = yaml.readTree(config.source().toFile());
      ObjectNode found = null;
      for (JsonNode candidate : original.path("datasets")) {
        if (dataset.name().equals(candidate.path("name").asText())) {
          found = (ObjectNode) candidate.deepCopy();
        }
      }
      if (found == null) {
        throw AssayException.invalid(
            "Cannot find dataset '" + dataset.name() + "' in " + config.source());
      }
      ObjectNode node = found;
      node.put("table", shadowTable.toString());
      Path quarantine = root.resolve("lake/quarantine");
      if (node.path("duplicates").has("quarantine")) {
        ((ObjectNode) node.path("duplicates").path("quarantine"))
            .put("table", quarantine.resolve(dataset.name()).toString());
      }
      if (node.has("checks_quarantine")) {
        ((ObjectNode) node.path("checks_quarantine"))
            .put("table", quarantine.resolve(dataset.name() + "_checks").toString());
      }
      dataset
          .labels()
          .annotations()
          .ifPresent(
              a -> ((ObjectNode) node.path("labels").path("annotations")).put("table", a.table()));
      ObjectNode shadowConfig = yaml.createObjectNode();
      shadowConfig.putObject("integrity").put("path", root.resolve("lake/_integrity").toString());
      ArrayNode datasets = shadowConfig.putArray("datasets");
      datasets.add(node);
      Path file = root.resolve("assay.yaml");
      Files.writeString(
          file,
          "# Red-team shadow of dataset '"
              + dataset.name()
              + "' from "
              + config.source()
              + "\n# written by assay redteam; see redteam.json and lake/ground_truth\n"
              + yaml.writeValueAsString(shadowConfig));
      return file;
    } catch (IOException e) {
      throw AssayException.failed(
          "Cannot write the shadow config under " + root + ": " + e.getMessage(), e);
    }
  }

  private void writeManifest(Path root, long version, long seed, List<AttackSpec> specs) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode();
    manifest.put("dataset", dataset.name());
    manifest.put("source_table", dataset.table());
    manifest.put("source_version", version);
    manifest.put("source_config", config.source().toAbsolutePath().toString());
    manifest.put("seed", seed);
    ArrayNode attacks = manifest.putArray("attacks");
    for (AttackSpec spec : specs) {
      attacks
          .addObject()
          .put("id", spec.id())
          .put("attack", spec.kind().label())
          .put("spec", spec.text());
    }
    try {
      Files.writeString(
          root.resolve(MANIFEST),
          json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    } catch (IOException e) {
      throw AssayException.failed(
          "Cannot write " + root.resolve(MANIFEST) + ": " + e.getMessage(), e);
    }
  }
}
