package dev.assay.jobs.duplicates;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.job.JobContext;
import dev.assay.common.records.DuplicateSummaryRecord;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.Columns;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The fingerprint index ({@code duplicate_index}): one row per (dataset, partition, content
 * fingerprint) with its feature fingerprint, label, row count and smallest id. Because a row is
 * keyed by the partition it was seen in, re-runs replace exactly their own rows, backfills of older
 * partitions need no rewrite of newer ones, and "first seen" is the smallest partition holding a
 * fingerprint. A nightly run reads only the index's fingerprint columns, keeps the rows whose
 * feature fingerprint is in the pending rows' Bloom filter, and MERGEs the pending partitions'
 * rows.
 */
final class FingerprintIndex {
  private FingerprintIndex() {}

  /** Index records of earlier partitions that may share features with the pending rows. */
  static JavaRDD<Tuple2<Integer, RecordBlock>> lookup(
      JobContext context,
      Collection<String> history,
      Map<String, Integer> ordinals,
      KeyBloom bloom,
      int reducers) {
    Dataset<Row> index =
        context
            .store()
            .read(IntegrityTables.DUPLICATE_INDEX)
            .where(
                col("dataset")
                    .equalTo(context.dataset().name())
                    .and(col("partition").isin(history.toArray())))
            .select("partition", "feature_hi", "feature_lo", "fp_hi", "fp_lo", "rows", "label");
    return index
        .queryExecution()
        .toRdd()
        .toJavaRDD()
        .mapPartitions(new Probe(ordinals, bloom, reducers, IndexColumns.of(index.schema())));
  }

  /**
   * Partitions whose index rows are complete: those with a summary row, which a run writes after
   * their index rows (a run killed in between leaves the partition pending, and its re-run replaces
   * them). The summary is one row per partition, so this does not read the index.
   */
  static List<String> indexedPartitions(IntegrityStore store, String dataset) {
    List<String> partitions = new ArrayList<>();
    if (!store.exists(IntegrityTables.DUPLICATE_SUMMARY)) {
      return partitions;
    }
    for (DuplicateSummaryRecord row :
        IntegrityTables.DUPLICATE_SUMMARY.collect(
            store
                .read(IntegrityTables.DUPLICATE_SUMMARY)
                .where(col("dataset").equalTo(dataset))
                .select("partition")
                .distinct())) {
      partitions.add(row.partition());
    }
    return partitions;
  }

  /**
   * Writes the pending partitions' index rows with one MERGE on (dataset, partition, fingerprint).
   * The partition literals in the condition confine it to those partitions' files, so its cost
   * grows with the new data only. Fingerprints that a re-run no longer sees (the partition's data
   * changed) come in as tombstones from a read of those partitions alone, and are deleted.
   */
  static void merge(JobContext context, Collection<String> partitions, Dataset<Row> rows) {
    IntegrityStore store = context.store();
    store.ensure(IntegrityTables.DUPLICATE_INDEX);
    String dataset = Columns.sqlString(context.dataset().name());
    String inPartitions =
        "partition IN ("
            + String.join(", ", partitions.stream().map(Columns::sqlString).toList())
            + ")";
    Dataset<Row> fresh = rows.withColumn(TOMBSTONE, functions.lit(false));
    Dataset<Row> gone =
        store
            .read(IntegrityTables.DUPLICATE_INDEX)
            .where(functions.expr("dataset = " + dataset + " AND " + inPartitions))
            .join(
                rows.select("partition", "fp_hi", "fp_lo"),
                CollectionConverters.asScala(List.of("partition", "fp_hi", "fp_lo")).toSeq(),
                "left_anti")
            .select(IntegrityTables.DUPLICATE_INDEX.schema().fieldNames()[0], restOf())
            .withColumn(TOMBSTONE, functions.lit(true));
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : IntegrityTables.DUPLICATE_INDEX.schema().fieldNames()) {
      values.put(Columns.quoted(name), "s." + Columns.quoted(name));
    }
    DeltaTable target =
        store.location().path().isPresent()
            ? DeltaTable.forPath(context.spark(), store.ref(IntegrityTables.DUPLICATE_INDEX))
            : DeltaTable.forName(context.spark(), store.ref(IntegrityTables.DUPLICATE_INDEX));
    store.commit(
        IntegrityTables.DUPLICATE_INDEX,
        context.run(),
        () ->
            target
                .as("t")
                .merge(
                    fresh.unionByName(gone).as("s"),
                    "t.dataset = "
                        + dataset
                        + " AND t."
                        + inPartitions
                        + " AND t.dataset = s.dataset AND t.partition = s.partition AND t.fp_hi = s.fp_hi AND t.fp_lo = s.fp_lo")
                .whenMatched("s." + TOMBSTONE)
                .delete()
                .whenMatched()
                .updateExpr(values)
                .whenNotMatched("NOT s." + TOMBSTONE)
                .insertExpr(values)
                .execute());
  }

  private static final String TOMBSTONE = "__assay_gone";

  private static String[] restOf() {
    String[] names = IntegrityTables.DUPLICATE_INDEX.schema().fieldNames();
    return java.util.Arrays.copyOfRange(names, 1, names.length);
  }

  /**
   * Where the probe finds each index column in its rows, by name: it reads the index's raw rows.
   */
  private record IndexColumns(
      int partition, int featureHi, int featureLo, int fpHi, int fpLo, int rows, int label)
      implements java.io.Serializable {
    static IndexColumns of(StructType schema) {
      return new IndexColumns(
          schema.fieldIndex("partition"),
          schema.fieldIndex("feature_hi"),
          schema.fieldIndex("feature_lo"),
          schema.fieldIndex("fp_hi"),
          schema.fieldIndex("fp_lo"),
          schema.fieldIndex("rows"),
          schema.fieldIndex("label"));
    }
  }

  /** Keeps index rows whose feature fingerprint passes the Bloom filter. */
  private static final class Probe
      implements FlatMapFunction<Iterator<InternalRow>, Tuple2<Integer, RecordBlock>> {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> ordinals;
    private final KeyBloom bloom;
    private final int reducers;
    private final IndexColumns at;

    Probe(Map<String, Integer> ordinals, KeyBloom bloom, int reducers, IndexColumns at) {
      this.ordinals = ordinals;
      this.bloom = bloom;
      this.reducers = reducers;
      this.at = at;
    }

    @Override
    public Iterator<Tuple2<Integer, RecordBlock>> call(Iterator<InternalRow> rows) {
      RecordBlock[] blocks = new RecordBlock[reducers];
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        long fHi = row.getLong(at.featureHi());
        long fLo = row.getLong(at.featureLo());
        if (!bloom.mightContain(fHi, fLo)) {
          continue;
        }
        int reducer = RecordBlock.reducerOf(fHi, reducers);
        if (blocks[reducer] == null) {
          blocks[reducer] = new RecordBlock();
        }
        // partition names are decoded only for rows that pass the filter: most do not
        blocks[reducer].add(
            ordinals.get(row.getUTF8String(at.partition()).toString()),
            fHi,
            fLo,
            row.getLong(at.fpHi()),
            row.getLong(at.fpLo()),
            row.getLong(at.rows()),
            row.isNullAt(at.label()) ? null : row.getUTF8String(at.label()).toString(),
            null);
      }
      List<Tuple2<Integer, RecordBlock>> out = new ArrayList<>();
      for (int r = 0; r < reducers; r++) {
        if (blocks[r] != null) {
          out.add(new Tuple2<>(r, blocks[r]));
        }
      }
      return out.iterator();
    }
  }
}
