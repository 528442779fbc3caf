package dev.assay.common.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.records.Bin;
import dev.assay.common.records.Column;
import dev.assay.common.records.FeatureProfileRecord;
import dev.assay.common.records.VerdictRecord;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Schemas derived from records, and rows written and read by name; no Spark session needed. */
@Tag("fast")
class RecordCodecTest {
  record Renamed(@Column("check") String checkName, long count, Double share) {}

  record Unsupported(java.util.Date when) {}

  @Test
  void theSchemaNamesComponentsInSnakeCaseInOrder() {
    StructType schema = RecordCodec.of(VerdictRecord.class).schema();
    assertArrayEquals(
        new String[] {
          "dataset",
          "partition",
          "run_id",
          "verdict",
          "reasons",
          "input_version",
          "decided_at",
          "key_id",
          "signature"
        },
        schema.fieldNames());
    assertEquals(
        DataTypes.createArrayType(DataTypes.StringType, false), schema.apply("reasons").dataType());
    assertEquals(DataTypes.TimestampType, schema.apply("decided_at").dataType());
    assertEquals(DataTypes.LongType, schema.apply("input_version").dataType());
  }

  @Test
  void aColumnAnnotationRenamesOneColumn() {
    assertArrayEquals(
        new String[] {"check", "count", "share"},
        RecordCodec.of(Renamed.class).schema().fieldNames());
  }

  @Test
  void nestedRecordsAreArraysOfStructs() {
    StructType schema = RecordCodec.of(FeatureProfileRecord.class).schema();
    assertEquals(
        DataTypes.createArrayType(RecordCodec.of(Bin.class).schema(), false),
        schema.apply("bins").dataType());
    assertEquals(DataTypes.BinaryType, schema.apply("kll_sketch").dataType());
  }

  @Test
  void aRecordSurvivesARowRoundTrip() {
    VerdictRecord verdict =
        new VerdictRecord(
            "adult",
            "2026-01-02",
            "run-1",
            "FAIL",
            List.of("a", "b"),
            7L,
            Timestamp.valueOf("2026-01-03 04:05:06.123456"),
            null,
            null);
    RecordCodec<VerdictRecord> codec = RecordCodec.of(VerdictRecord.class);
    Row row = codec.toRow(verdict);
    assertEquals("FAIL", row.getString(3));
    assertEquals(verdict, codec.fromRow(row));
    assertEquals(verdict, codec.fromRow(new GenericRowWithSchema(values(row), codec.schema())));
  }

  @Test
  void rowsAreReadByNameAndMissingColumnsReadAsNull() {
    StructType older =
        new StructType()
            .add("verdict", DataTypes.StringType)
            .add("partition", DataTypes.StringType)
            .add("input_version", DataTypes.IntegerType);
    VerdictRecord read =
        RecordCodec.of(VerdictRecord.class)
            .fromRow(new GenericRowWithSchema(new Object[] {"PASS", "2026-01-02", 3}, older));
    assertEquals("PASS", read.verdict());
    assertEquals("2026-01-02", read.partition());
    assertEquals(3L, read.inputVersion());
    assertNull(read.dataset());
    assertNull(read.signature());
  }

  @Test
  void nestedStructsConvertBothWays() {
    RecordCodec<FeatureProfileRecord> codec = RecordCodec.of(FeatureProfileRecord.class);
    FeatureProfileRecord profile =
        new FeatureProfileRecord(
            "adult",
            "p",
            "r",
            "age",
            "numeric",
            3L,
            0L,
            0L,
            3L,
            1.0,
            5.0,
            3.0,
            2.0,
            9.0,
            35.0,
            List.of(
                new Bin(Double.NEGATIVE_INFINITY, 2.0, 1L),
                new Bin(2.0, Double.POSITIVE_INFINITY, 2L)),
            null,
            null,
            new byte[] {1, 2},
            null,
            null);
    Row row = codec.toRow(profile);
    FeatureProfileRecord back =
        codec.fromRow(new GenericRowWithSchema(values(row), codec.schema()));
    assertEquals(profile.bins(), back.bins());
    assertArrayEquals(profile.kllSketch(), back.kllSketch());
  }

  @Test
  void theSparkFreeTypeNamesAgreeWithTheSparkSchema() {
    for (IntegrityTable<?> table : IntegrityTables.all()) {
      Class<? extends Record> record = table.codec().type();
      for (var field : table.schema().fields()) {
        assertEquals(
            field.dataType().simpleString(),
            dev.assay.common.records.TableRecords.sqlType(record, field.name()).orElseThrow(),
            table.name() + "." + field.name());
      }
    }
  }

  @Test
  void aValueOfTheWrongTypeIsNamedNotConverted() {
    StructType forged =
        new StructType()
            .add("verdict", DataTypes.BooleanType)
            .add("input_version", DataTypes.DoubleType);
    RecordCodec<VerdictRecord> codec = RecordCodec.of(VerdictRecord.class);
    IllegalStateException wrongText =
        assertThrows(
            IllegalStateException.class,
            () -> codec.fromRow(new GenericRowWithSchema(new Object[] {true, null}, forged)));
    assertTrue(wrongText.getMessage().contains("column verdict"), wrongText.getMessage());
    IllegalStateException fraction =
        assertThrows(
            IllegalStateException.class,
            () -> codec.fromRow(new GenericRowWithSchema(new Object[] {null, 3.5}, forged)));
    assertTrue(fraction.getMessage().contains("column input_version"), fraction.getMessage());
  }

  @Test
  void anUnsupportedComponentTypeIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.of(Unsupported.class));
    assertEquals(true, e.getMessage().contains("java.util.Date"), e.getMessage());
  }

  private static Object[] values(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          row.get(i) instanceof Object[] array
              ? scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(array))
                  .toSeq()
              : row.get(i);
      if (row.get(i) instanceof Object[] array && array.length > 0 && array[0] instanceof Row) {
        Object[] structs = new Object[array.length];
        StructType element =
            (StructType)
                ((org.apache.spark.sql.types.ArrayType)
                        RecordCodec.of(FeatureProfileRecord.class)
                            .schema()
                            .apply("bins")
                            .dataType())
                    .elementType();
        for (int j = 0; j < array.length; j++) {
          structs[j] = new GenericRowWithSchema(values((Row) array[j]), element);
        }
        values[i] =
            scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(structs))
                .toSeq();
      }
    }
    return values;
  }
}
