package dev.assay.jobs.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.assay.common.AssayException;
import dev.assay.common.stats.Hash64;
import dev.assay.common.store.RecordCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The false-alarm suite: public real tables with genuine partition-to-partition variation, each a
 * Delta table under {@code dir/<table>/lake} with its config {@code dir/<table>/assay.yaml}
 * (integrity tables in {@code dir/<table>/_integrity}). Each arrives in two loads so nightly can
 * run twice: load 1 writes the first 60% of the partitions, load 2 appends the rest. Fixtures and
 * licences: testdata/README.md.
 *
 * <ul>
 *   <li>{@code flights}: US DOT on-time flights of 36 consecutive days of 2001 from the 30 busiest
 *       origins (testdata/flights); the label {@code late} is {@code delay > 15}, a threshold on a
 *       feature.
 *   <li>{@code adult}: every UCI Adult training row, in 24 days by a hash of the row number.
 *   <li>{@code adult_census}: Adult projected to a few small-range columns, so rows recur within a
 *       day and ever more rows repeat an earlier day's as history grows.
 *   <li>{@code randhie}: the RAND Health Insurance Experiment's 20,190 person-years
 *       (testdata/randhie) in 20 batches by row number modulo 20.
 * </ul>
 */
public final class SuiteLakes {
  public static final List<String> TABLES = List.of("flights", "adult", "adult_census", "randhie");

  /** Share of the partitions (in order) that load 1 writes. */
  public static final double FIRST_LOAD = 0.6;

  static final int ADULT_DAYS = 24;
  static final int RANDHIE_BATCHES = 20;

  private SuiteLakes() {}

  /**
   * Writes load {@code load} (1 or 2) of {@code table} under {@code dir/table}, reading the
   * fixtures from {@code testdata} (the repository's testdata folder), and its config; returns the
   * config path.
   */
  public static Path build(SparkSession spark, Path testdata, Path dir, String table, int load) {
    if (load != 1 && load != 2) {
      throw new IllegalArgumentException("load is 1 or 2, not " + load);
    }
    Dataset<Row> rows =
        switch (table) {
          case "flights" -> flights(spark, testdata.resolve("flights/flights.csv.gz"));
          case "adult" -> adult(spark);
          case "adult_census" ->
              adult(spark)
                  .select(
                      "ds",
                      "age",
                      "education_num",
                      "sex",
                      "race",
                      "marital_status",
                      "hours_per_week",
                      "occupation",
                      "income");
          case "randhie" -> randhie(spark, testdata.resolve("randhie/randhie.csv.gz"));
          default ->
              throw new IllegalArgumentException("no suite table " + table + "; tables: " + TABLES);
        };
    String partition = partitionColumn(table);
    List<Row> values = rows.select(partition).distinct().orderBy(partition).collectAsList();
    Object last = values.get((int) Math.round(values.size() * FIRST_LOAD) - 1).get(0);
    Column first = col(partition).leq(lit(last));
    Path home = dir.resolve(table);
    rows.where(load == 1 ? first : not(first))
        .repartition(col(partition))
        .write()
        .format("delta")
        .mode(load == 1 ? SaveMode.Overwrite : SaveMode.Append)
        .partitionBy(partition)
        .save(home.resolve("lake").toString());
    Path config = home.resolve("assay.yaml");
    try {
      Files.writeString(config, config(table, partition));
    } catch (IOException e) {
      throw AssayException.failed("Cannot write " + config + ": " + e.getMessage(), e);
    }
    return config;
  }

  /** The partition column of a suite table. */
  public static String partitionColumn(String table) {
    return table.equals("flights") ? "flight_date" : table.equals("randhie") ? "batch" : "ds";
  }

  static String config(String table, String partition) {
    String specific =
        switch (table) {
          case "flights" ->
              """
              id_columns: [flight_id]
              label_column: late
              segment_columns: [origin]
              features:
                numeric: [delay, distance]
                categorical: [destination, dep_period]
              duplicates: {quarantine: {table: quarantine}}
          """;
          case "adult" ->
              """
              id_columns: [row_id]
              label_column: income
              segment_columns: [race]
              features: {numeric: auto, categorical: auto}
              duplicates: {quarantine: {table: quarantine}}
          """;
          case "adult_census" ->
              """
              label_column: income
              segment_columns: [sex]
              features: {numeric: auto, categorical: auto}
          """;
          default ->
              """
              label_column: visited
              segment_columns: [idp]
              features:
                numeric: [lncoins, lpi, fmde, physlm, disea]
                categorical: [hlthg, hlthf, hlthp]
          """;
        };
    return "# False-alarm suite: "
        + table
        + " (real data, no poison; see testdata/README.md)\n"
        + "integrity:\n  path: _integrity\ndatasets:\n  - name: "
        + table
        + "\n    table: lake\n"
        + "    partition_column: "
        + partition
        + "\n"
        + specific
        + "    baseline: {strategy: trusted, partitions: 7}\n";
  }

