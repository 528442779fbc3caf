package dev.assay.jobs.demo;

import dev.assay.common.AssayException;
import dev.assay.common.stats.Hash64;
import dev.assay.common.store.RecordCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the demo lake from the UCI Adult census data (CC BY 4.0, shipped in testdata/adult): its
 * 32,561 rows spread over 15 daily partitions by a fixed hash of the row number, each row from one
 * of four sources and judged by three of five annotators, with five partitions deliberately
 * poisoned. Deterministic: the same lake every time.
 */
public final class DemoLake {
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  public static final int DAYS = 15;

  /** A unit bug: age recorded in months instead of years. */
  public static final LocalDate UNIT_BUG_DAY = LocalDate.of(2026, 11, 9);

  /** A shifted sub-population: most rows without a degree were dropped upstream. */
  public static final LocalDate SHIFTED_DAY = LocalDate.of(2026, 11, 11);

  /** A bribed labeller: 30% of one source's labels flipped. */
  public static final LocalDate FLIP_DAY = LocalDate.of(2026, 11, 13);

  public static final String FLIP_SOURCE = "partner_b";

  /** A backdoor: 0.5% of rows get workclass 'Never-worked' and capital_loss 1234, labelled >50K. */
  public static final LocalDate BACKDOOR_DAY = LocalDate.of(2026, 11, 14);

  public static final String BACKDOOR_WORKCLASS = "Never-worked";
  public static final int BACKDOOR_CAPITAL_LOSS = 1234;
  public static final String BACKDOOR_LABEL = ">50K";

  /** A rogue annotator who flips 30% of their judgements. */
  public static final LocalDate ROGUE_DAY = LocalDate.of(2026, 11, 15);

  /**
   * Fresh rows (from Adult's test file) plus rows replayed from {@link #REPLAY_SOURCE_DAY}, a third
   * relabelled.
   */
  public static final LocalDate REPLAY_DAY = LocalDate.of(2026, 11, 16);

  public static final LocalDate REPLAY_SOURCE_DAY = LocalDate.of(2026, 11, 2);

  /** Fresh rows with a burst of duplicates: 4% of them copied three more times. */
  public static final LocalDate BURST_DAY = LocalDate.of(2026, 11, 17);

  /** The days of the demo: 15 from Adult's training file, then the replay and burst days. */
  public static final int ALL_DAYS = DAYS + 2;

  /**
   * The federated-learning dataset: 50 clients, 12 rounds; 11 clients turn malicious from this
   * round.
   */
  public static final int FL_ATTACK_ROUND = 7;

  static final long TEST_ID_OFFSET = 100_000;
  static final long REPLAY_ID_OFFSET = 200_000;
  static final long BURST_ID_OFFSET = 300_000;
  public static final String ROGUE_ANNOTATOR = "ann_3";
  public static final List<String> SOURCES = List.of("web", "crm", "partner_a", "partner_b");
  static final int ANNOTATORS = 5;

