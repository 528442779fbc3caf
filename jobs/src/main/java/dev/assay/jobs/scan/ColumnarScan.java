package dev.assay.jobs.scan;

import dev.assay.common.job.JobContext;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
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
 * readers for the requested numeric and text columns. Reading batches skips the row conversion
 * that dominates a row-based pass.
 *
 * @param batches the column batches of every pending partition
 * @param partition reads the partition column as text
 * @param numbers reads the numeric columns, in request order
 * @param texts reads the text columns, in request order
 */
public record ColumnarScan(JavaRDD<ColumnarBatch> batches, ColumnReader partition, ColumnReader numbers,
    ColumnReader texts) {

  /** The scan, or empty when the plan or a column's type cannot be read as batches. */
  public static Optional<ColumnarScan> find(JobContext context, List<String> numbers, List<String> texts) {
    List<Column> columns = new ArrayList<>();
    columns.add(Columns.named(context.dataset().partitionColumn()));
    numbers.forEach(f -> columns.add(Columns.named(f)));
    texts.forEach(f -> columns.add(Columns.named(f)));
    SparkPlan plan = context.table().read(context.partitions()).select(columns.toArray(Column[]::new))
        .queryExecution().executedPlan();
    Optional<FileSourceScanExec> scan = plainScan(plan);
    if (scan.isEmpty() || !scan.get().supportsColumnar()) {
      return Optional.empty();
    }
    List<Attribute> output = CollectionConverters.asJava(scan.get().output());
    Optional<ColumnReader> partition = reader(output, List.of(context.dataset().partitionColumn()), false);
    Optional<ColumnReader> numberReader = reader(output, numbers, true);
    Optional<ColumnReader> textReader = reader(output, texts, false);
    if (partition.isEmpty() || numberReader.isEmpty() || textReader.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ColumnarScan(scan.get().executeColumnar().toJavaRDD(), partition.get(),
        numberReader.get(), textReader.get()));
  }

  private static Optional<ColumnReader> reader(List<Attribute> output, List<String> names, boolean numbers) {
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
      int end = vector instanceof ConstantColumnVector ? rows : runEnd(partition, vector, start, rows);
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

  /** The file scan when the plan above it only converts to rows and selects columns. */
  private static Optional<FileSourceScanExec> plainScan(SparkPlan plan) {
    SparkPlan node = plan;
    while (true) {
      if (node instanceof FileSourceScanExec scan) {
        return Optional.of(scan);
      } else if (node instanceof WholeStageCodegenExec stage) {
        node = stage.child();
      } else if (node instanceof InputAdapter adapter) {
        node = adapter.child();
      } else if (node instanceof ColumnarToRowExec toRows) {
        node = toRows.child();
      } else if (node instanceof ProjectExec project && onlyColumns(project)) {
        node = project.child();
      } else {
        return Optional.empty();
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
