package dev.assay.common.checks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a constraint measures on one partition. Row-level metrics are the fraction of rows that
 * satisfy a per-row condition; a row that fails such a condition can be quarantined. docs/checks.md
 * defines each metric exactly.
 */
public sealed interface Metric {
  /** The metric's name, the YAML key that declares it, such as {@code completeness}. */
  String name();

  /** What it is measured on, such as a column name; empty for {@link Size}. */
  String subject();

  /** The dataset columns it reads. */
  List<String> columns();

  /** True when the value is the fraction of rows satisfying a per-row condition. */
  default boolean rowLevel() {
    return false;
  }

  /** The default constraint name, such as {@code completeness(workclass)}. */
  default String display() {
    return subject().isEmpty() ? name() : name() + "(" + subject() + ")";
  }

  /** Rows in the partition. */
  record Size() implements Metric {
    public String name() {
      return "size";
    }

    public String subject() {
      return "";
    }

    public List<String> columns() {
      return List.of();
    }
  }

  /** The fraction of rows where the column is not null. */
  record Completeness(String column) implements Metric {
    public String name() {
      return "completeness";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /**
   * The fraction of counted rows whose value combination occurs exactly once in the partition; rows
   * where every column is null are not counted.
   */
  record Uniqueness(List<String> columnSet) implements Metric {
    public Uniqueness {
      columnSet = List.copyOf(columnSet);
    }

    public String name() {
      return "uniqueness";
    }

    public String subject() {
      return String.join(",", columnSet);
    }

    public List<String> columns() {
      return columnSet;
    }
  }

  /**
   * Distinct value combinations over counted rows (rows where every column is null are not
   * counted).
   */
  record Distinctness(List<String> columnSet) implements Metric {
    public Distinctness {
      columnSet = List.copyOf(columnSet);
    }

    public String name() {
      return "distinctness";
    }

    public String subject() {
      return String.join(",", columnSet);
    }

    public List<String> columns() {
      return columnSet;
    }
  }

  /** The smallest finite value. */
  record Minimum(String column) implements Metric {
    public String name() {
      return "min";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }
  }

  /** The largest finite value. */
  record Maximum(String column) implements Metric {
    public String name() {
      return "max";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }
  }

  /** The mean of the finite values. */
  record Mean(String column) implements Metric {
    public String name() {
      return "mean";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }
  }

  /** The sample standard deviation of the finite values. */
  record StandardDeviation(String column) implements Metric {
    public String name() {
      return "stddev";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }
  }

  /**
   * An approximate quantile of the finite values (KLL sketch; docs/checks.md states its rank
   * error).
   */
  record Quantile(String column, double quantile) implements Metric {
    public Quantile {
      if (!(quantile >= 0 && quantile <= 1)) {
        throw new IllegalArgumentException("quantile must be within [0, 1], got " + quantile);
      }
    }

    public String name() {
      return "quantile";
    }

    public String subject() {
      return column + "," + quantile;
    }

    public List<String> columns() {
      return List.of(column);
    }
  }

  /** The fraction of rows whose value, as text, is one of {@code values}; a null value passes. */
  record AllowedValues(String column, List<String> values) implements Metric {
    public AllowedValues {
      values = List.copyOf(values);
    }

    public String name() {
      return "allowed_values";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /** The fraction of rows whose text contains a match of the Java regex; a null value passes. */
  record PatternMatch(String column, String regex) implements Metric {
    public String name() {
      return "pattern";
    }

    public String subject() {
      return column;
    }

    public List<String> columns() {
      return List.of(column);
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /** The fraction of rows where a SQL predicate is true (null counts as false). */
  record Compliance(String label, String predicate) implements Metric {
    public String name() {
      return "satisfies";
    }

    public String subject() {
      return label;
    }

    public List<String> columns() {
      return List.of();
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /**
   * The fraction of rows where every provenance column is present: not null and, for text, not
   * blank.
   */
  record Provenance(List<String> columnSet) implements Metric {
    public Provenance {
      columnSet = List.copyOf(columnSet);
    }

    public String name() {
      return "provenance";
    }

    public String subject() {
      return String.join(",", columnSet);
    }

    public List<String> columns() {
      return columnSet;
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /**
   * The fraction of rows whose stored checksum equals the recomputed one ({@link RowChecksum}); a
   * null stored checksum does not match.
   *
   * @param content the hashed columns in order; empty means every column but the partition and
   *     checksum columns and {@code exclude}, in table order
   */
  record ChecksumMatch(
      String column, RowChecksum.Algorithm algorithm, List<String> content, List<String> exclude)
      implements Metric {
    public ChecksumMatch {
      content = List.copyOf(content);
      exclude = List.copyOf(exclude);
    }

    public String name() {
      return "checksum";
    }

    public String subject() {
      return column;
    }

    /**
     * The hashed columns: {@code content}, or every column but the partition, checksum and excluded
     * ones.
     */
    public List<String> contentColumns(List<String> tableColumns, String partitionColumn) {
      if (!content.isEmpty()) {
        return content;
      }
      List<String> all = new java.util.ArrayList<>();
      for (String name : tableColumns) {
        if (!name.equals(partitionColumn) && !name.equals(column) && !exclude.contains(name)) {
          all.add(name);
        }
      }
      return all;
    }

    public List<String> columns() {
      return List.of(column);
    }

    public boolean rowLevel() {
      return true;
    }
  }

  /**
   * A numeric column of another integrity table, for the same dataset and partition, such as {@code
   * feature_drift.psi} of one feature; several matching rows are aggregated.
   */
  record IntegrityMetric(
      String table, String column, Map<String, String> where, Aggregate aggregate)
      implements Metric {
    public IntegrityMetric {
      where = Map.copyOf(where);
    }

    public String name() {
      return "metric";
    }

    public String subject() {
      StringBuilder out =
          new StringBuilder(aggregate.name().toLowerCase())
              .append(' ')
              .append(table)
              .append('.')
              .append(column);
      new TreeMap<>(where).forEach((k, v) -> out.append(',').append(k).append('=').append(v));
      return out.toString();
    }

    public List<String> columns() {
      return List.of();
    }
  }

  /** How several integrity rows of one partition become one value. */
  enum Aggregate {
    MAX,
    MIN,
    SUM,
    MEAN
  }
}
