package dev.assay.jobs.checks;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import dev.assay.common.table.Columns;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.verdict.Reasons;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Proposes constraints from trusted partitions, as Deequ's suggestion runner does, each with its
 * evidence: a size anomaly range, completeness (exactly complete, or a lower bound with a binomial
 * margin), uniqueness of integer and text columns unique in every partition, non-negativity, and
 * allowed values of low-cardinality text columns (with room for unseen values, estimated by
 * Good-Turing and the rule of three). One aggregation profiles every column; exact distinct counts,
 * and the value frequencies of every qualifying column, take one more aggregation each.
 */
public final class CheckSuggester {
  private final DatasetTable table;
  private final List<String> partitions;
  private final int maxCategories;

  /**
   * @param partitions the trusted partitions to learn from, in order
   * @param maxCategories the most distinct values a column may have to get allowed values
   */
  public CheckSuggester(DatasetTable table, List<String> partitions, int maxCategories) {
    this.table = table;
    this.partitions = List.copyOf(partitions);
    this.maxCategories = maxCategories;
  }

  /** The suggested checks as YAML for the dataset's {@code checks:} key, evidence in comments. */
  public String suggest(String checkName, String level) {
    List<StructField> fields = new ArrayList<>();
    for (StructField field : table.schema().fields()) {
      if (!field.name().equals(table.config().partitionColumn()) && isAtomic(field.dataType())) {
        fields.add(field);
      }
    }
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1))));
    for (StructField field : fields) {
      aggregates.add(count(Columns.named(field.name())));
      aggregates.add(approx_count_distinct(Columns.named(field.name())));
      aggregates.add(
          DatasetTable.isNumeric(field.dataType())
              ? min(Columns.named(field.name()).cast("double"))
              : lit(null));
    }
    Map<String, Row> profiles = new HashMap<>();
    for (Row row :
        table
            .read(partitions)
            .groupBy(table.partitionString().as("p"))
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .collectAsList()) {
      profiles.put(row.getString(0), row);
    }
    List<String> seen = partitions.stream().filter(profiles::containsKey).toList();
    long totalRows = seen.stream().mapToLong(p -> profiles.get(p).getLong(1)).sum();
    StringBuilder out = new StringBuilder();
    out.append("# assay suggest-checks: ")
        .append(seen.size())
        .append(" trusted partition(s) of ")
        .append(table.config().name())
        .append(" (")
        .append(table.config().partitionColumn())
        .append(' ')
        .append(seen.isEmpty() ? "-" : seen.get(0) + " .. " + seen.get(seen.size() - 1))
        .append("), ")
        .append(totalRows)
        .append(" rows, Delta version ")
        .append(table.version())
        .append(".\n")
        .append(
            "# Paste under the dataset in the config and review each constraint: its evidence is above it.\n")
        .append("checks:\n  - check: ")
        .append(quote(checkName))
        .append("\n    level: ")
        .append(level)
        .append("\n    constraints:\n");
    size(out, seen, profiles);
    List<StructField> uniqueCandidates = new ArrayList<>();
    List<StructField> categorical = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      StructField field = fields.get(i);
      int at = 2 + 3 * i;
      completeness(out, field.name(), seen, profiles, at);
      boolean distinctEverywhere = !seen.isEmpty();
      long maxDistinct = 0;
      for (String p : seen) {
        Row r = profiles.get(p);
        long nonNull = r.getLong(at);
        distinctEverywhere &= nonNull >= 20 && r.getLong(at + 1) >= 0.9 * nonNull;
        maxDistinct = Math.max(maxDistinct, r.getLong(at + 1));
      }
      if (distinctEverywhere && isIntegralOrText(field.dataType())) {
        uniqueCandidates.add(field);
      }
      if (DatasetTable.isNumeric(field.dataType())) {
        nonNegative(out, field.name(), seen, profiles, at + 2);
      } else if (maxDistinct <= maxCategories
          && (field.dataType().equals(DataTypes.StringType)
              || field.dataType().equals(DataTypes.BooleanType))) {
        categorical.add(field);
      }
    }
    unique(out, uniqueCandidates, seen);
    long smallest = seen.stream().mapToLong(p -> profiles.get(p).getLong(1)).min().orElse(1);
    Map<String, List<Frequency>> frequencies = frequencies(categorical, seen);
    for (StructField field : categorical) {
      allowedValues(out, field.name(), frequencies.getOrDefault(field.name(), List.of()), smallest);
    }
    return out.toString();
  }

  /**
   * Per column, its non-null values' counts (value, count), most frequent first: one pass for all
   * columns.
   */
  private Map<String, List<Frequency>> frequencies(List<StructField> columns, List<String> seen) {
    Map<String, List<Frequency>> byColumn = new HashMap<>();
    if (columns.isEmpty()) {
      return byColumn;
    }
    List<Column> pairs = new ArrayList<>();
    for (StructField field : columns) {
      pairs.add(
          struct(lit(field.name()).as("c"), Columns.named(field.name()).cast("string").as("v")));
    }
    for (Row row :
        table
            .read(seen)
            .select(explode(array(pairs.toArray(Column[]::new))).as("cv"))
            .where(col("cv.v").isNotNull())
            .groupBy(col("cv.c").as("c"), col("cv.v").as("v"))
            .count()
            .orderBy(col("c"), desc("count"), asc("v"))
            .collectAsList()) {
      byColumn
          .computeIfAbsent(row.getString(0), k -> new ArrayList<>())
          .add(new Frequency(row.getString(1), row.getLong(2)));
    }
    return byColumn;
  }

  private void size(StringBuilder out, List<String> seen, Map<String, Row> profiles) {
    if (seen.size() < 2) {
      out.append("      # only ")
          .append(seen.size())
          .append(" trusted partition(s): no size range to learn\n");
      return;
    }
    long least = Long.MAX_VALUE;
    long most = 0;
    double lowRatio = Double.POSITIVE_INFINITY;
    double highRatio = 0;
    for (int i = 0; i < seen.size(); i++) {
      long rows = profiles.get(seen.get(i)).getLong(1);
      least = Math.min(least, rows);
      most = Math.max(most, rows);
      if (i > 0) {
        double ratio = (double) rows / profiles.get(seen.get(i - 1)).getLong(1);
        lowRatio = Math.min(lowRatio, ratio);
        highRatio = Math.max(highRatio, ratio);
      }
    }
    double minRatio = round(Math.min(0.5, lowRatio * 0.8), false);
    double maxRatio = round(Math.max(2.0, highRatio * 1.25), true);
    out.append("      # rows per partition ")
        .append(least)
        .append("..")
        .append(most)
        .append("; change between consecutive partitions x")
        .append(Reasons.number(lowRatio))
        .append("..x")
        .append(Reasons.number(highRatio))
        .append('\n')
        .append("      - size: {anomaly: {strategy: relative_rate, min_ratio: ")
        .append(Reasons.exact(minRatio))
        .append(", max_ratio: ")
        .append(Reasons.exact(maxRatio))
        .append("}}\n");
  }

  private void completeness(
      StringBuilder out, String column, List<String> seen, Map<String, Row> profiles, int at) {
    double worst = 1;
    long rowsAtWorst = 0;
    long smallest = Long.MAX_VALUE;
    long nulls = 0;
    long rows = 0;
    for (String p : seen) {
      Row r = profiles.get(p);
      long n = r.getLong(1);
      double completeness = n == 0 ? 1 : (double) r.getLong(at) / n;
      nulls += n - r.getLong(at);
      rows += n;
      smallest = Math.min(smallest, n);
      if (completeness < worst) {
        worst = completeness;
        rowsAtWorst = n;
      }
    }
    if (rows == 0) {
      return;
    }
    if (nulls == 0) {
      out.append("      # no nulls in ")
          .append(rows)
          .append(" rows\n")
          .append("      - complete: ")
          .append(quote(column))
          .append('\n');
      return;
    }
    // The worst partition's completeness, less four binomial standard errors at the smallest
    // partition size.
    double bound = worst - 4 * Math.sqrt(worst * (1 - worst) / Math.max(1, smallest));
    if (bound <= 0.05) {
      out.append("      # ")
          .append(column)
          .append(": mostly null (worst partition ")
          .append(Reasons.number(worst))
          .append(" complete); no completeness bound suggested\n");
      return;
    }
    out.append("      # ")
        .append(nulls)
        .append(" nulls in ")
        .append(rows)
        .append(" rows; worst partition ")
        .append(Reasons.number(worst))
        .append(" complete (")
        .append(rowsAtWorst)
        .append(" rows), less 4 standard errors\n")
        .append("      - completeness: {column: ")
        .append(quote(column))
        .append(", min: ")
        .append(Reasons.exact(round(bound, false)))
        .append("}\n");
  }

  private void nonNegative(
      StringBuilder out, String column, List<String> seen, Map<String, Row> profiles, int at) {
    double smallest = Double.POSITIVE_INFINITY;
    for (String p : seen) {
      Row r = profiles.get(p);
      if (!r.isNullAt(at)) {
        smallest = Math.min(smallest, r.getDouble(at));
      }
    }
    if (smallest >= 0 && Double.isFinite(smallest)) {
      out.append("      # smallest value ")
          .append(Reasons.number(smallest))
          .append(" in every trusted partition\n")
          .append("      - min: {column: ")
          .append(quote(column))
          .append(", min: 0, name: ")
          .append(quote("non_negative(" + column + ")"))
          .append("}\n");
    }
  }

  private void unique(StringBuilder out, List<StructField> candidates, List<String> seen) {
    if (candidates.isEmpty()) {
      return;
    }
    List<Column> aggregates = new ArrayList<>();
    for (StructField field : candidates) {
      aggregates.add(count(Columns.named(field.name())));
      aggregates.add(countDistinct(Columns.named(field.name())));
    }
    Map<String, Row> counts = new HashMap<>();
    for (Row row :
        table
            .read(seen)
            .groupBy(table.partitionString().as("p"))
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .collectAsList()) {
      counts.put(row.getString(0), row);
    }
    for (int i = 0; i < candidates.size(); i++) {
      boolean unique = true;
      long rows = 0;
      for (String p : seen) {
        Row r = counts.get(p);
        unique &= r.getLong(1 + 2 * i) == r.getLong(2 + 2 * i);
        rows += r.getLong(1 + 2 * i);
      }
      if (unique) {
        out.append("      # every one of ")
            .append(rows)
            .append(" values is unique within its partition\n")
            .append("      - unique: [")
            .append(quote(candidates.get(i).name()))
            .append("]\n");
      }
    }
  }

  /** How often one value of a column occurs in the trusted partitions. */
  private record Frequency(String value, long count) {}

  private void allowedValues(
      StringBuilder out, String column, List<Frequency> frequencies, long smallest) {
    if (frequencies.isEmpty()) {
      return;
    }
    long rows = 0;
    long singletons = 0;
    List<String> values = new ArrayList<>();
    for (Frequency frequency : frequencies) {
      values.add(quote(frequency.value()));
      rows += frequency.count();
      singletons += frequency.count() == 1 ? 1 : 0;
    }
    Frequency rarest = frequencies.get(frequencies.size() - 1);
    // Good-Turing: the share of rows with values never seen is about (values seen once) / rows;
    // with
    // fewer than three such values, the rule of three bounds it. A partition of the smallest
    // trusted
    // size may then hold that share plus four standard deviations plus one row of unseen values.
    double unseenShare = Math.max(singletons, 3) / (double) rows;
    double expectedRows = smallest * unseenShare;
    double unseen = Math.min(1, (expectedRows + 4 * Math.sqrt(expectedRows) + 1) / smallest);
    out.append("      # ")
        .append(values.size())
        .append(" values in ")
        .append(rows)
        .append(" non-null rows; rarest ")
        .append(quote(rarest.value()))
        .append(" seen ")
        .append(rarest.count())
        .append(" time(s); room for ")
        .append(Reasons.number(unseen))
        .append(" of a partition in unseen values\n")
        .append("      - allowed_values: {column: ")
        .append(quote(column))
        .append(", values: [")
        .append(String.join(", ", values))
        .append("], min: ")
        .append(Reasons.exact(round(1 - unseen, false)))
        .append("}\n");
  }

  /** Rounds to three decimals, away from the observed range so the bound stays safe. */
  private static double round(double value, boolean up) {
    return (up ? Math.ceil(value * 1000) : Math.floor(value * 1000)) / 1000;
  }

  /** A YAML double-quoted string. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static boolean isAtomic(DataType type) {
    return DatasetTable.isNumeric(type)
        || type.equals(DataTypes.StringType)
        || type.equals(DataTypes.BooleanType)
        || type.equals(DataTypes.DateType)
        || type.equals(DataTypes.TimestampType);
  }

  private static boolean isIntegralOrText(DataType type) {
    return type.equals(DataTypes.StringType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.IntegerType);
  }
}
