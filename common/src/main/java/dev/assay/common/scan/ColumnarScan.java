package dev.assay.common.scan;

import dev.assay.common.job.JobContext;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The pending partitions' Parquet column batches, when the plan reading them is a plain columnar
 * file scan (a Delta table partitioned by the partition column, without deletion vectors), with
 * readers for the requested numeric and text columns. Reading batches skips the row conversion that
 * dominates a row-based pass.
 *
 * @param batches the column batches of every pending partition
 * @param partition reads the partition column as text
 * @param numbers reads the numeric columns, in request order
 * @param texts reads the text columns, in request order
 */
public record ColumnarScan(
    JavaRDD<ColumnarBatch> batches,
    ColumnReader partition,
    ColumnReader numbers,
    ColumnReader texts) {
  private static final Logger LOG = LogManager.getLogger(ColumnarScan.class);

  /** Expression fields shown of the plan node that stops the columnar path. */
  private static final int PLAN_FIELDS = 5;

  /**
   * The scan, or empty when the plan or a column's type cannot be read as batches; the caller then
   * reads rows, with the same results. A fallback is logged as a warning naming what stopped it.
   */
  public static Optional<ColumnarScan> find(
      JobContext context, List<String> numbers, List<String> texts) {
    String partitionColumn = context.dataset().partitionColumn();
    Dataset<Row> frame =
        selected(context.table().read(context.partitions()), partitionColumn, numbers, texts);
    Inspection inspection =
        inspect(frame.queryExecution().executedPlan(), partitionColumn, numbers, texts);
    if (inspection.fallback() != null) {
      LOG.warn(
          "{}: columnar fast path not taken, {}; reading rows instead (same results, slower)",
          context.dataset().table(),
          inspection.fallback());
      return Optional.empty();
    }
    return Optional.of(
        new ColumnarScan(
            inspection.scan().executeColumnar().toJavaRDD(),
            inspection.partition(),
            inspection.numbers(),
            inspection.texts()));
  }

  /**
   * Why the columnar path does not apply to these columns of {@code rows}, the way {@link #find}
   * selects them; empty when it applies.
   */
  public static Optional<String> fallbackReason(
      Dataset<Row> rows, String partitionColumn, List<String> numbers, List<String> texts) {
    SparkPlan plan =
        selected(rows, partitionColumn, numbers, texts).queryExecution().executedPlan();
    return Optional.ofNullable(inspect(plan, partitionColumn, numbers, texts).fallback());
  }

  private static Dataset<Row> selected(
      Dataset<Row> rows, String partitionColumn, List<String> numbers, List<String> texts) {
    List<Column> columns = new ArrayList<>();
    columns.add(Columns.named(partitionColumn));
    numbers.forEach(f -> columns.add(Columns.named(f)));
    texts.forEach(f -> columns.add(Columns.named(f)));
    return rows.select(columns.toArray(Column[]::new));
  }

  /** A plan's columnar file scan and its column readers, or (not both) why there is none. */
  private record Inspection(
      FileSourceScanExec scan,
      ColumnReader partition,
      ColumnReader numbers,
      ColumnReader texts,
      String fallback) {
    static Inspection fallBack(String reason) {
      return new Inspection(null, null, null, null, reason);
    }
  }

  private static Inspection inspect(
      SparkPlan plan, String partitionColumn, List<String> numbers, List<String> texts) {
    SparkPlan stop = firstOtherNode(plan);
    if (!(stop instanceof FileSourceScanExec scan)) {
      return Inspection.fallBack(
          "plan node "
              + stop.nodeName()
              + " is not a plain column selection above a file"
              + " scan"
              + unpartitionedHint(stop, partitionColumn)
              + ": "
              + stop.simpleString(PLAN_FIELDS));
    }
    if (!scan.supportsColumnar()) {
      return Inspection.fallBack(
          "plan node "
              + scan.nodeName()
              + " does not read column batches (deletion"
              + " vectors, or a file format or column type without a vectorized reader)");
    }
    List<Attribute> output = CollectionConverters.asJava(scan.output());
    Optional<ColumnReader> partition = reader(output, List.of(partitionColumn), false);
    Optional<ColumnReader> numberReader = reader(output, numbers, true);
    Optional<ColumnReader> textReader = reader(output, texts, false);
    if (partition.isEmpty() || numberReader.isEmpty() || textReader.isEmpty()) {
      return Inspection.fallBack(
          "a requested column is missing from the scan or has a type the batch readers do"
              + " not read; scan output: "
              + output);
    }
    return new Inspection(scan, partition.get(), numberReader.get(), textReader.get(), null);
  }

  private static Optional<ColumnReader> reader(
      List<Attribute> output, List<String> names, boolean numbers) {
    int[] ordinals = new int[names.size()];
    DataType[] types = new DataType[names.size()];
    for (int c = 0; c < names.size(); c++) {
      ordinals[c] = ordinal(output, names.get(c));
      if (ordinals[c] < 0) {
        return Optional.empty();
      }
      types[c] = output.get(ordinals[c]).dataType();
      if (numbers ? !ColumnReader.readsAsNumber(types[c]) : !ColumnReader.readsAsText(types[c])) {
        return Optional.empty();
      }
    }
    return Optional.of(new ColumnReader(ordinals, types));
  }

  /**
   * Calls {@code run} with (partition value, [start, end)) for each run of rows of one partition in
   * the batch; rows with a null partition value are skipped. A partitioned table's partition column
   * is a constant vector, so this is one call per batch.
   */
  public static void forEachRun(ColumnReader partition, ColumnarBatch batch, RunConsumer run) {
    int rows = batch.numRows();
    ColumnVector vector = partition.vector(batch, 0);
    int start = 0;
    while (start < rows) {
      int end =
          vector instanceof ConstantColumnVector ? rows : runEnd(partition, vector, start, rows);
      if (!vector.isNullAt(start)) {
        run.accept(partition.text(vector, 0, start).toString(), start, end);
      }
      start = end;
    }
  }

  /** Receives one run of rows of one partition. */
  @FunctionalInterface
  public interface RunConsumer {
    void accept(String partition, int start, int end);
  }

  private static int runEnd(ColumnReader partition, ColumnVector vector, int start, int rows) {
    boolean isNull = vector.isNullAt(start);
    UTF8String first = isNull ? null : partition.text(vector, 0, start).clone();
    int end = start + 1;
    while (end < rows) {
      boolean nextNull = vector.isNullAt(end);
      if (nextNull != isNull || !isNull && !partition.text(vector, 0, end).equals(first)) {
        break;
      }
      end++;
    }
    return end;
  }

  /**
   * A note when the file scan under {@code node} is not partitioned by the partition column, the
   * usual cause.
   */
  private static String unpartitionedHint(SparkPlan node, String partitionColumn) {
    for (SparkPlan leaf : CollectionConverters.asJava(node.collectLeaves())) {
      if (leaf instanceof FileSourceScanExec scan
          && !List.of(scan.relation().partitionSchema().fieldNames()).contains(partitionColumn)) {
        return " (the table is not partitioned by " + partitionColumn + ")";
      }
    }
    return "";
  }

  /**
   * The file scan when the plan above it only converts to rows and selects columns; otherwise the
   * first node from the top that is none of these.
   */
  private static SparkPlan firstOtherNode(SparkPlan plan) {
    SparkPlan node = plan;
    while (true) {
      if (node instanceof WholeStageCodegenExec stage) {
        node = stage.child();
      } else if (node instanceof InputAdapter adapter) {
        node = adapter.child();
      } else if (node instanceof ColumnarToRowExec toRows) {
        node = toRows.child();
      } else if (node instanceof ProjectExec project && onlyColumns(project)) {
        node = project.child();
      } else {
        return node;
      }
    }
  }

  private static boolean onlyColumns(ProjectExec project) {
    for (NamedExpression expression : CollectionConverters.asJava(project.projectList())) {
      if (!(expression instanceof AttributeReference)) {
        return false;
      }
    }
    return true;
  }

  private static int ordinal(List<Attribute> output, String name) {
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
