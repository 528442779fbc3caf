package dev.assay.jobs.redteam;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.records.ScorecardRecord;
import dev.assay.common.records.VerdictRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.store.RunInfo;
import dev.assay.common.table.Columns;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.verdict.GateOutcome;
import dev.assay.common.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scores every detector against a red-team shadow's ground truth, after {@code nightly} ran on it:
 * per attack, whether its partitions FAILed and with which reasons, after how many attacked
 * partitions, and where a detector names rows or clients (quarantine, trigger evidence, flagged
 * clients) their recall and precision; and the false alarms on the partitions no attack touched.
 */
public final class Evaluation {
  /** One scorecard row. {@code attackId} is {@value #CLEAN} for the untouched partitions. */
  public record Score(
      String attackId,
      String attack,
      String parameters,
      List<String> partitions,
      List<String> flagged,
      List<String> warned,
      String firstFlagged,
      Long partitionsToDetect,
      long rows,
      Long rowsFlagged,
      Double recall,
      Double precision,
      String evidence,
      List<String> reasons) {

    public boolean detected() {
      return !flagged.isEmpty();
    }
  }

  public static final String CLEAN = "clean";

  private final SparkSession spark;
  private final Path shadowDir;
  private final JsonNode manifest;
  private final AssayConfig config;
  private final DatasetConfig dataset;

  /**
   * Opens a completed shadow; exit 2 when the folder has no manifest or holds another dataset's
   * shadow.
   */
  public Evaluation(SparkSession spark, Path shadowDir, String datasetName) {
    this.spark = spark;
    this.shadowDir = shadowDir.toAbsolutePath().normalize();
    Path manifestFile = this.shadowDir.resolve(RedTeam.MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw AssayException.invalid(
          "Cannot evaluate "
              + shadowDir
              + ": no "
              + RedTeam.MANIFEST
              + ", so no complete"
              + " red-team shadow is there. Run assay redteam --out "
              + shadowDir
              + " (again) first.");
    }
    try {
      manifest = new ObjectMapper().readTree(manifestFile.toFile());
    } catch (IOException e) {
      throw AssayException.invalid(
          "Cannot read " + manifestFile + ": " + e.getMessage() + ". Run assay redteam again.");
    }
    String shadowOf = manifest.path("dataset").asText();
    if (!shadowOf.equals(datasetName)) {
      throw AssayException.invalid(
          "Invalid --shadow "
              + shadowDir
              + ": it is a shadow of dataset '"
              + shadowOf
              + "', not '"
              + datasetName
              + "'. Pass -d "
              + shadowOf
              + ".");
    }
    config = ConfigLoader.load(this.shadowDir.resolve("assay.yaml"));
    dataset = config.dataset(datasetName);
  }

  /** The shadow's config, for running nightly on it. */
  public AssayConfig shadowConfig() {
    return config;
  }

  public DatasetConfig dataset() {
    return dataset;
  }

