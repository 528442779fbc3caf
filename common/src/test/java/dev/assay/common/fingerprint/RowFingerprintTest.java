package dev.assay.common.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class RowFingerprintTest {
  private static StructType schema(Object... namesAndTypes) {
    StructType schema = new StructType();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      schema = schema.add((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1]);
    }
    return schema;
  }

  private static String features(StructType schema, List<String> columns, Object... values) {
    RowFingerprint fp = new RowFingerprint(schema, columns, Optional.empty());
    fp.fingerprint(new GenericInternalRow(values));
    return Hash128.hex(fp.featureHi, fp.featureLo);
  }

  private static final StructType AB = schema("a", DataTypes.StringType, "b", DataTypes.DoubleType);
  private static final StructType BA = schema("b", DataTypes.DoubleType, "a", DataTypes.StringType);

  @Test
  void columnOrderDoesNotMatter() {
    assertEquals(
        features(AB, List.of("a", "b"), UTF8String.fromString("x"), 1.5),
        features(BA, List.of("b", "a"), 1.5, UTF8String.fromString("x")));
  }

  @Test
  void nullEmptyAndTheWordNullAreThreeValues() {
    String empty = features(AB, List.of("a", "b"), UTF8String.fromString(""), 1.0);
    String nullValue = features(AB, List.of("a", "b"), null, 1.0);
    String word = features(AB, List.of("a", "b"), UTF8String.fromString("null"), 1.0);
    assertNotEquals(empty, nullValue);
    assertNotEquals(word, nullValue);
    assertNotEquals(empty, word);
  }

  @Test
  void valuesDoNotRunIntoTheirNeighbours() {
    StructType two = schema("a", DataTypes.StringType, "b", DataTypes.StringType);
    assertNotEquals(
        features(two, List.of("a", "b"), UTF8String.fromString("ab"), UTF8String.fromString("c")),
        features(two, List.of("a", "b"), UTF8String.fromString("a"), UTF8String.fromString("bc")));
    assertNotEquals(
        features(two, List.of("a", "b"), null, UTF8String.fromString("x")),
        features(two, List.of("a", "b"), UTF8String.fromString("x"), null));
  }

  @Test
  void everyNanIsOneValueAndNegativeZeroIsZero() {
    double otherNan = Double.longBitsToDouble(0x7ff0000000000001L);
    assertTrue(Double.isNaN(otherNan));
    assertEquals(
        features(AB, List.of("a", "b"), null, Double.NaN),
        features(AB, List.of("a", "b"), null, otherNan));
    assertEquals(
        features(AB, List.of("a", "b"), null, 0.0), features(AB, List.of("a", "b"), null, -0.0));
    assertNotEquals(
        features(AB, List.of("a", "b"), null, Double.NaN),
        features(AB, List.of("a", "b"), null, null));
    assertNotEquals(
        features(AB, List.of("a", "b"), null, Double.POSITIVE_INFINITY),
        features(AB, List.of("a", "b"), null, Double.NaN));
  }

  @Test
  void typesAreExplicitButWidthsAreNot() {
    StructType ints = schema("x", DataTypes.IntegerType);
    StructType longs = schema("x", DataTypes.LongType);
    StructType strings = schema("x", DataTypes.StringType);
    StructType doubles = schema("x", DataTypes.DoubleType);
    StructType floats = schema("x", DataTypes.FloatType);
    assertEquals(features(ints, List.of("x"), 7), features(longs, List.of("x"), 7L));
    assertNotEquals(
        features(ints, List.of("x"), 7),
        features(strings, List.of("x"), UTF8String.fromString("7")));
    assertNotEquals(features(ints, List.of("x"), 7), features(doubles, List.of("x"), 7.0));
    assertEquals(features(floats, List.of("x"), 0.5f), features(doubles, List.of("x"), 0.5));
  }

  @Test
  void decimalsIgnoreTrailingZeros() {
    StructType d1 = schema("x", DataTypes.createDecimalType(10, 2));
    StructType d2 = schema("x", DataTypes.createDecimalType(12, 4));
    assertEquals(
        features(d1, List.of("x"), Decimal.apply(new BigDecimal("1.50"))),
        features(d2, List.of("x"), Decimal.apply(new BigDecimal("1.5000"))));
    assertEquals("0", RowFingerprint.canonicalDecimal(new BigDecimal("0.000")));
  }

  @Test
  void theLabelChangesTheContentFingerprintOnly() {
    StructType withLabel = schema("a", DataTypes.StringType, "y", DataTypes.StringType);
    RowFingerprint fp = new RowFingerprint(withLabel, List.of("a"), Optional.of("y"));
    fp.fingerprint(
        new GenericInternalRow(
            new Object[] {UTF8String.fromString("x"), UTF8String.fromString("0")}));
    long featureLo = fp.featureLo;
    long contentLo = fp.contentLo;
    fp.fingerprint(
        new GenericInternalRow(
            new Object[] {UTF8String.fromString("x"), UTF8String.fromString("1")}));
    assertEquals(featureLo, fp.featureLo);
    assertNotEquals(contentLo, fp.contentLo);
    assertNotEquals(fp.featureLo, fp.contentLo);
  }

  @Test
  void mapsAreRejectedWithTheFix() {
    StructType maps =
        schema("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    AssayException e =
        assertThrows(
            AssayException.class, () -> new RowFingerprint(maps, List.of("m"), Optional.empty()));
    assertTrue(e.getMessage().contains("fingerprint.exclude: [m]"), e.getMessage());
  }
}
