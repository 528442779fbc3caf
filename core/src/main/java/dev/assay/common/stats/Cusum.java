package dev.assay.common.stats;

import java.util.Arrays;

/**
 * Page's cumulative sum (CUSUM) of a share against a long-term anchor. Slow poisoning moves a share
 * a little more each partition; against a trailing baseline that moves with it no single step looks
 * large, but the standardised changes since the anchor add up.
 *
 * <p>For the partitions k = 1, 2, ... after the anchor, in partition order, {@code z_k = (p_k -
 * p_A) / sigma_k}: p_A is the anchor's pooled share, and {@code sigma_k = max(natural,
 * binomial_k)}. {@code natural} is the robust spread ({@link Robust#sigma}) of the anchor
 * partitions' leave-one-out deviations (each partition's share minus the pooled share of the other
 * anchor partitions): what the table does on its own. {@code binomial_k = sqrt(p_A (1 - p_A) (1/n_k
 * + 1/n_A))} is the sampling noise of the difference at the partition's size; it floors a spread
 * that a few anchor partitions underestimate. Two one-sided statistics follow the share up and
 * down:
 *
 * <pre>
 *   S_k = max(0, S_{k-1} + z_k - K_k),   T_k = max(0, T_{k-1} - z_k - K_k),   S_0 = T_0 = 0
 *   K_k = K_REF + e_A / sigma_k,          e_A = max(sqrt(p_A (1 - p_A) / n_A), natural / sqrt(m))
 * </pre>
 *
 * and either reaching {@link #H} is an alarm. {@code K_REF} = {@value #K_REF} is tuned to a
 * sustained shift of one sigma. The allowance {@code e_A / sigma_k} (about 1/sqrt(m) for m anchor
 * partitions) is the anchor's own estimation error: unlike sampling noise it is the same in every
 * z_k, so without the allowance it would add up like a real drift. On binomial shares with a
 * 7-partition anchor it cuts the false alarms within 100 partitions from 35% to 7% at H = 5, and
 * catches a share that moves 0.4 sigma more each partition after about 8 partitions instead of 7
 * (docs/label-integrity.md has the measured table). A share that drifts by d sigma per partition
 * alarms after about sqrt(2H/d) partitions.
 */
public final class Cusum {
  /** Reference value: the half of a one-sigma shift that each step must exceed to accumulate. */
  public static final double K_REF = 0.5;

  /**
   * Decision interval: a statistic at or above it is an alarm (docs/label-integrity.md says why 5).
   */
  public static final double H = 5.0;

  private Cusum() {}

  /**
   * One side's statistic after a sequence.
   *
   * @param statistic the last S
   * @param run how many steps S has been above zero without a break (0 when S is 0): the steps over
   *     which the change accumulated
   */
  public record Side(double statistic, int run) {
    public boolean alarm() {
      return statistic >= H;
    }
  }

  /** Both sides after a sequence: {@code up} follows a rising share, {@code down} a falling one. */
  public record Track(Side up, Side down) {
    /** The larger side (up on a tie). */
    public Side worst() {
      return down.statistic() > up.statistic() ? down : up;
    }
  }

  /** The upper CUSUM after each step: {@code S_k = max(0, S_{k-1} + z_k - reference_k)}. */
  public static double[] path(double[] z, double[] reference) {
    check(z, reference);
    double[] path = new double[z.length];
    double s = 0;
    for (int k = 0; k < z.length; k++) {
      s = Math.max(0, s + z[k] - reference[k]);
      path[k] = s;
    }
    return path;
  }

  /** The upper CUSUM of {@code z} after its last step, and its run. */
  public static Side upper(double[] z, double[] reference) {
    check(z, reference);
    double s = 0;
    int run = 0;
    for (int k = 0; k < z.length; k++) {
      s = Math.max(0, s + z[k] - reference[k]);
      run = s > 0 ? run + 1 : 0;
    }
    return new Side(s, run);
  }

  /**
   * The lower CUSUM, {@code T_k = max(0, T_{k-1} - z_k - reference_k)}: the upper one of {@code
   * -z}.
   */
  public static Side lower(double[] z, double[] reference) {
    return upper(Arrays.stream(z).map(v -> -v).toArray(), reference);
  }

  /** A constant reference for every step. */
  public static double[] constant(double reference, int steps) {
    double[] out = new double[steps];
    Arrays.fill(out, reference);
    return out;
  }

