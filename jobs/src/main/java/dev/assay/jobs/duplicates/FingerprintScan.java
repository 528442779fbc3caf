package dev.assay.jobs.duplicates;

import dev.assay.common.fingerprint.RowFingerprint;
import dev.assay.common.job.JobContext;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * The one pass over the pending partitions: each row becomes a fingerprint record (partition,
 * feature and content fingerprints, label text, id), packed into one block per reducer.
 */
final class FingerprintScan
    implements FlatMapFunction<Iterator<InternalRow>, Tuple2<Integer, RecordBlock>> {
  private static final long serialVersionUID = 1L;

  /** Records buffered per task before blocks are emitted, bounding executor memory. */
  private static final int FLUSH_RECORDS = 500_000;

  static final String PARTITION = "__assay_partition";
  static final String LABEL = "__assay_label";
  static final String ID = "__assay_id";

  private final Map<String, Integer> ordinals;
  private final RowFingerprint fingerprint;
  private final int reducers;
  private final boolean hasLabel;
  private final boolean hasId;

  private FingerprintScan(
      Map<String, Integer> ordinals,
      RowFingerprint fingerprint,
      int reducers,
      boolean hasLabel,
      boolean hasId) {
    this.ordinals = ordinals;
    this.fingerprint = fingerprint;
    this.reducers = reducers;
    this.hasLabel = hasLabel;
    this.hasId = hasId;
  }

  /**
   * The pending rows with the helper columns the scan reads first: partition, label text and id.
   */
  static Dataset<Row> input(JobContext context, List<String> partitions) {
    List<Column> columns = new ArrayList<>();
    columns.add(context.table().partitionString().as(PARTITION));
    columns.add(
        context
            .dataset()
            .labelColumn()
            .map(l -> Columns.named(l).cast(DataTypes.StringType))
            .orElse(functions.lit(null).cast(DataTypes.StringType))
            .as(LABEL));
    columns.add(idColumn(context).as(ID));
    for (String name : context.table().schema().fieldNames()) {
      columns.add(Columns.named(name));
    }
    return context.table().read(partitions).select(columns.toArray(Column[]::new));
  }

  /** The row id as text: the id columns joined by '|', or null without id columns. */
  static Column idColumn(JobContext context) {
    List<String> ids = context.dataset().idColumns();
    if (ids.isEmpty()) {
      return functions.lit(null).cast(DataTypes.StringType);
    }
    List<Column> parts = new ArrayList<>();
    for (String id : ids) {
      parts.add(
          functions.coalesce(Columns.named(id).cast(DataTypes.StringType), functions.lit("NULL")));
    }
    return parts.size() == 1
        ? parts.get(0)
        : functions.concat_ws("|", parts.toArray(Column[]::new));
  }

  /**
   * @param rows {@code input}'s rows as Spark's internal rows
   */
  static JavaRDD<Tuple2<Integer, RecordBlock>> scan(
      JobContext context,
      Dataset<Row> input,
      JavaRDD<InternalRow> rows,
      Map<String, Integer> ordinals,
      int reducers) {
    RowFingerprint fingerprint =
        new RowFingerprint(
            input.schema(), context.table().fingerprintColumns(), context.dataset().labelColumn());
    return rows.mapPartitions(
        new FingerprintScan(
            ordinals,
            fingerprint,
            reducers,
            context.dataset().labelColumn().isPresent(),
            !context.dataset().idColumns().isEmpty()));
  }

  /** Emits blocks lazily: at most {@link #FLUSH_RECORDS} records are held before they move on. */
  @Override
  public Iterator<Tuple2<Integer, RecordBlock>> call(Iterator<InternalRow> rows) {
    return new Iterator<>() {
      private final RecordBlock[] blocks = new RecordBlock[reducers];
      private final java.util.ArrayDeque<Tuple2<Integer, RecordBlock>> ready =
          new java.util.ArrayDeque<>();
      private String lastPartition;
      private int ordinal = -1;

      @Override
      public boolean hasNext() {
        if (ready.isEmpty()) {
          fill();
        }
        return !ready.isEmpty();
      }

      @Override
      public Tuple2<Integer, RecordBlock> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.poll();
      }

      private void fill() {
        int buffered = 0;
        while (buffered < FLUSH_RECORDS && rows.hasNext()) {
          add(rows.next());
          buffered++;
        }
        for (int r = 0; r < blocks.length; r++) {
          if (blocks[r] != null) {
            ready.add(new Tuple2<>(r, blocks[r]));
            blocks[r] = null;
          }
        }
      }

      private void add(InternalRow row) {
        String partition = row.getUTF8String(0).toString();
        if (!partition.equals(lastPartition)) {
          lastPartition = partition;
          ordinal = ordinals.get(partition);
        }
        fingerprint.fingerprint(row);
        int reducer = RecordBlock.reducerOf(fingerprint.featureHi, reducers);
        if (blocks[reducer] == null) {
          blocks[reducer] = new RecordBlock();
        }
        blocks[reducer].add(
            ordinal,
            fingerprint.featureHi,
            fingerprint.featureLo,
            fingerprint.contentHi,
            fingerprint.contentLo,
            1,
            hasLabel && !row.isNullAt(1) ? row.getUTF8String(1).toString() : null,
            hasId && !row.isNullAt(2) ? row.getUTF8String(2).toString() : null);
      }
    };
  }
}
