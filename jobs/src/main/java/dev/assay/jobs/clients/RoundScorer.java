package dev.assay.jobs.clients;

import dev.assay.common.AssayException;
import dev.assay.common.config.ClientSettings;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.stats.Robust;
import dev.assay.common.verdict.Reasons;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores the clients of one round from their sums and histories, on the driver, in memory that
 * grows with clients x sketch dimension, never with the update dimension. docs/client-anomalies.md
 * gives the formulas.
 */
final class RoundScorer {
  /** Scale floors of the robust z-scores, so near-identical clients do not make noise look extreme. */
  static final double NORM_FLOOR = 0.05;
  static final double COSINE_FLOOR = 0.05;
  static final double LOG_KRUM_FLOOR = 0.1;
  static final double LOG_SYBIL_FLOOR = 0.25;
  static final double HISTORY_NORM_FLOOR = 0.1;
  static final double HISTORY_COSINE_FLOOR = 0.15;
  /** Marks a null client id in the pass, which is an input error. */
  static final String NULL_CLIENT = "\u0000null";
  /** Latest rounds whose spread of ln Multi-Krum calibrates krum_z (the window of docs/calibration.md). */
  static final int WINDOW = 14;

  private final DatasetConfig dataset;
  private final ClientSettings settings;
  /** The spread (MAD x 1.4826) of ln Multi-Krum in each of the latest scored rounds, oldest first. */
  private double[] krumSpreads;

  RoundScorer(DatasetConfig dataset) {
    this(dataset, new double[0]);
  }

  /** @param krumSpreads the spreads of ln Multi-Krum of the rounds before the first one to score */
  RoundScorer(DatasetConfig dataset, double[] krumSpreads) {
    this.dataset = dataset;
    this.settings = dataset.clientSettings();
    this.krumSpreads = krumSpreads.clone();
  }

  /** The spreads of ln Multi-Krum through the last round scored, for the history state. */
  double[] krumSpreads() {
    return krumSpreads.clone();
  }

  /** {@code values} with {@code value} appended, keeping the latest {@link #WINDOW}. */
  static double[] window(double[] values, double value) {
    int keep = Math.min(values.length, WINDOW - 1);
    double[] out = Arrays.copyOfRange(values, values.length - keep, values.length + 1);
    out[keep] = value;
    return out;
  }

  /** One client's whole-update sums. */
  record Update(String client, Partial sums, Map<String, Partial> layers) {}

