package dev.assay.jobs.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.assay.common.profile.CategoricalProfile;
import dev.assay.common.profile.NumericProfile;
import dev.assay.common.profile.ProfileRows;
import dev.assay.common.records.Bin;
import dev.assay.common.records.CategoryCount;
import dev.assay.common.records.ExactCount;
import dev.assay.common.records.FeatureProfileRecord;
import dev.assay.common.store.IntegrityTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stored feature profiles read back to profiles, without Spark. */
@Tag("fast")
class ProfileRowsTest {
  private static final byte[] KLL = {1, 2, 3};

  /**
   * Age: 10 rows, 1 null, 1 NaN; 8 finite values 1..5 summing to 20; bins (-inf, 2], (2, 4], (4,
   * inf).
   */
  private static FeatureProfileRecord age(List<ExactCount> exactValues) {
    List<Bin> bins =
        List.of(
            new Bin(Double.NEGATIVE_INFINITY, 2.0, 3L),
            new Bin(2.0, 4.0, 4L),
            new Bin(4.0, Double.POSITIVE_INFINITY, 1L));
    return new FeatureProfileRecord(
        "adult",
        "p1",
        "run-1",
        "age",
        ProfileRows.NUMERIC,
        10L,
        1L,
        1L,
        5L,
        1.0,
        5.0,
        2.5,
        1.2,
        20.0,
        60.0,
        bins,
        null,
        null,
        KLL,
        new byte[] {9},
        exactValues);
  }

  @Test
  void aNumericRecordReadsToItsProfile() {
    NumericProfile profile =
        (NumericProfile)
            ProfileRows.profile(
                age(
                    List.of(
                        new ExactCount(1.0, 3L),
                        new ExactCount(3.0, 4L),
                        new ExactCount(5.0, 1L))));
    assertEquals("age", profile.feature());
    assertEquals(10, profile.rows());
    assertEquals(1, profile.nulls());
    assertEquals(1, profile.nonFinite());
    assertEquals(5, profile.distinctEstimate());
    assertArrayEquals(new double[] {2.0, 4.0}, profile.histogram().edges());
    assertArrayEquals(new long[] {3, 4, 1}, profile.histogram().counts());
    assertEquals(8, profile.moments().count(), "10 rows - 1 null - 1 NaN");
    assertEquals(2.5, profile.moments().mean(), 1e-12, "20 / 8");
    assertEquals(1.0, profile.moments().min());
    assertEquals(5.0, profile.moments().max());
    assertArrayEquals(KLL, profile.kllSketch());
    assertArrayEquals(new double[] {1, 3, 5}, profile.exactValues().values());
    assertArrayEquals(new long[] {3, 4, 1}, profile.exactValues().counts());
  }

  @Test
  void aRowOfATableWrittenBeforeExactValuesReadsThemAsNull() {
    FeatureProfileRecord current = age(List.of(new ExactCount(1.0, 3L)));
    Row row = IntegrityTables.FEATURE_PROFILES.codec().toRow(current);
    // the same row as the older table stored it: no exact_values column
    StructType schema = IntegrityTables.FEATURE_PROFILES.schema();
    List<StructField> older = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < schema.fields().length; i++) {
      if (!schema.fields()[i].name().equals("exact_values")) {
        older.add(schema.fields()[i]);
        // arrays as Spark hands them to a reader: a sequence, not the Object[] a row is built from
        values.add(row.get(i) instanceof Object[] array ? List.of(array) : row.get(i));
      }
    }
    Row stored =
        new GenericRowWithSchema(
            values.toArray(), new StructType(older.toArray(StructField[]::new)));
    FeatureProfileRecord read = IntegrityTables.FEATURE_PROFILES.codec().fromRow(stored);
    assertNull(read.exactValues());
    NumericProfile profile = (NumericProfile) ProfileRows.profile(read);
    assertNull(profile.exactValues());
    assertArrayEquals(new long[] {3, 4, 1}, profile.histogram().counts());
  }

  @Test
  void aCategoricalRecordKeepsItsCategoriesInOrder() {
    FeatureProfileRecord stored =
        new FeatureProfileRecord(
            "adult",
            "p1",
            "run-1",
            "workclass",
            ProfileRows.CATEGORICAL,
            100L,
            5L,
            0L,
            4L,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(new CategoryCount("Private", 70L), new CategoryCount("State-gov", 20L)),
            5L,
            null,
            null,
            null);
    CategoricalProfile profile =
        assertInstanceOf(CategoricalProfile.class, ProfileRows.profile(stored));
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("Private", 70L);
    expected.put("State-gov", 20L);
    assertEquals(expected, profile.categories());
    assertEquals(List.of("Private", "State-gov"), new ArrayList<>(profile.categories().keySet()));
    assertEquals(5, profile.otherCount());
  }

  @Test
  void aCategoricalProfileWritesAsTheRecordItIsReadFrom() {
    Map<String, Long> categories = new LinkedHashMap<>();
    categories.put("Private", 70L);
    categories.put("State-gov", 20L);
    CategoricalProfile profile = new CategoricalProfile("workclass", 100, 5, 4, categories, 5);
    FeatureProfileRecord record =
        ProfileRows.categoricalRecord("adult", "p1", "run-1", profile, new byte[] {7});
    assertEquals(
        List.of(new CategoryCount("Private", 70L), new CategoryCount("State-gov", 20L)),
        record.categories());
    assertEquals(0L, record.nonFinite());
    assertNull(record.bins());
    assertNull(record.exactValues());
    assertEquals(ProfileRows.CATEGORICAL, record.kind());
    assertEquals(
        profile.categories(), ((CategoricalProfile) ProfileRows.profile(record)).categories());
  }
}
