package dev.assay.jobs.explore;

import static dev.assay.jobs.explore.IntegrityLake.literal;

import dev.assay.common.AssayException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One feature's histogram in a partition next to the histogram of the trusted baseline it was
 * judged against, rebuilt from {@code feature_profiles} (baseline partitions merged by summing
 * counts) and the baseline named in {@code feature_drift}. Numeric bins share the frozen edges;
 * categorical bins are the stored top values, with the rest as {@code (other)}; nulls and
 * NaN/Infinity get bins of their own.
 *
 * @param kind {@code numeric} or {@code categorical}
 * @param baselinePartitions the partitions merged into the baseline (empty on a bootstrap
 *     partition)
 * @param bins in order: numeric by lower edge, categorical by baseline count then current count
 */
public record FeatureHistograms(
    String dataset,
    String partition,
    String feature,
    String kind,
    List<String> baselinePartitions,
    List<Bin> bins) {

  /** One bin: its label, rows in the partition and rows in the merged baseline. */
  public record Bin(String label, long current, long baseline) {}

  /** Rows over all bins of the partition. */
  public long currentRows() {
    return bins.stream().mapToLong(Bin::current).sum();
  }

  /** Rows over all bins of the baseline. */
  public long baselineRows() {
    return bins.stream().mapToLong(Bin::baseline).sum();
  }

  /**
   * Reads the histograms of {@code feature} on {@code partition}, with {@code (null)} and {@code
   * (NaN/Inf)} bins when there are such rows; a feature without a {@code feature_drift} row there
   * is a bad-input error.
   */
  public static FeatureHistograms read(
      IntegrityLake lake, String dataset, String partition, String feature) {
    List<Row> drift =
        lake.rows(
            "SELECT kind, baseline FROM "
                + lake.table("feature_drift")
                + " WHERE dataset = "
                + literal(dataset)
                + " AND partition = "
                + literal(partition)
                + " AND feature = "
                + literal(feature));
    if (drift.isEmpty()) {
      throw AssayException.invalid(
          "No feature_drift row for dataset '"
              + dataset
              + "', partition '"
              + partition
              + "', feature '"
              + feature
              + "'; run feature-drift on it first, or pick a feature from "
              + lake.table("feature_drift")
              + ".");
    }
    String kind = drift.get(0).getString(0);
    List<String> baseline = drift.get(0).isNullAt(1) ? List.of() : drift.get(0).getList(1);
    String profiles = lake.table("feature_profiles");
    String where = " WHERE dataset = " + literal(dataset) + " AND feature = " + literal(feature);
    String inBaseline =
        baseline.isEmpty()
            ? "false"
            : "partition IN ("
                + String.join(", ", baseline.stream().map(IntegrityLake::literal).toList())
                + ")";
    String side = "CASE WHEN partition = " + literal(partition) + " THEN 1 ELSE 0 END";
    String chosen = " AND (partition = " + literal(partition) + " OR " + inBaseline + ")";
    List<Row> counts =
        "numeric".equals(kind)
            ? lake.rows(
                "SELECT b.lower, b.upper, SUM(IF(current = 1, b.count, 0)), SUM(IF(current = 0, b.count, 0))"
                    + " FROM (SELECT "
                    + side
                    + " AS current, explode(bins) AS b FROM "
                    + profiles
                    + where
                    + chosen
                    + ")"
                    + " GROUP BY b.lower, b.upper ORDER BY b.lower")
            : lake.rows(
                "SELECT value, SUM(IF(current = 1, n, 0)) AS now, SUM(IF(current = 0, n, 0)) AS before FROM ("
                    + "SELECT "
                    + side
                    + " AS current, c.value AS value, c.count AS n FROM "
                    + profiles
                    + " LATERAL VIEW explode(categories) t AS c"
                    + where
                    + chosen
                    + " UNION ALL SELECT "
                    + side
                    + ", '(other)', other_count FROM "
                    + profiles
                    + where
                    + chosen
                    + ") GROUP BY value ORDER BY value = '(other)', before DESC, now DESC, value");
    List<Bin> bins = new ArrayList<>();
    for (Row row : counts) {
      bins.add(
          "numeric".equals(kind)
              ? new Bin(range(row.getDouble(0), row.getDouble(1)), row.getLong(2), row.getLong(3))
              : new Bin(
                  row.isNullAt(0) ? "(null)" : row.getString(0), row.getLong(1), row.getLong(2)));
    }
    Row missing =
        lake.rows(
                "SELECT coalesce(SUM(IF(current = 1, nulls, 0)), 0), coalesce(SUM(IF(current = 0, nulls, 0)),"
                    + " 0), coalesce(SUM(IF(current = 1, non_finite, 0)), 0), coalesce(SUM(IF(current = 0, non_finite, 0)), 0) FROM"
                    + " (SELECT "
                    + side
                    + " AS current, nulls, coalesce(non_finite, 0) AS non_finite FROM "
                    + profiles
                    + where
                    + chosen
                    + ")")
            .get(0);
    if (missing.getLong(0) + missing.getLong(1) > 0) {
      bins.add(new Bin("(null)", missing.getLong(0), missing.getLong(1)));
    }
    if (missing.getLong(2) + missing.getLong(3) > 0) {
      bins.add(new Bin("(NaN/Inf)", missing.getLong(2), missing.getLong(3)));
    }
    return new FeatureHistograms(
        dataset, partition, feature, kind, List.copyOf(baseline), List.copyOf(bins));
  }

  /** The bins' labels, in order. */
  public List<String> labels() {
    return bins.stream().map(Bin::label).toList();
  }

  /** Each bin's share of the partition's rows, in bin order (0 when the partition has no rows). */
  public List<Double> currentShares() {
    double rows = Math.max(1, currentRows());
    return bins.stream().map(bin -> bin.current() / rows).toList();
  }

  /** Each bin's share of the baseline's rows, in bin order (0 when there is no baseline). */
  public List<Double> baselineShares() {
    double rows = Math.max(1, baselineRows());
    return bins.stream().map(bin -> bin.baseline() / rows).toList();
  }

  private static String range(double lower, double upper) {
    if (Double.isInfinite(lower)) {
      return "< " + number(upper);
    }
    if (Double.isInfinite(upper)) {
      return ">= " + number(lower);
    }
    return number(lower) + "–" + number(upper);
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.format(java.util.Locale.ROOT, "%.4g", value);
  }
}
