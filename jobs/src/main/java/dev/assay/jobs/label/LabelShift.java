package dev.assay.jobs.label;

import dev.assay.common.stats.Divergences;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A label distribution against its baseline over the union of their classes: PSI, Jensen-Shannon
 * distance, the chi-square homogeneity p-value and the largest change of one class's share.
 *
 * @param maxShareDelta the largest |share now − share in the baseline| over classes
 * @param maxShareLabel the class with that change
 * @param newLabels classes absent from the baseline
 * @param newShare the share of the current rows whose class the baseline never had, plus the
 *     baseline share of classes that vanished: a change no natural variation makes
 * @param chi2 Pearson's X² of homogeneity, with {@code df} degrees of freedom
 */
record LabelShift(
    double psi,
    double jsDistance,
    double chi2PValue,
    double maxShareDelta,
    String maxShareLabel,
    double share,
    double baselineShare,
    List<String> newLabels,
    double newShare,
    double chi2,
    double df) {

  /**
   * X² per degree of freedom (see {@link Divergences#chiSquarePerDfQuantile} for its spread under
   * sampling alone).
   */
  double chi2PerDf() {
    return df == 0 ? Double.NaN : chi2 / df;
  }

  /** The p-value with X² divided by the table's overdispersion (1: sampling alone). */
  double pValue(double dispersion) {
    return Divergences.chiSquarePValue(chi2, df, dispersion);
  }

  static LabelShift of(Map<String, Long> current, Map<String, Long> baseline) {
    TreeSet<String> labels = new TreeSet<>(current.keySet());
    labels.addAll(baseline.keySet());
    long[] c = new long[labels.size()];
    long[] b = new long[labels.size()];
    int i = 0;
    long currentTotal = 0;
    long baselineTotal = 0;
    for (String label : labels) {
      c[i] = current.getOrDefault(label, 0L);
      b[i] = baseline.getOrDefault(label, 0L);
      currentTotal += c[i];
      baselineTotal += b[i];
      i++;
    }
    double maxDelta = -1;
    String maxLabel = null;
    double share = 0;
    double baselineShare = 0;
    List<String> newLabels = new ArrayList<>();
    double newShare = 0;
    i = 0;
    for (String label : labels) {
      double now = (double) c[i] / currentTotal;
      double before = (double) b[i] / baselineTotal;
      if (Math.abs(now - before) > maxDelta) {
        maxDelta = Math.abs(now - before);
        maxLabel = label;
        share = now;
        baselineShare = before;
      }
      if (b[i] == 0) {
        newLabels.add(label);
        newShare += now;
      }
      if (c[i] == 0) {
        newShare += before;
      }
      i++;
    }
    double[] chi2 = Divergences.chiSquare(b, c);
    return new LabelShift(
        Divergences.psi(b, c),
        Divergences.jsDistance(b, c),
        Divergences.chiSquarePValue(b, c),
        maxDelta,
        maxLabel,
        share,
        baselineShare,
        newLabels,
        newShare,
        chi2[0],
        chi2[1]);
  }
}