  private static void check(double[] z, double[] reference) {
    if (z.length != reference.length) {
      throw new IllegalArgumentException(
          "Invalid CUSUM input: " + z.length + " values for " + reference.length + " references");
    }
  }

  /**
   * A share's anchor: its pooled value over the anchor partitions and their natural spread.
   *
   * @param share pooled share p_A = sum of hits / sum of rows
   * @param natural robust spread of the leave-one-out deviations; NaN with fewer than {@value
   *     NaturalRange#MIN_SAMPLES} anchor partitions (then the binomial floor alone scales)
   * @param rows n_A, the anchor's rows
   * @param partitions m, the anchor partitions with rows
   */
  public record Anchor(double share, double natural, long rows, int partitions) {

    /**
     * @param hits per anchor partition, its rows of the class
     * @param totals per anchor partition, its rows (partitions with none are left out)
     */
    public static Anchor of(long[] hits, long[] totals) {
      if (hits.length != totals.length) {
        throw new IllegalArgumentException(
            "Invalid anchor: " + hits.length + " hit counts for " + totals.length + " partitions");
      }
      long allHits = 0;
      long allRows = 0;
      int partitions = 0;
      for (int i = 0; i < hits.length; i++) {
        if (hits[i] < 0 || hits[i] > totals[i]) {
          throw new IllegalArgumentException(
              "Invalid anchor partition " + i + ": " + hits[i] + " hits of " + totals[i] + " rows");
        }
        allHits += hits[i];
        allRows += totals[i];
        partitions += totals[i] > 0 ? 1 : 0;
      }
      if (allRows == 0) {
        throw new IllegalArgumentException("Invalid anchor: it has no rows");
      }
      double natural = Double.NaN;
      if (partitions >= NaturalRange.MIN_SAMPLES) {
        double[] deviations = new double[partitions];
        int d = 0;
        for (int i = 0; i < hits.length; i++) {
          if (totals[i] > 0) {
            deviations[d++] =
                (double) hits[i] / totals[i] - (double) (allHits - hits[i]) / (allRows - totals[i]);
          }
        }
        natural = Robust.sigma(deviations);
      }
      return new Anchor((double) allHits / allRows, natural, allRows, partitions);
    }

    /**
     * The binomial standard error of a partition's share minus the anchor's at {@code rows} rows.
     * The share is kept half a row inside (0, 1), so a class the anchor always (or never) had still
     * has noise.
     */
    public double binomial(long rows) {
      double p = clamped();
      return Math.sqrt(p * (1 - p) * (1.0 / rows + 1.0 / this.rows));
    }

    /**
     * The scale of a partition of {@code rows} rows: the natural spread, floored by the binomial
     * error.
     */
    public double sigma(long rows) {
      double binomial = binomial(rows);
      return Double.isNaN(natural) ? binomial : Math.max(natural, binomial);
    }

    /**
     * e_A: the standard error of the anchor's own share, from its rows or its partitions' spread.
     */
    public double error() {
      double p = clamped();
      double sampling = Math.sqrt(p * (1 - p) / rows);
      return Double.isNaN(natural) ? sampling : Math.max(sampling, natural / Math.sqrt(partitions));
    }

    /**
     * K_k for a partition of {@code rows} rows: K_REF plus the anchor's error in units of sigma_k.
     */
    public double reference(long rows) {
      return K_REF + error() / sigma(rows);
    }

    /** A partition's standardised change from the anchor: (hits/rows - share) / sigma(rows). */
    public double z(long hits, long rows) {
      if (rows <= 0 || hits < 0 || hits > rows) {
        throw new IllegalArgumentException(
            "Invalid partition: " + hits + " hits of " + rows + " rows");
      }
      return ((double) hits / rows - share) / sigma(rows);
    }

    /** Both CUSUMs over a sequence of partitions (hits and rows of each, in partition order). */
    public Track track(long[] hits, long[] totals) {
      if (hits.length != totals.length) {
        throw new IllegalArgumentException(
            "Invalid sequence: "
                + hits.length
                + " hit counts for "
                + totals.length
                + " partitions");
      }
      double[] z = new double[hits.length];
      double[] reference = new double[hits.length];
      for (int k = 0; k < z.length; k++) {
        z[k] = z(hits[k], totals[k]);
        reference[k] = reference(totals[k]);
      }
      return new Track(upper(z, reference), lower(z, reference));
    }

    private double clamped() {
      return Math.min(Math.max(share, 0.5 / rows), 1 - 0.5 / rows);
    }
  }
}