  /**
   * Computes the scorecard from the integrity tables and ground truth, and writes
   * integrity.scorecard.
   */
  public List<Score> score() {
    IntegrityStore store = IntegrityStore.open(spark, config.integrity());
    List<String> order = DatasetTable.open(spark, dataset).partitions();
    Map<String, GateOutcome> verdicts = new HashMap<>();
    Map<String, List<String>> reasons = new HashMap<>();
    for (VerdictRecord row :
        IntegrityTables.VERDICTS.collect(
            store.read(IntegrityTables.VERDICTS).where(col("dataset").equalTo(dataset.name())))) {
      verdicts.put(row.partition(), GateOutcome.of(Verdict.parse(row.verdict())));
      reasons.put(row.partition(), row.reasons() == null ? List.of() : row.reasons());
    }
    Dataset<Row> truth =
        spark.read().format("delta").load(shadowDir.resolve("lake/ground_truth").toString());
    Evidence evidence = evidence(store);
    // Poisoned keys still in the shadow, and the flagged ones among them: joins, never driver-side
    // sets.
    Dataset<Row> poisoned =
        truth
            .where(col("effect").notEqual("removed"))
            .select(col("partition"), key(truth).as("key"))
            .distinct();
    Dataset<Row> flaggedPoisoned =
        evidence.keys() == null
            ? null
            : evidence.keys().join(poisoned, new String[] {"partition", "key"}).cache();
    List<Score> scores = new ArrayList<>();
    Set<String> attacked = new HashSet<>();
    for (JsonNode attack : manifest.path("attacks")) {
      String id = attack.path("id").asText();
      Dataset<Row> rows = truth.where(col("attack_id").equalTo(id));
      List<String> partitions = new ArrayList<>();
      for (Row row : rows.select("partition").distinct().collectAsList()) {
        partitions.add(row.getString(0));
      }
      partitions.sort((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
      attacked.addAll(partitions);
      Dataset<Row> touchedKeys =
          rows.where(col("effect").notEqual("removed"))
              .select(col("partition"), key(rows).as("key"))
              .distinct();
      long touched = rows.where(col("effect").notEqual("removed")).count();
      Long rowsFlagged = null;
      Double recall = null;
      Double precision = null;
      if (evidence.keys() != null && touched > 0) {
        long hit = touchedKeys.join(evidence.keys(), new String[] {"partition", "key"}).count();
        rowsFlagged = hit;
        recall = (double) Math.min(hit, touched) / touched;
        Object[] here = partitions.toArray();
        long flaggedHere = evidence.keys().where(col("partition").isin(here)).count();
        long correct = flaggedPoisoned.where(col("partition").isin(here)).count();
        precision = flaggedHere == 0 ? null : (double) correct / flaggedHere;
      }
      scores.add(
          score(
              id,
              attack.path("attack").asText(),
              attack.path("spec").asText(),
              partitions,
              verdicts,
              reasons,
              touched,
              rowsFlagged,
              recall,
              precision,
              evidence.source()));
    }
    if (flaggedPoisoned != null) {
      flaggedPoisoned.unpersist();
    }
    List<String> clean = new ArrayList<>(order);
    clean.removeAll(attacked);
    scores.add(
        score(
            CLEAN,
            "(none)",
            "partitions no attack touched",
            clean,
            verdicts,
            reasons,
            0,
            null,
            null,
            null,
            null));
    write(store, scores);
    return scores;
  }

  private Score score(
      String id,
      String attack,
      String parameters,
      List<String> partitions,
      Map<String, GateOutcome> verdicts,
      Map<String, List<String>> reasons,
      long rows,
      Long rowsFlagged,
      Double recall,
      Double precision,
      String evidence) {
    List<String> flagged = new ArrayList<>();
    List<String> warned = new ArrayList<>();
    for (String partition : partitions) {
      GateOutcome verdict = verdicts.getOrDefault(partition, GateOutcome.MISSING);
      if (verdict.compareTo(GateOutcome.FAIL) >= 0) {
        flagged.add(partition);
      } else if (verdict == GateOutcome.WARN) {
        warned.add(partition);
      }
    }
    String first = flagged.isEmpty() ? null : flagged.get(0);
    Long toDetect = first == null ? null : (long) partitions.indexOf(first) + 1;
    List<String> why = new ArrayList<>();
    for (String partition : flagged.isEmpty() ? warned : flagged) {
      for (String reason : reasons.getOrDefault(partition, List.of())) {
        if (why.size() < 3 && !reason.contains("bootstrap")) {
          why.add(partition + ": " + reason);
        }
      }
    }
    return new Score(
        id,
        attack,
        parameters,
        partitions,
        flagged,
        warned,
        first,
        toDetect,
        rows,
        rowsFlagged,
        recall,
        precision,
        evidence,
        why);
  }

  /**
   * Rows or clients some detector names, as distinct (partition, key): the row's ids joined by '|',
   * or the client id. {@code keys} is null when the dataset has no such evidence (no ids, no tables
   * yet).
   */
  private record Evidence(String source, Dataset<Row> keys) {}

  private Evidence evidence(IntegrityStore store) {
    if (!dataset.isTable()) {
      if (!store.exists(IntegrityTables.CLIENT_ANOMALIES)) {
        return new Evidence(null, null);
      }
      return new Evidence(
          "flagged clients (client_anomalies)",
          store
              .read(IntegrityTables.CLIENT_ANOMALIES)
              .where(col("dataset").equalTo(dataset.name()).and(col("flagged")))
              .select(col("partition"), col("client_id").as("key"))
              .distinct());
    }
    if (dataset.idColumns().isEmpty()) {
      return new Evidence(null, null);
    }
    List<String> sources = new ArrayList<>();
    Dataset<Row> keys = null;
    Optional<String> duplicates = dataset.duplicates().quarantine().map(q -> q.table());
    for (Optional<String> table : List.of(duplicates, dataset.checksQuarantine())) {
      if (table.isPresent() && Files.isDirectory(Path.of(table.get()).resolve("_delta_log"))) {
        Dataset<Row> rows =
            spark
                .read()
                .format("delta")
                .load(table.get())
                .select(
                    Columns.named(dataset.partitionColumn())
                        .cast(DataTypes.StringType)
                        .as("partition"),
                    org.apache
                        .spark
                        .sql
                        .functions
                        .concat_ws(
                            "|",
                            dataset.idColumns().stream()
                                .map(c -> Columns.named(c).cast(DataTypes.StringType))
                                .toArray(org.apache.spark.sql.Column[]::new))
                        .as("key"));
        keys = keys == null ? rows : keys.union(rows);
        sources.add("quarantine " + Path.of(table.get()).getFileName());
      }
    }
    if (store.exists(IntegrityTables.TRIGGER_EVIDENCE)) {
      Dataset<Row> rows =
          store
              .read(IntegrityTables.TRIGGER_EVIDENCE)
              .where(col("dataset").equalTo(dataset.name()).and(col("row_id").isNotNull()))
              .select(col("partition"), col("row_id").as("key"));
      keys = keys == null ? rows : keys.union(rows);
      sources.add("trigger_evidence");
    }
    return keys == null
        ? new Evidence(null, null)
        : new Evidence(String.join(", ", sources), keys.distinct());
  }

  private org.apache.spark.sql.Column key(Dataset<Row> truth) {
    return dataset.isTable() ? truth.col("row_id") : truth.col("client_id");
  }

  private void write(IntegrityStore store, List<Score> scores) {
    String runId = UUID.randomUUID().toString();
    List<ScorecardRecord> rows = new ArrayList<>();
    for (Score s : scores) {
      rows.add(
          new ScorecardRecord(
              dataset.name(),
              runId,
              s.attackId(),
              s.attack(),
              s.parameters(),
              s.partitions(),
              s.flagged(),
              s.warned(),
              s.detected(),
              s.firstFlagged(),
              s.partitionsToDetect(),
              s.rows(),
              s.rowsFlagged(),
              s.recall(),
              s.precision(),
              s.evidence(),
              s.reasons()));
    }
    RunInfo run =
        new RunInfo(
            runId,
            "evaluate",
            dataset.name(),
            List.of(),
            dataset.table(),
            manifest.path("source_version").asLong(),
            config.sha256(),
            Instant.now());
    store.replace(
        IntegrityTables.SCORECARD,
        dataset.name(),
        "dataset",
        List.of(dataset.name()),
        IntegrityTables.SCORECARD.frame(spark, rows),
        run);
  }

  /** The scorecard as a text table. */
  public static String format(List<Score> scores) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "%-24s %-9s %-14s %-6s %-9s %-9s %s%n",
                "attack", "detected", "first flagged", "rows", "recall", "precision", "reason"));
    for (Score s : scores) {
      if (s.attackId().equals(CLEAN)) {
        continue;
      }
      out.append(
          String.format(
              "%-24s %-9s %-14s %-6d %-9s %-9s %s%n",
              s.attackId(),
              s.detected() ? "yes" : s.warned().isEmpty() ? "NO" : "warn",
              s.firstFlagged() == null
                  ? "-"
                  : s.firstFlagged()
                      + (s.partitionsToDetect() > 1 ? " (#" + s.partitionsToDetect() + ")" : ""),
              s.rows(),
              percent(s.recall()),
              percent(s.precision()),
              s.reasons().isEmpty() ? "" : shorten(s.reasons().get(0))));
    }
    Score clean = scores.get(scores.size() - 1);
    out.append(
        String.format(
            "untouched partitions: %d; false alarms: %d FAIL %s, %d WARN %s%n",
            clean.partitions().size(),
            clean.flagged().size(),
            clean.flagged(),
            clean.warned().size(),
            clean.warned()));
    return out.toString();
  }

  static String percent(Double value) {
    return value == null ? "-" : String.format("%.1f%%", 100 * value);
  }

  private static String shorten(String text) {
    return text.length() > 140 ? text.substring(0, 137) + "..." : text;
  }
}
