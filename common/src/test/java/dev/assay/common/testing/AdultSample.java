package dev.assay.common.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Rows of the UCI Adult sample in testdata/, read without Spark, for unit tests that need real
 * values.
 */
public final class AdultSample {
  public static final int AGE = 0;
  public static final int WORKCLASS = 1;
  public static final int FNLWGT = 2;
  public static final int EDUCATION = 3;
  public static final int OCCUPATION = 6;
  public static final int SEX = 9;
  public static final int HOURS = 12;
  public static final int INCOME = 14;

  private AdultSample() {}

  /** The first {@code count} rows, fields trimmed; "?" (Adult's missing value) becomes null. */
  public static List<String[]> rows(int count) {
    Path file =
        Path.of(
            System.getProperty("assay.project.dir", ".."), "testdata", "adult", "adult.data.gz");
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while (rows.size() < count && (line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",");
        for (int i = 0; i < fields.length; i++) {
          fields[i] = fields[i].trim();
          if (fields[i].equals("?")) {
            fields[i] = null;
          }
        }
        rows.add(fields);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