  /**
   * Scores a round and advances the histories of its clients in {@code history}.
   *
   * @param medianSquares the squared norm of the round's coordinate-wise median, per layer
   */
  List<ClientScore> score(String round, Map<String, Partial> medianSquares, List<Update> updates,
      Map<String, ClientHistory> history) {
    long dim = validate(round, updates, history);
    int n = updates.size();
    boolean[] valid = new boolean[n];
    int validCount = 0;
    for (int i = 0; i < n; i++) {
      Partial s = updates.get(i).sums();
      valid[i] = s.nullUpdates == 0 && s.nonFinite == 0 && s.elements > 0;
      validCount += valid[i] ? 1 : 0;
    }
    boolean enough = validCount >= settings.minClients();
    double medianNorm = Math.sqrt(medianSquares.values().stream().mapToDouble(p -> p.medianSquares).sum());
    double[] norm = new double[n];
    double[] cosine = new double[n];
    double[] projection = new double[n];
    for (int i = 0; i < n; i++) {
      Partial s = updates.get(i).sums();
      norm[i] = valid[i] ? Math.sqrt(s.sumSquares) : Double.NaN;
      cosine[i] = valid[i] ? cosine(s.dot, norm[i], medianNorm) : Double.NaN;
      projection[i] = valid[i] && medianNorm > 0 ? s.dot / medianNorm : Double.NaN;
    }
    double medianOfNorms = Robust.median(norm);
    double[] normZ = enough ? Robust.z(norm, NORM_FLOOR * medianOfNorms) : nan(n);
    double[] cosineZ = enough ? Robust.z(cosine, COSINE_FLOOR) : nan(n);
    double[] projectionZ = enough ? Robust.z(projection, NORM_FLOOR * medianOfNorms) : nan(n);
    double[][] sketches = new double[n][];
    for (int i = 0; i < n; i++) {
      sketches[i] = valid[i] ? updates.get(i).sums().sketch : null;
    }
    double[][] krums = enough ? krum(sketches, validCount) : new double[][] {nan(n), nan(n)};
    double[] krum = krums[0];
    double[] flip = krums[1];
    // krum_z is scaled by the larger of this round's spread of ln Multi-Krum and the federation's typical
    // spread over its earlier rounds: a round whose clients happen to bunch together must not turn the
    // natural distance of a large non-IID client into a large score
    double[] logKrum = log(krum);
    double[] krumZ = nan(n);
    double[] roundKrumZ = nan(n);
    double roundSpread = enough ? Robust.sigma(logKrum) : Double.NaN;
    double typicalSpread = krumSpreads.length > 0 ? Robust.median(krumSpreads) : Double.NaN;
    String spreadText = null;
    if (Double.isFinite(roundSpread)) {
      double own = Math.max(roundSpread, LOG_KRUM_FLOOR);
      double scale = typicalSpread > own ? typicalSpread : own;
      if (typicalSpread > own) {
        spreadText = "ln Multi-Krum spread " + Reasons.number(typicalSpread) + ": the federation's median over "
            + krumSpreads.length + " earlier round(s), above this round's " + Reasons.number(roundSpread);
      }
      double center = Robust.median(logKrum);
      for (int i = 0; i < n; i++) {
        krumZ[i] = (logKrum[i] - center) / scale;
        roundKrumZ[i] = (logKrum[i] - center) / own;
      }
    }

    Map<String, ClientHistory> before = new HashMap<>();
    double[][] cumulative = new double[n][];
    for (int i = 0; i < n; i++) {
      String client = updates.get(i).client();
      ClientHistory past = history.get(client);
      if (past != null) {
        before.put(client, past.copy());
      }
      if (valid[i]) {
        ClientHistory next = past == null ? new ClientHistory(client, sketches[i].length) : past;
        add(next.sketch, sketches[i]);
        next.rounds++;
        next.dim = dim;
        history.put(client, next);
        cumulative[i] = next.sketch;
      }
    }
    double[] sybil = nan(n);
    int[] partner = new int[n];
    Arrays.fill(partner, -1);
    double[] cumulativeNorm = new double[n];
    for (int i = 0; i < n; i++) {
      cumulativeNorm[i] = cumulative[i] == null ? 0 : norm(cumulative[i]);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j && cumulative[i] != null && cumulative[j] != null) {
          double c = cosine(dot(cumulative[i], cumulative[j]), cumulativeNorm[i], cumulativeNorm[j]);
          if (Double.isNaN(sybil[i]) || c > sybil[i]) {
            sybil[i] = c;
            partner[i] = j;
          }
        }
      }
    }
    double[] sybilZ = nan(n);
    if (enough) {
      double[] closeness = new double[n];
      for (int i = 0; i < n; i++) {
        closeness[i] = -Math.log(Math.max(1 - sybil[i], 1e-12));
      }
      sybilZ = Robust.z(closeness, LOG_SYBIL_FLOOR);
    }

    List<ClientScore> scores = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Update update = updates.get(i);
      ClientHistory past = before.get(update.client());
      double historyNormZ = Double.NaN;
      double historyCosine = Double.NaN;
      double historyCosineZ = Double.NaN;
      if (valid[i] && past != null) {
        if (past.normCount >= settings.minHistory() && norm[i] > 0) {
          historyNormZ = (Math.log(norm[i]) - past.normMean) / Math.max(past.normStd(), HISTORY_NORM_FLOOR);
        }
        historyCosine = cosine(dot(sketches[i], past.sketch), norm(sketches[i]), norm(past.sketch));
        if (past.cosineCount >= settings.minHistory() && !Double.isNaN(historyCosine)) {
          historyCosineZ = (historyCosine - past.cosineMean) / Math.max(past.cosineStd(), HISTORY_COSINE_FLOOR);
        }
      }
      List<String> reasons = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      double score = Double.NaN;
      String subject = "client " + update.client();
      if (!valid[i]) {
        Partial s = update.sums();
        reasons.add(s.nullUpdates > 0 ? subject + " sent a null update"
            : s.elements == 0 ? subject + " sent an empty update"
            : subject + " sent " + s.nonFinite + " NaN, Infinity or null value(s)");
      } else {
        score = 0;
        score = Math.max(score, test(reasons, subject, "norm_z", normZ[i], settings.normZ(), ">="));
        score = Math.max(score, test(reasons, subject, "cosine_z", -cosineZ[i], settings.cosineZ(), "<= -"));
        score = Math.max(score, test(reasons, subject, "projection_z", -projectionZ[i], settings.projectionZ(), "<= -"));
        // a flipped update also points against the median; without that, a high flip score is noise
        double flipped = cosine[i] < 0 ? flip[i] : Math.min(flip[i], 0);
        score = Math.max(score, test(reasons, subject, "flip_score", flipped, settings.flipScore(), ">="));
        int krumAt = reasons.size();
        score = Math.max(score, test(reasons, subject, "krum_z", krumZ[i], settings.krumZ(), ">="));
        if (spreadText != null && reasons.size() > krumAt) {
          reasons.set(krumAt, reasons.get(krumAt) + " (" + spreadText + ")");
        } else if (spreadText != null && roundKrumZ[i] >= settings.krumZ()) {
          notes.add(subject + " krum_z " + Reasons.number(krumZ[i]) + " < " + Reasons.number(settings.krumZ()) + " ("
              + spreadText + "; " + Reasons.number(roundKrumZ[i]) + " on this round's)");
        }
        double sybilRatio = Math.min(sybil[i] / settings.sybilCosine(), sybilZ[i] / settings.sybilZ());
        if (sybilRatio >= 1) {
          reasons.add(String.format(Locale.ROOT, "%s sybil_score %s >= %s with client %s (sybil_z %s >= %s)",
              subject, Reasons.number(sybil[i]), Reasons.number(settings.sybilCosine()),
              updates.get(partner[i]).client(), Reasons.number(sybilZ[i]), Reasons.number(settings.sybilZ())));
        }
        score = Math.max(score, Double.isNaN(sybilRatio) ? 0 : sybilRatio);
        score = Math.max(score, test(reasons, subject, "history_norm_z", historyNormZ, settings.historyZ(), ">="));
        score = Math.max(score,
            test(reasons, subject, "history_cosine_z", -historyCosineZ, settings.historyZ(), "<= -"));
      }
      boolean flagged = !reasons.isEmpty();
      if (valid[i] && !flagged) {
        ClientHistory own = history.get(update.client());
        if (norm[i] > 0) {
          own.addLogNorm(Math.log(norm[i]));
        }
        if (!Double.isNaN(historyCosine)) {
          own.addCosine(historyCosine);
        }
      }
      if (!enough) {
        notes.add(0, "round " + round + " has " + validCount + " scorable client(s); within-round"
            + " scores need min_clients " + settings.minClients());
      }
      String note = notes.isEmpty() ? null : String.join("; ", notes);
      String status = flagged ? "FAIL" : enough ? "OK" : "WARN";
      scores.add(new ClientScore(update.client(), null, update.sums().elements, norm[i], normZ[i], cosine[i],
          cosineZ[i], projection[i], projectionZ[i], ratio(update.sums().agree, update.sums().signed), krum[i], krumZ[i], flip[i], sybil[i],
          partner[i] < 0 ? null : updates.get(partner[i]).client(), sybilZ[i],
          past == null ? 0 : past.rounds, historyNormZ, historyCosine, historyCosineZ,
          update.sums().nonFinite + update.sums().nullUpdates, score, flagged, reasons, status, note));
    }
    if (settings.perLayer()) {
      scores.addAll(layerScores(medianSquares, updates, valid, enough));
    }
    if (Double.isFinite(roundSpread)) {
      krumSpreads = window(krumSpreads, roundSpread);
    }
    return scores;
  }

  /** Per-layer norm and cosine scores, judged like the whole update's. */
  private List<ClientScore> layerScores(Map<String, Partial> medianSquares, List<Update> updates, boolean[] valid,
      boolean enough) {
    List<ClientScore> scores = new ArrayList<>();
    int n = updates.size();
    for (String layer : new java.util.TreeSet<>(medianSquares.keySet())) {
      double medianNorm = Math.sqrt(medianSquares.get(layer).medianSquares);
      double[] norm = nan(n);
      double[] cosine = nan(n);
      for (int i = 0; i < n; i++) {
        Partial s = updates.get(i).layers().get(layer);
        if (valid[i] && s != null) {
          norm[i] = Math.sqrt(s.sumSquares);
          cosine[i] = cosine(s.dot, norm[i], medianNorm);
        }
      }
      double[] normZ = enough ? Robust.z(norm, NORM_FLOOR * Robust.median(norm)) : nan(n);
      double[] cosineZ = enough ? Robust.z(cosine, COSINE_FLOOR) : nan(n);
      for (int i = 0; i < n; i++) {
        Partial s = updates.get(i).layers().get(layer);
        if (!valid[i] || s == null) {
          continue;
        }
        List<String> reasons = new ArrayList<>();
        String subject = "client " + updates.get(i).client() + " layer " + layer;
        double score = Math.max(test(reasons, subject, "norm_z", normZ[i], settings.normZ(), ">="),
            test(reasons, subject, "cosine_z", -cosineZ[i], settings.cosineZ(), "<= -"));
        boolean flagged = !reasons.isEmpty();
        scores.add(new ClientScore(updates.get(i).client(), layer, s.elements, norm[i], normZ[i], cosine[i],
            cosineZ[i], Double.NaN, Double.NaN, ratio(s.agree, s.signed), Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN, 0,
            Double.NaN, Double.NaN, Double.NaN, s.nonFinite, score, flagged, reasons,
            flagged ? "FAIL" : enough ? "OK" : "WARN", null));
      }
    }
    return scores;
  }

  /** Adds a reason when {@code value} reaches {@code threshold}; returns value / threshold (0 for NaN). */
  private static double test(List<String> reasons, String subject, String metric, double value, double threshold,
      String comparison) {
    if (Double.isNaN(value)) {
      return 0;
    }
    if (value >= threshold) {
      boolean negated = comparison.startsWith("<=");
      reasons.add(subject + " " + metric + " " + Reasons.number(negated ? -value : value) + " " + comparison
          + (negated ? "" : " ") + Reasons.number(threshold));
    }
    return Math.max(0, value / threshold);
  }

  /**
   * Multi-Krum scores: per client, the sum of squared distances to the n - f - 2 nearest other
   * clients (row 0), and the flip score (row 1): the log of the ratio of that sum to the same sum for
   * the negated update, positive when the negated update sits closer to the others.
   */
  double[][] krum(double[][] sketches, int validCount) {
    int n = sketches.length;
    int f = (int) Math.floor(settings.byzantineFraction() * validCount);
    if (validCount < 2 * f + 3) {
      f = Math.max(0, (validCount - 3) / 2);
    }
    int nearest = validCount - f - 2;
    double[][] scores = {nan(n), nan(n)};
    if (nearest < 1) {
      return scores;
    }
    double[][] gram = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        if (sketches[i] != null && sketches[j] != null) {
          gram[i][j] = dot(sketches[i], sketches[j]);
          gram[j][i] = gram[i][j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (sketches[i] == null) {
        continue;
      }
      double[] plain = new double[validCount - 1];
      double[] reflected = new double[validCount - 1];
      int k = 0;
      for (int j = 0; j < n; j++) {
        if (j != i && sketches[j] != null) {
          plain[k] = Math.max(0, gram[i][i] + gram[j][j] - 2 * gram[i][j]);
          reflected[k++] = Math.max(0, gram[i][i] + gram[j][j] + 2 * gram[i][j]);
        }
      }
      scores[0][i] = smallestSum(plain, nearest);
      double negated = smallestSum(reflected, nearest);
      scores[1][i] = scores[0][i] > 0 && negated > 0 ? Math.log(scores[0][i] / negated) : Double.NaN;
    }
    return scores;
  }

  private static double smallestSum(double[] values, int count) {
    Arrays.sort(values);
    double sum = 0;
    for (int j = 0; j < count; j++) {
      sum += values[j];
    }
    return sum;
  }

  /** Checks ids, duplicates and dimensions; returns the round's update dimension. */
  private long validate(String round, List<Update> updates, Map<String, ClientHistory> history) {
    String where = dataset.table() + " " + dataset.partitionColumn() + "=" + round;
    Map<Long, Integer> dims = new HashMap<>();
    for (Update update : updates) {
      if (update.client().equals(NULL_CLIENT)) {
        throw AssayException.invalid("Cannot score " + where + ": some rows have a null "
            + settings.clientColumn() + ". Every update needs its client id; fix or drop those rows.");
      }
      if (update.sums().duplicates > 0) {
        throw AssayException.invalid("Cannot score " + where + ": client " + update.client() + " appears more"
            + " than once" + (settings.chunked() ? " for the same layer and chunk" : "") + ". Each client sends"
            + " one update per round; deduplicate the rows (keep the client's last write).");
      }
      if (update.sums().nullUpdates == 0 && update.sums().elements > 0) {
        dims.merge(update.sums().elements, 1, Integer::sum);
      }
    }
    long dim = dims.entrySet().stream().max(Map.Entry.<Long, Integer>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0L);
    List<String> odd = new ArrayList<>();
    for (Update update : updates) {
      long elements = update.sums().elements;
      if (update.sums().nullUpdates == 0 && elements != dim) {
        odd.add(update.client() + " (" + elements + ")");
      }
      ClientHistory past = history.get(update.client());
      if (past != null && past.dim != dim && elements == dim && dim > 0) {
        throw AssayException.invalid("Cannot score " + where + ": its updates have " + dim + " values, but"
            + " client " + update.client() + "'s earlier updates had " + past.dim + ". Histories compare"
            + " updates of one model; when the model changes, monitor it as a new dataset.");
      }
    }
    if (!odd.isEmpty()) {
      throw AssayException.invalid("Cannot score " + where + ": updates differ in size; most have " + dim
          + " values, but " + String.join(", ", odd.subList(0, Math.min(5, odd.size())))
          + (odd.size() > 5 ? " and " + (odd.size() - 5) + " more" : "") + ". Every client of a round must send"
          + " a full update of the same model" + (settings.chunked() ? " (check for missing chunks)" : "") + ".");
    }
    return dim;
  }

  static double cosine(double dot, double normA, double normB) {
    return normA > 0 && normB > 0 ? Math.max(-1, Math.min(1, dot / (normA * normB))) : Double.NaN;
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void add(double[] into, double[] values) {
    for (int i = 0; i < into.length; i++) {
      into[i] += values[i];
    }
  }

  private static double[] log(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] > 0 ? Math.log(values[i]) : Double.NaN;
    }
    return out;
  }

  private static double ratio(long part, long whole) {
    return whole > 0 ? (double) part / whole : Double.NaN;
  }

  private static double[] nan(int n) {
    double[] values = new double[n];
    Arrays.fill(values, Double.NaN);
    return values;
  }
}
