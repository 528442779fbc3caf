package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.jobs.explore.IntegrityLake;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs SQL with every integrity table visible as integrity.<table> and every dataset as a"
          + " view named after it.",
      "Example: assay sql -c demo/assay.yaml \"SELECT * FROM integrity.verdicts\""
    })
final class SqlCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE")
  Path config;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table (default), json (JSON Lines) or csv.")
  String format = "table";

  @Option(names = "--limit", paramLabel = "N", description = "Rows printed at most (default 1000).")
  int limit = 1000;

  @Parameters(paramLabel = "SQL", description = "The query.")
  String query;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!List.of("table", "json", "csv").contains(format)) {
      throw AssayException.invalid(
          "Invalid --format '" + format + "'; expected table, json or csv.");
    }
    IntegrityLake lake = IntegrityLake.open(Assay.spark(), ConfigLoader.load(config));
    lake.unreadableDatasets()
        .forEach(
            (name, why) -> System.err.println("assay: dataset view " + name + " skipped: " + why));
    Dataset<Row> result = lake.sql(query);
    PrintWriter out = spec.commandLine().getOut();
    String[] columns = result.columns();
    List<Row> rows = result.limit(limit).collectAsList();
    switch (format) {
      case "json" -> result.limit(limit).toJSON().collectAsList().forEach(out::println);
      case "csv" -> {
        out.println(
            String.join(",", java.util.Arrays.stream(columns).map(SqlCommand::csv).toList()));
        for (Row row : rows) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            cells.add(csv(cell(row, i)));
          }
          out.println(String.join(",", cells));
        }
      }
      default -> printTable(out, columns, rows);
    }
    out.flush();
    return 0;
  }

  private static void printTable(PrintWriter out, String[] columns, List<Row> rows) {
    int[] widths = new int[columns.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      widths[i] = columns[i].length();
    }
    for (Row row : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        String value = cell(row, i);
        line[i] = value.length() > 60 ? value.substring(0, 57) + "..." : value;
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    out.println(line(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int w : widths) {
      rule.append("-".repeat(w)).append("  ");
    }
    out.println(rule.toString().stripTrailing());
    cells.forEach(c -> out.println(line(c, widths)));
    out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
  }

  private static String line(String[] values, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      out.append(String.format("%-" + widths[i] + "s  ", values[i]));
    }
    return out.toString().stripTrailing();
  }

  private static String cell(Row row, int i) {
    if (row.isNullAt(i)) {
      return "null";
    }
    Object value = row.get(i);
    if (value instanceof scala.collection.Seq<?> seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava(seq).toString();
    }
    if (value instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    return String.valueOf(value);
  }

  private static String csv(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\""
        : value;
  }
}