  /**
   * The flights fixture; {@code flight_id} is the line number, {@code dep_period} the part of the
   * day.
   */
  static Dataset<Row> flights(SparkSession spark, Path csv) {
    StructType schema =
        new StructType()
            .add("flight_id", DataTypes.LongType)
            .add("flight_date", DataTypes.DateType)
            .add("dep_time", DataTypes.TimestampType)
            .add("delay", DataTypes.IntegerType)
            .add("distance", DataTypes.IntegerType)
            .add("origin", DataTypes.StringType)
            .add("destination", DataTypes.StringType);
    List<Row> rows =
        readCsv(
            csv,
            (f, id) ->
                RecordCodec.positional(
                    id,
                    java.sql.Date.valueOf(f[0]),
                    LocalDateTime.parse(f[1].replace(' ', 'T')).toInstant(ZoneOffset.UTC),
                    Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]),
                    f[4],
                    f[5]));
    Column h = hour(col("dep_time"));
    return spark
        .createDataFrame(rows, schema)
        .withColumn(
            "dep_period",
            when(h.lt(6), "night")
                .when(h.lt(12), "morning")
                .when(h.lt(18), "afternoon")
                .otherwise("evening"))
        .withColumn("late", when(col("delay").gt(15), "yes").otherwise("no"));
  }

  /**
   * Adult's training rows without the demo's synthetic source, row i on day FIRST_DAY + mix(i) mod
   * 24.
   */
  static Dataset<Row> adult(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    int ds = DemoLake.SCHEMA.fieldIndex("ds");
    for (Row row : DemoLake.adultRows()) {
      Object[] values = new Object[row.length()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(i);
      }
      values[ds] =
          java.sql.Date.valueOf(
              DemoLake.FIRST_DAY.plusDays(Math.floorMod(Hash64.mix(row.getLong(0)), ADULT_DAYS)));
      rows.add(RecordCodec.positional(values));
    }
    return spark.createDataFrame(rows, DemoLake.SCHEMA).drop("source");
  }

  /**
   * RAND HIE: line i (0-based) in batch i mod 20 + 1; {@code visited} is mdvis > 0; health flags as
   * text.
   */
  static Dataset<Row> randhie(SparkSession spark, Path csv) {
    StructType schema =
        new StructType()
            .add("batch", DataTypes.IntegerType)
            .add("mdvis", DataTypes.IntegerType)
            .add("lncoins", DataTypes.DoubleType)
            .add("idp", DataTypes.IntegerType)
            .add("lpi", DataTypes.DoubleType)
            .add("fmde", DataTypes.DoubleType)
            .add("physlm", DataTypes.DoubleType)
            .add("disea", DataTypes.DoubleType)
            .add("hlthg", DataTypes.StringType)
            .add("hlthf", DataTypes.StringType)
            .add("hlthp", DataTypes.StringType);
    List<Row> rows =
        readCsv(
            csv,
            (f, id) ->
                RecordCodec.positional(
                    (int) (id % RANDHIE_BATCHES) + 1,
                    Integer.parseInt(f[0]),
                    Double.parseDouble(f[1]),
                    Integer.parseInt(f[2]),
                    Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]),
                    f[7],
                    f[8],
                    f[9]));
    return spark
        .createDataFrame(rows, schema)
        .withColumn("visited", when(col("mdvis").gt(0), "yes").otherwise("no"));
  }

  private interface RowMaker {
    Row make(String[] fields, long lineNumber);
  }

  /** The rows of a gzipped CSV file with a header line; line numbers count data lines from 0. */
  private static List<Row> readCsv(Path csv, RowMaker maker) {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
      reader.readLine();
      String line;
      while ((line = reader.readLine()) != null) {
        rows.add(maker.make(line.split(",", -1), rows.size()));
      }
    } catch (IOException e) {
      throw AssayException.failed("Cannot read " + csv + ": " + e.getMessage(), e);
    }
    return rows;
  }
}
