package dev.assay.jobs.demo;

import dev.assay.common.AssayException;
import dev.assay.common.stats.Hash64;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the demo lake from the UCI Adult census data (CC BY 4.0, shipped in testdata/adult): its
 * 32,561 rows spread over 12 daily partitions by a fixed hash of the row number, with two
 * partitions deliberately poisoned. Deterministic: the same lake every time.
 */
public final class DemoLake {
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  public static final int DAYS = 12;
  /** A unit bug: age recorded in months instead of years. */
  public static final LocalDate UNIT_BUG_DAY = LocalDate.of(2026, 11, 9);
  /** A shifted sub-population: most rows without a degree were dropped upstream. */
  public static final LocalDate SHIFTED_DAY = LocalDate.of(2026, 11, 11);

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field("row_id", DataTypes.LongType), field("age", DataTypes.IntegerType),
      field("workclass", DataTypes.StringType), field("fnlwgt", DataTypes.IntegerType),
      field("education", DataTypes.StringType), field("education_num", DataTypes.IntegerType),
      field("marital_status", DataTypes.StringType), field("occupation", DataTypes.StringType),
      field("relationship", DataTypes.StringType), field("race", DataTypes.StringType),
      field("sex", DataTypes.StringType), field("capital_gain", DataTypes.IntegerType),
      field("capital_loss", DataTypes.IntegerType), field("hours_per_week", DataTypes.IntegerType),
      field("native_country", DataTypes.StringType), field("income", DataTypes.StringType),
      field("ds", DataTypes.DateType)});

  private DemoLake() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  /** The Adult rows with their partition day, "?" read as null. */
  public static List<Row> adultRows() {
    List<Row> rows = new ArrayList<>();
    try (InputStream raw = DemoLake.class.getResourceAsStream("adult.data.gz")) {
      if (raw == null) {
        throw AssayException.failed("The Adult sample is missing from the jar (dev/assay/jobs/demo/adult.data.gz);"
            + " rebuild with bin/assay or mvn package.", null);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      String line;
      long id = 0;
      while ((line = reader.readLine()) != null) {
        String[] f = line.split(",\\s*");
        if (f.length != 15) {
          continue;
        }
        LocalDate day = FIRST_DAY.plusDays(Math.floorMod(Hash64.mix(id), DAYS));
        rows.add(RowFactory.create(id, Integer.parseInt(f[0]), text(f[1]), Integer.parseInt(f[2]), text(f[3]),
            Integer.parseInt(f[4]), text(f[5]), text(f[6]), text(f[7]), text(f[8]), text(f[9]),
            Integer.parseInt(f[10]), Integer.parseInt(f[11]), Integer.parseInt(f[12]), text(f[13]), text(f[14]),
            Date.valueOf(day)));
        id++;
      }
    } catch (IOException e) {
      throw AssayException.failed("Cannot read the Adult sample: " + e.getMessage(), e);
    }
    return rows;
  }

  /** The demo rows: Adult with the two poisoned partitions applied. */
  public static List<Row> poisonedRows() {
    List<Row> out = new ArrayList<>();
    for (Row row : adultRows()) {
      LocalDate day = row.getDate(16).toLocalDate();
      if (day.equals(UNIT_BUG_DAY)) {
        Object[] values = values(row);
        values[1] = row.getInt(1) * 12;
        out.add(RowFactory.create(values));
      } else if (day.equals(SHIFTED_DAY) && row.getInt(5) < 13 && Math.floorMod(Hash64.mix(row.getLong(0) + 7), 100) < 85) {
        continue;
      } else {
        out.add(row);
      }
    }
    return out;
  }

  /** Writes the lake and its config under {@code dir}; returns the config path. */
  public static Path build(SparkSession spark, Path dir) {
    Path table = dir.resolve("lake/adult");
    spark.createDataFrame(poisonedRows(), SCHEMA).repartition(DAYS, org.apache.spark.sql.functions.col("ds"))
        .write().format("delta").mode(SaveMode.Overwrite).partitionBy("ds").save(table.toString());
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
        # Assay demo: UCI Adult census rows (CC BY 4.0) in 12 daily partitions.
        # 2026-11-09 has a unit bug (age in months); 2026-11-11 lost most rows without a degree.
        integrity:
          path: lake/_integrity
        datasets:
          - name: adult
            table: lake/adult
            partition_column: ds
            id_columns: [row_id]
            label_column: income
            features:
              numeric: [age, fnlwgt, education_num, capital_gain, capital_loss, hours_per_week]
              categorical: [workclass, education, marital_status, occupation, relationship, race, sex, native_country]
            fingerprint:
              exclude: [row_id]
            baseline:
              strategy: trusted
              partitions: 7
        """;
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
