package dev.assay.common.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** DataFrame assertions whose failures show the differing rows. */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  /** Asserts the two frames hold the same rows in any order (exact values). */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    List<String> missing = rows(expected.exceptAll(actual));
    List<String> extra = rows(actual.exceptAll(expected));
    if (!missing.isEmpty() || !extra.isEmpty()) {
      fail(
          "DataFrames differ.\n  expected but missing: "
              + missing
              + "\n  present but unexpected: "
              + extra);
    }
  }

  /** Asserts no two rows share the given key columns, naming the duplicated keys. */
  public static void assertUniqueKeys(Dataset<Row> frame, String... keys) {
    List<String> duplicated =
        rows(
            frame
                .groupBy(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length))
                .count()
                .where("count > 1")
                .limit(10));
    if (!duplicated.isEmpty()) {
      fail("Duplicate keys " + String.join(", ", keys) + ": " + duplicated);
    }
  }

  private static List<String> rows(Dataset<Row> frame) {
    List<String> out = new ArrayList<>();
    for (Row row : frame.limit(20).collectAsList()) {
      out.add(row.toString());
    }
    return out;
  }
}