  public static final StructType ANNOTATIONS_SCHEMA =
      new StructType(
          new StructField[] {
            field("ds", DataTypes.DateType), field("row_id", DataTypes.LongType),
            field("annotator", DataTypes.StringType), field("label", DataTypes.StringType)
          });

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            field("row_id", DataTypes.LongType), field("age", DataTypes.IntegerType),
            field("workclass", DataTypes.StringType), field("fnlwgt", DataTypes.IntegerType),
            field("education", DataTypes.StringType), field("education_num", DataTypes.IntegerType),
            field("marital_status", DataTypes.StringType),
                field("occupation", DataTypes.StringType),
            field("relationship", DataTypes.StringType), field("race", DataTypes.StringType),
            field("sex", DataTypes.StringType), field("capital_gain", DataTypes.IntegerType),
            field("capital_loss", DataTypes.IntegerType),
                field("hours_per_week", DataTypes.IntegerType),
            field("native_country", DataTypes.StringType), field("income", DataTypes.StringType),
            field("source", DataTypes.StringType), field("ds", DataTypes.DateType)
          });

  /**
   * The demo table: {@link #SCHEMA} plus each row's SHA-256 checksum, computed when it was
   * ingested.
   */
  public static final StructType LAKE_SCHEMA =
      SCHEMA.add(field("row_checksum", DataTypes.StringType));

  private static final int INCOME = 15;
  private static final int SOURCE = 16;
  private static final int DS = 17;

  private DemoLake() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  /** The Adult training rows with their partition day, "?" read as null. */
  public static List<Row> adultRows() {
    List<Row> rows = new ArrayList<>();
    for (String[] f : records("adult.data.gz")) {
      long id = rows.size();
      rows.add(row(id, f, FIRST_DAY.plusDays(Math.floorMod(Hash64.mix(id), DAYS))));
    }
    return rows;
  }

  /**
   * Rows of Adult's test file (labels without their trailing dot): every 7th on the replay and
   * burst days.
   */
  static List<Row> freshRows() {
    List<Row> rows = new ArrayList<>();
    List<String[]> records = records("adult.test.gz");
    for (int i = 0; i < records.size(); i++) {
      LocalDate day = i % 7 == 0 ? REPLAY_DAY : i % 7 == 1 ? BURST_DAY : null;
      if (day != null) {
        String[] f = records.get(i);
        f[14] = f[14].endsWith(".") ? f[14].substring(0, f[14].length() - 1) : f[14];
        rows.add(row(TEST_ID_OFFSET + i, f, day));
      }
    }
    return rows;
  }

  private static Row row(long id, String[] f, LocalDate day) {
    return RecordCodec.positional(
        id,
        Integer.parseInt(f[0]),
        text(f[1]),
        Integer.parseInt(f[2]),
        text(f[3]),
        Integer.parseInt(f[4]),
        text(f[5]),
        text(f[6]),
        text(f[7]),
        text(f[8]),
        text(f[9]),
        Integer.parseInt(f[10]),
        Integer.parseInt(f[11]),
        Integer.parseInt(f[12]),
        text(f[13]),
        text(f[14]),
        SOURCES.get((int) Math.floorMod(Hash64.mix(id + 13), (long) SOURCES.size())),
        Date.valueOf(day));
  }

  /** The 15-field records of a gzipped Adult file in the jar, header and blank lines skipped. */
  private static List<String[]> records(String resource) {
    List<String[]> records = new ArrayList<>();
    try (InputStream raw = DemoLake.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw AssayException.failed(
            "The Adult sample is missing from the jar (dev/assay/jobs/demo/"
                + resource
                + "); rebuild with bin/assay or mvn package.",
            null);
      }
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        String[] f = line.split(",\\s*");
        if (f.length == 15 && !f[0].isEmpty() && Character.isDigit(f[0].charAt(0))) {
          records.add(f);
        }
      }
    } catch (IOException e) {
      throw AssayException.failed("Cannot read the Adult sample: " + e.getMessage(), e);
    }
    return records;
  }

  /** The demo rows: Adult with the poisoned partitions applied. */
  public static List<Row> poisonedRows() {
    List<Row> out = new ArrayList<>();
    for (Row row : adultRows()) {
      LocalDate day = row.getDate(DS).toLocalDate();
      long id = row.getLong(0);
      Object[] values = values(row);
      if (day.equals(UNIT_BUG_DAY)) {
        values[1] = row.getInt(1) * 12;
      } else if (day.equals(SHIFTED_DAY) && row.getInt(5) < 13 && chance(id, 7, 100) < 85) {
        continue;
      } else if (day.equals(FLIP_DAY)
          && FLIP_SOURCE.equals(row.getString(SOURCE))
          && chance(id, 29, 100) < 30) {
        values[INCOME] = flipped(row.getString(INCOME));
      } else if (day.equals(BACKDOOR_DAY) && chance(id, 41, 1000) < 5) {
        values[2] = BACKDOOR_WORKCLASS;
        values[12] = BACKDOOR_CAPITAL_LOSS;
        values[INCOME] = BACKDOOR_LABEL;
      }
      out.add(RecordCodec.positional(values));
      if (day.equals(REPLAY_SOURCE_DAY) && chance(id, 83, 100) < 12) {
        Object[] replayed = values(row);
        replayed[0] = REPLAY_ID_OFFSET + id;
        replayed[DS] = Date.valueOf(REPLAY_DAY);
        if (chance(id, 89, 3) == 0) {
          replayed[INCOME] = flipped(row.getString(INCOME));
        }
        out.add(RecordCodec.positional(replayed));
      }
    }
    for (Row row : freshRows()) {
      out.add(row);
      long id = row.getLong(0);
      if (row.getDate(DS).toLocalDate().equals(BURST_DAY) && chance(id, 97, 100) < 4) {
        for (int k = 1; k <= 3; k++) {
          Object[] copy = values(row);
          copy[0] = BURST_ID_OFFSET + (id - TEST_ID_OFFSET) * 4 + k;
          out.add(RecordCodec.positional(copy));
        }
      }
    }
    return out;
  }

  /**
   * Three judgements per row, by annotators ann_k, ann_k+1 and ann_k+2 (mod 5): the row's label,
   * flipped with probability 3% (honest noise), or 30% for the rogue annotator on {@link
   * #ROGUE_DAY}.
   */
  public static List<Row> annotations(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row row : rows) {
      long id = row.getLong(0);
      boolean rogueDay = row.getDate(DS).toLocalDate().equals(ROGUE_DAY);
      int first = (int) chance(id, 53, ANNOTATORS);
      for (int k = 0; k < 3; k++) {
        String annotator = "ann_" + ((first + k) % ANNOTATORS + 1);
        int flipPercent = rogueDay && annotator.equals(ROGUE_ANNOTATOR) ? 30 : 3;
        String label = row.getString(INCOME);
        if (chance(id * 7 + k, 61, 100) < flipPercent) {
          label = flipped(label);
        }
        out.add(RecordCodec.positional(row.getDate(DS), id, annotator, label));
      }
    }
    return out;
  }

  private static long chance(long id, long salt, long range) {
    return Math.floorMod(Hash64.mix(id + salt * 1_000_003L), range);
  }

  private static String flipped(String income) {
    return ">50K".equals(income) ? "<=50K" : ">50K";
  }

  /**
   * The rows with their ingestion checksum (docs/checks.md's sha256 recipe over every column but
   * {@code ds}). The backdoor rows were changed in the lake after ingestion, so theirs is the
   * checksum of the original row: checksum checks catch the tampering.
   */
  static List<Row> withChecksums(List<Row> rows) {
    List<Row> originals = adultRows();
    List<Row> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      long id = row.getLong(0);
      boolean tampered =
          row.getDate(DS).toLocalDate().equals(BACKDOOR_DAY)
              && id < TEST_ID_OFFSET
              && !row.equals(originals.get((int) id));
      Object[] values = java.util.Arrays.copyOf(values(row), row.length() + 1);
      values[row.length()] = sha256(tampered ? originals.get((int) id) : row);
      out.add(RecordCodec.positional(values));
    }
    return out;
  }

  /**
   * SHA-256 (lower-case hex) of a row's content text: values but {@code ds}, null as \N, joined by
   * U+001F.
   */
  static String sha256(Row row) {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      if (i == DS) {
        continue;
      }
      if (i > 0) {
        content.append('\u001f');
      }
      content.append(row.isNullAt(i) ? "\\N" : String.valueOf(row.get(i)));
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(content.toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Writes the lake and its config under {@code dir}; returns the config path. */
  public static Path build(SparkSession spark, Path dir) {
    Path table = dir.resolve("lake/adult");
    List<Row> rows = poisonedRows();
    spark
        .createDataFrame(withChecksums(rows), LAKE_SCHEMA)
        .repartition(ALL_DAYS, org.apache.spark.sql.functions.col("ds"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .partitionBy("ds")
        .save(table.toString());
    spark
        .createDataFrame(annotations(rows), ANNOTATIONS_SCHEMA)
        .repartition(ALL_DAYS, org.apache.spark.sql.functions.col("ds"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .partitionBy("ds")
        .save(dir.resolve("lake/annotations").toString());
    FederatedAdult.Simulation federation =
        FederatedAdult.simulate(FederatedAdult.Settings.demo(), FL_ATTACK_ROUND);
    FederatedAdult.writeUpdates(
        spark, federation.updates(), dir.resolve("lake/fl_updates").toString());
    FederatedAdult.writeGroundTruth(
        spark, federation.updates(), dir.resolve("lake/fl_ground_truth").toString());
    Path config = dir.resolve("assay.yaml");
    try {
      Files.writeString(config, config());
    } catch (IOException e) {
      throw AssayException.failed("Cannot write " + config + ": " + e.getMessage(), e);
    }
    return config;
  }

  static String config() {
    return """
        # Assay demo: UCI Adult census rows (CC BY 4.0) in 17 daily partitions.
        # 2026-11-09 has a unit bug (age in months); 2026-11-11 lost most rows without a degree;
        # 2026-11-13 has 30% of source partner_b's labels flipped; 2026-11-14 carries a backdoor
        # (workclass Never-worked + capital_loss 1234 -> >50K); on 2026-11-15 annotator ann_3 flips 30%;
        # 2026-11-16 replays 12% of 2026-11-02's rows under new ids, a third of them relabelled;
        # 2026-11-17 has a burst of duplicates (4% of its rows copied three more times).
        # Each row carries the SHA-256 checksum it got at ingestion; the backdoor rows were edited in
        # the lake afterwards, so their checksums no longer match (checks quarantine them).
        """
        + datasetsConfig(true);
  }

  /**
   * The demo's integrity and datasets sections (Adult with its contract, and the FL updates);
   * without {@code annotations}, Adult has no annotations table (the scorecard's clean lake has
   * none).
   */
  public static String datasetsConfig(boolean annotations) {
    String labels =
        """
            labels:
              annotations:
                table: lake/annotations
                item_column: row_id
                annotator_column: annotator
                label_column: label
        """;
    return """
        integrity:
          path: lake/_integrity
        datasets:
          - name: adult
            table: lake/adult
            partition_column: ds
            id_columns: [row_id]
            label_column: income
            segment_columns: [source]
            features:
              numeric: [age, fnlwgt, education_num, capital_gain, capital_loss, hours_per_week]
              categorical: [workclass, education, marital_status, occupation, relationship, race, sex, native_country]
            fingerprint:
              exclude: [row_id, row_checksum]
            duplicates:
              quarantine:
                table: lake/quarantine/adult
            %LABELS%
            baseline:
              strategy: trusted
              partitions: 7
            checks:
              - check: adult_contract
                level: error
                constraints:
                  - size: {anomaly: {strategy: relative_rate, min_ratio: 0.5, max_ratio: 2.0},
                      hint: "a day with half or twice the rows of the last trusted day lost or duplicated data"}
                  - complete: age
                  - completeness: {column: workclass, min: 0.9}
                  - unique: [row_id]
                  - max: {column: age, max: 120, hint: "ages above 120 are a unit bug (months?)"}
                  - allowed_values: {column: sex, values: [Female, Male]}
                  - provenance: {columns: [source]}
                  - checksum: {column: row_checksum, algorithm: sha256,
                      hint: "rows changed after ingestion: find who wrote them (Delta history)"}
            checks_quarantine:
              table: lake/quarantine/adult_checks
          - name: fl_updates
            kind: client_updates
            table: lake/fl_updates
            partition_column: round
            client_column: client_id
            update_column: update
        """
        .replace("    %LABELS%\n", annotations ? labels : "");
  }

  private static Object[] values(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return values;
  }

  private static String text(String value) {
    return value.equals("?") ? null : value;
  }
}
