package dev.assay.jobs.profile;

import dev.assay.common.job.JobContext;
import dev.assay.common.table.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.apache.spark.sql.types.DataType;
import scala.jdk.javaapi.CollectionConverters;

/** Finds a plain columnar file scan under the profile query, to read column batches directly. */
final class ColumnarScan {
  private ColumnarScan() {}

  static Optional<JavaRDD<Map<String, PartitionState>>> find(
      JobContext context, List<String> numeric, List<String> categorical, double[][] edges) {
    List<Column> columns = new ArrayList<>();
    columns.add(Columns.named(context.dataset().partitionColumn()));
    numeric.forEach(f -> columns.add(Columns.named(f)));
    categorical.forEach(f -> columns.add(Columns.named(f)));
    SparkPlan plan = context.table().read(context.partitions()).select(columns.toArray(Column[]::new))
        .queryExecution().executedPlan();
    Optional<FileSourceScanExec> scan = plainScan(plan);
    if (scan.isEmpty() || !scan.get().supportsColumnar()) {
      return Optional.empty();
    }
    List<Attribute> output = CollectionConverters.asJava(scan.get().output());
    int partitionOrdinal = ordinal(output, context.dataset().partitionColumn());
    int[] numericOrdinals = new int[numeric.size()];
    DataType[] numericTypes = new DataType[numeric.size()];
    int[] categoricalOrdinals = new int[categorical.size()];
    DataType[] categoricalTypes = new DataType[categorical.size()];
    boolean readable = partitionOrdinal >= 0
        && ColumnarProfilePass.kind(output.get(partitionOrdinal).dataType()) != null
        && ColumnarProfilePass.kind(output.get(partitionOrdinal).dataType()) != ColumnarProfilePass.Kind.DOUBLE;
    for (int f = 0; readable && f < numeric.size(); f++) {
      numericOrdinals[f] = ordinal(output, numeric.get(f));
      readable = numericOrdinals[f] >= 0;
      numericTypes[f] = readable ? output.get(numericOrdinals[f]).dataType() : null;
      readable = readable && ColumnarProfilePass.kind(numericTypes[f]) != null;
    }
    for (int c = 0; readable && c < categorical.size(); c++) {
      categoricalOrdinals[c] = ordinal(output, categorical.get(c));
      readable = categoricalOrdinals[c] >= 0;
      categoricalTypes[c] = readable ? output.get(categoricalOrdinals[c]).dataType() : null;
      ColumnarProfilePass.Kind kind = readable ? ColumnarProfilePass.kind(categoricalTypes[c]) : null;
      readable = kind != null && kind != ColumnarProfilePass.Kind.DOUBLE && kind != ColumnarProfilePass.Kind.FLOAT
          && kind != ColumnarProfilePass.Kind.DECIMAL;
    }
    if (!readable) {
      return Optional.empty();
    }
    ColumnarProfilePass pass = new ColumnarProfilePass(edges, partitionOrdinal,
        output.get(partitionOrdinal).dataType(), numericOrdinals, numericTypes, categoricalOrdinals, categoricalTypes);
    return Optional.of(scan.get().executeColumnar().toJavaRDD().mapPartitions(pass));
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
