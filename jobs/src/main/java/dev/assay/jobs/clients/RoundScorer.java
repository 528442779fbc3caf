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
  /**
   * Scale floors of the robust z-scores, so near-identical clients do not make noise look extreme.
   */
  static final double NORM_FLOOR = 0.05;

  static final double COSINE_FLOOR = 0.05;
  static final double LOG_KRUM_FLOOR = 0.1;
  static final double LOG_SYBIL_FLOOR = 0.25;
  static final double HISTORY_NORM_FLOOR = 0.1;
  static final double HISTORY_COSINE_FLOOR = 0.15;

  /** Marks a null client id in the pass, which is an input error. */
  static final String NULL_CLIENT = "\u0000null";

  /**
   * Latest rounds whose spread of ln Multi-Krum calibrates krum_z (the window of
   * docs/calibration.md).
   */
  static final int WINDOW = 14;

  private final DatasetConfig dataset;
  private final ClientSettings settings;

  /**
   * The spread (MAD x 1.4826) of ln Multi-Krum in each of the latest scored rounds, oldest first.
   */
  private double[] krumSpreads;

  RoundScorer(DatasetConfig dataset) {
    this(dataset, new double[0]);
  }

  /**
   * @param krumSpreads the spreads of ln Multi-Krum of the rounds before the first one to score
   */
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

  /** The scores of one round, and every client's history after it. */
  record Scored(List<ClientScore> scores, Map<String, ClientHistory> history) {}

  /** The krum_z of each client, and what scaled it. */
  record KrumZ(double[] z, double[] roundZ, double roundSpread, String spreadText) {
    static KrumZ none(int n) {
      return new KrumZ(nan(n), nan(n), Double.NaN, null);
    }
  }

  /** Each client's closest other client by cumulative direction (FoolsGold), and that cosine. */
  record Sybil(double[] cosine, int[] partner) {}

  /**
   * One client's scores against its own past: log-norm z, cosine to its past direction and its z.
   */
  record HistoryScores(double normZ, double cosine, double cosineZ) {
    static final HistoryScores NONE = new HistoryScores(Double.NaN, Double.NaN, Double.NaN);
  }

  /** One scorable client's signals in one round, before they are judged against the thresholds. */
  record Signals(
      double normZ,
      double cosine,
      double cosineZ,
      double projectionZ,
      double flip,
      double krumZ,
      double roundKrumZ,
      double sybil,
      String sybilPartner,
      double sybilZ,
      HistoryScores history) {}

  /** The reasons, notes and overall score of one client's signals. */
  record Judged(List<String> reasons, List<String> notes, double score) {}

  /**
   * Scores a round. {@code history} is not changed; the histories after the round are returned.
   *
   * @param medianSquares the squared norm of the round's coordinate-wise median, per layer
   */
  Scored score(
      String round,
      Map<String, Partial> medianSquares,
      List<Update> updates,
      Map<String, ClientHistory> history) {
    long dim = validate(round, updates, history);
    int n = updates.size();
    boolean[] valid = scorable(updates);
    int validCount = count(valid);
    boolean enough = validCount >= settings.minClients();
    double medianNorm = medianNorm(medianSquares);
    double[] norm = norms(updates, valid);
    double[] cosine = cosinesToMedian(updates, norm, medianNorm);
    double[] projection = projections(updates, valid, medianNorm);
    double medianOfNorms = Robust.median(norm);
    double[] normZ = enough ? Robust.z(norm, NORM_FLOOR * medianOfNorms) : nan(n);
    double[] cosineZ = enough ? Robust.z(cosine, COSINE_FLOOR) : nan(n);
    double[] projectionZ = enough ? Robust.z(projection, NORM_FLOOR * medianOfNorms) : nan(n);
    double[][] sketches = sketches(updates, valid);
    double[][] krums =
        enough
            ? krum(sketches, validCount, settings.byzantineFraction())
            : new double[][] {nan(n), nan(n)};
    double[] krum = krums[0];
    double[] flip = krums[1];
    KrumZ krumZ = enough ? krumZ(krum, krumSpreads) : KrumZ.none(n);
    Map<String, ClientHistory> next = accumulate(history, updates, sketches, dim);
    Sybil sybil = sybil(cumulative(next, updates, valid));
    double[] sybilZ = enough ? sybilZ(sybil.cosine()) : nan(n);

    List<ClientScore> scores = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Update update = updates.get(i);
      Partial s = update.sums();
      ClientHistory past = history.get(update.client());
      HistoryScores own =
          valid[i] && past != null
              ? historyScores(sketches[i], norm[i], past, settings.minHistory())
              : HistoryScores.NONE;
      int partner = sybil.partner()[i];
      String partnerId = partner < 0 ? null : updates.get(partner).client();
      String subject = "client " + update.client();
      Judged judged;
      if (valid[i]) {
        judged =
            judge(
                subject,
                new Signals(
                    normZ[i],
                    cosine[i],
                    cosineZ[i],
                    projectionZ[i],
                    flip[i],
                    krumZ.z()[i],
                    krumZ.roundZ()[i],
                    sybil.cosine()[i],
                    partnerId,
                    sybilZ[i],
                    own),
                krumZ.spreadText());
      } else {
        judged =
            new Judged(
                new ArrayList<>(List.of(invalidReason(subject, s))), new ArrayList<>(), Double.NaN);
      }
      boolean flagged = !judged.reasons().isEmpty();
      if (valid[i] && !flagged) {
        next.put(update.client(), withBaseline(next.get(update.client()), norm[i], own.cosine()));
      }
      List<String> notes = judged.notes();
      if (!enough) {
        notes.add(
            0,
            "round "
                + round
                + " has "
                + validCount
                + " scorable client(s); within-round"
                + " scores need min_clients "
                + settings.minClients());
      }
      String note = notes.isEmpty() ? null : String.join("; ", notes);
      String status = flagged ? "FAIL" : enough ? "OK" : "WARN";
      scores.add(
          new ClientScore(
              update.client(),
              null,
              s.elements,
              norm[i],
              normZ[i],
              cosine[i],
              cosineZ[i],
              projection[i],
              projectionZ[i],
              signAgreement(s),
              krum[i],
              krumZ.z()[i],
              flip[i],
              sybil.cosine()[i],
              partnerId,
              sybilZ[i],
              past == null ? 0 : past.rounds,
              own.normZ(),
              own.cosine(),
              own.cosineZ(),
              s.nonFinite + s.nullUpdates,
              judged.score(),
              flagged,
              judged.reasons(),
              status,
              note));
    }
    if (settings.perLayer()) {
      scores.addAll(layerScores(medianSquares, updates, valid, enough));
    }
    if (Double.isFinite(krumZ.roundSpread())) {
      krumSpreads = window(krumSpreads, krumZ.roundSpread());
    }
    return new Scored(scores, next);
  }

  /**
   * Judges one scorable client's signals: each test that fires adds a reason; the score is the
   * largest ratio.
   */
  Judged judge(String subject, Signals s, String spreadText) {
    List<String> reasons = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    double score = 0;
    score = Math.max(score, test(reasons, subject, "norm_z", s.normZ(), settings.normZ(), ">="));
    score =
        Math.max(
            score, test(reasons, subject, "cosine_z", -s.cosineZ(), settings.cosineZ(), "<= -"));
    score =
        Math.max(
            score,
            test(
                reasons,
                subject,
                "projection_z",
                -s.projectionZ(),
                settings.projectionZ(),
                "<= -"));
    score =
        Math.max(
            score,
            test(
                reasons,
                subject,
                "flip_score",
                flipEvidence(s.cosine(), s.flip()),
                settings.flipScore(),
                ">="));
    int krumAt = reasons.size();
    score = Math.max(score, test(reasons, subject, "krum_z", s.krumZ(), settings.krumZ(), ">="));
    if (spreadText != null && reasons.size() > krumAt) {
      reasons.set(krumAt, reasons.get(krumAt) + " (" + spreadText + ")");
    } else if (spreadText != null && s.roundKrumZ() >= settings.krumZ()) {
      notes.add(
          subject
              + " krum_z "
              + Reasons.number(s.krumZ())
              + " < "
              + Reasons.number(settings.krumZ())
              + " ("
              + spreadText
              + "; "
              + Reasons.number(s.roundKrumZ())
              + " on this round's)");
    }
    double sybilRatio =
        Math.min(s.sybil() / settings.sybilCosine(), s.sybilZ() / settings.sybilZ());
    if (sybilRatio >= 1) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "%s sybil_score %s >= %s with client %s (sybil_z %s >= %s)",
              subject,
              Reasons.number(s.sybil()),
              Reasons.number(settings.sybilCosine()),
              s.sybilPartner(),
              Reasons.number(s.sybilZ()),
              Reasons.number(settings.sybilZ())));
    }
    score = Math.max(score, Double.isNaN(sybilRatio) ? 0 : sybilRatio);
    score =
        Math.max(
            score,
            test(
                reasons,
                subject,
                "history_norm_z",
                s.history().normZ(),
                settings.historyZ(),
                ">="));
    score =
        Math.max(
            score,
            test(
                reasons,
                subject,
                "history_cosine_z",
                -s.history().cosineZ(),
                settings.historyZ(),
                "<= -"));
    return new Judged(reasons, notes, score);
  }

  /** Why an update cannot be scored. */
  static String invalidReason(String subject, Partial s) {
    return s.nullUpdates > 0
        ? subject + " sent a null update"
        : s.elements == 0
            ? subject + " sent an empty update"
            : subject + " sent " + s.nonFinite + " NaN, Infinity or null value(s)";
  }

  /** Whether each update can be scored: not null, not empty, all values finite. */
  static boolean[] scorable(List<Update> updates) {
    boolean[] valid = new boolean[updates.size()];
    for (int i = 0; i < valid.length; i++) {
      Partial s = updates.get(i).sums();
      valid[i] = s.nullUpdates == 0 && s.nonFinite == 0 && s.elements > 0;
    }
    return valid;
  }

  /** The norm of the round's coordinate-wise median, over all layers. */
  static double medianNorm(Map<String, Partial> medianSquares) {
    return Math.sqrt(medianSquares.values().stream().mapToDouble(p -> p.medianSquares).sum());
  }

  /** The norm of each scorable update; NaN for the others. */
  static double[] norms(List<Update> updates, boolean[] valid) {
    double[] norm = nan(updates.size());
    for (int i = 0; i < norm.length; i++) {
      if (valid[i]) {
        norm[i] = Math.sqrt(updates.get(i).sums().sumSquares);
      }
    }
    return norm;
  }

  /** The cosine of each update to the median (NaN where the update's norm is NaN). */
  static double[] cosinesToMedian(List<Update> updates, double[] norm, double medianNorm) {
    double[] cosine = new double[updates.size()];
    for (int i = 0; i < cosine.length; i++) {
      cosine[i] = cosine(updates.get(i).sums().dot, norm[i], medianNorm);
    }
    return cosine;
  }

  /**
   * The length of each scorable update along the median's direction; NaN when the median is zero.
   */
  static double[] projections(List<Update> updates, boolean[] valid, double medianNorm) {
    double[] projection = nan(updates.size());
    for (int i = 0; i < projection.length; i++) {
      if (valid[i] && medianNorm > 0) {
        projection[i] = updates.get(i).sums().dot / medianNorm;
      }
    }
    return projection;
  }

  /**
   * The share of coordinates whose sign agrees with the median's, among those where the median is
   * not 0.
   */
  static double signAgreement(Partial sums) {
    return ratio(sums.agree, sums.signed);
  }

  /** The sketch of each scorable update; null for the others. */
  static double[][] sketches(List<Update> updates, boolean[] valid) {
    double[][] sketches = new double[valid.length][];
    for (int i = 0; i < valid.length; i++) {
      sketches[i] = valid[i] ? updates.get(i).sums().sketch : null;
    }
    return sketches;
  }

  /**
   * The flip score as evidence: a flipped update also points against the median, so without a
   * negative cosine a high flip score is noise and counts as at most 0.
   */
  static double flipEvidence(double cosine, double flip) {
    return cosine < 0 ? flip : Math.min(flip, 0);
  }

  /**
   * krum_z: ln Multi-Krum centred on its median and scaled by the larger of this round's spread and
   * the federation's typical spread over {@code earlierSpreads}, so a round whose clients happen to
   * bunch together does not turn the natural distance of a large non-IID client into a large score.
   * roundZ is scaled by this round's spread alone, for the note when only the typical spread hides
   * a client.
   */
  static KrumZ krumZ(double[] krum, double[] earlierSpreads) {
    int n = krum.length;
    double[] logKrum = log(krum);
    double roundSpread = Robust.sigma(logKrum);
    if (!Double.isFinite(roundSpread)) {
      return new KrumZ(nan(n), nan(n), roundSpread, null);
    }
    double typicalSpread = earlierSpreads.length > 0 ? Robust.median(earlierSpreads) : Double.NaN;
    double own = Math.max(roundSpread, LOG_KRUM_FLOOR);
    String spreadText = null;
    double scale = own;
    if (typicalSpread > own) {
      scale = typicalSpread;
      spreadText =
          "ln Multi-Krum spread "
              + Reasons.number(typicalSpread)
              + ": the federation's median over "
              + earlierSpreads.length
              + " earlier round(s), above this round's "
              + Reasons.number(roundSpread);
    }
    double center = Robust.median(logKrum);
    double[] z = new double[n];
    double[] roundZ = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = (logKrum[i] - center) / scale;
      roundZ[i] = (logKrum[i] - center) / own;
    }
    return new KrumZ(z, roundZ, roundSpread, spreadText);
  }

  /**
   * The histories after adding each scorable update's sketch to its client's running sum. {@code
   * history} is not changed: a changed client gets a new {@link ClientHistory}.
   */
  static Map<String, ClientHistory> accumulate(
      Map<String, ClientHistory> history, List<Update> updates, double[][] sketches, long dim) {
    Map<String, ClientHistory> next = new HashMap<>(history);
    for (int i = 0; i < sketches.length; i++) {
      if (sketches[i] == null) {
        continue;
      }
      String client = updates.get(i).client();
      ClientHistory past = history.get(client);
      ClientHistory advanced =
          past == null ? new ClientHistory(client, sketches[i].length) : past.copy();
      add(advanced.sketch, sketches[i]);
      advanced.rounds++;
      advanced.dim = dim;
      next.put(client, advanced);
    }
    return next;
  }

  /**
   * The running sketch sum of each scorable update's client in {@code history}; null for the
   * others.
   */
  static double[][] cumulative(
      Map<String, ClientHistory> history, List<Update> updates, boolean[] valid) {
    double[][] cumulative = new double[valid.length][];
    for (int i = 0; i < valid.length; i++) {
      cumulative[i] = valid[i] ? history.get(updates.get(i).client()).sketch : null;
    }
    return cumulative;
  }

  /**
   * Each client's largest cosine of cumulative sketches to another client's, and that client (-1 if
   * none).
   */
  static Sybil sybil(double[][] cumulative) {
    int n = cumulative.length;
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
          double c =
              cosine(dot(cumulative[i], cumulative[j]), cumulativeNorm[i], cumulativeNorm[j]);
          if (Double.isNaN(sybil[i]) || c > sybil[i]) {
            sybil[i] = c;
            partner[i] = j;
          }
        }
      }
    }
    return new Sybil(sybil, partner);
  }

  /** sybil_z: the robust z of -ln(1 - sybil cosine), which spreads out cosines near 1. */
  static double[] sybilZ(double[] sybil) {
    double[] closeness = new double[sybil.length];
    for (int i = 0; i < sybil.length; i++) {
      closeness[i] = -Math.log(Math.max(1 - sybil[i], 1e-12));
    }
    return Robust.z(closeness, LOG_SYBIL_FLOOR);
  }

  /**
   * A client's scores against its own past: the z of its log norm, once it has {@code minHistory}
   * baseline norms, and the cosine of its sketch to its past running sum with that cosine's z.
   */
  static HistoryScores historyScores(
      double[] sketch, double norm, ClientHistory past, int minHistory) {
    double normZ = Double.NaN;
    if (past.normCount >= minHistory && norm > 0) {
      normZ = (Math.log(norm) - past.normMean) / Math.max(past.normStd(), HISTORY_NORM_FLOOR);
    }
    double cosine = cosine(dot(sketch, past.sketch), norm(sketch), norm(past.sketch));
    double cosineZ = Double.NaN;
    if (past.cosineCount >= minHistory && !Double.isNaN(cosine)) {
      cosineZ = (cosine - past.cosineMean) / Math.max(past.cosineStd(), HISTORY_COSINE_FLOOR);
    }
    return new HistoryScores(normZ, cosine, cosineZ);
  }

  /**
   * A copy of {@code history} whose baseline moments include an unflagged update's log norm and
   * cosine.
   */
  static ClientHistory withBaseline(ClientHistory history, double norm, double historyCosine) {
    ClientHistory next = history.copy();
    if (norm > 0) {
      next.addLogNorm(Math.log(norm));
    }
    if (!Double.isNaN(historyCosine)) {
      next.addCosine(historyCosine);
    }
    return next;
  }

  /** Per-layer norm and cosine scores, judged like the whole update's. */
  private List<ClientScore> layerScores(
      Map<String, Partial> medianSquares, List<Update> updates, boolean[] valid, boolean enough) {
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
        double score =
            Math.max(
                test(reasons, subject, "norm_z", normZ[i], settings.normZ(), ">="),
                test(reasons, subject, "cosine_z", -cosineZ[i], settings.cosineZ(), "<= -"));
        boolean flagged = !reasons.isEmpty();
        scores.add(
            new ClientScore(
                updates.get(i).client(),
                layer,
                s.elements,
                norm[i],
                normZ[i],
                cosine[i],
                cosineZ[i],
                Double.NaN,
                Double.NaN,
                signAgreement(s),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                null,
                Double.NaN,
                0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                s.nonFinite,
                score,
                flagged,
                reasons,
                flagged ? "FAIL" : enough ? "OK" : "WARN",
                null));
      }
    }
    return scores;
  }

  /**
   * Adds a reason when {@code value} reaches {@code threshold}; returns value / threshold (0 for
   * NaN).
   */
  private static double test(
      List<String> reasons,
      String subject,
      String metric,
      double value,
      double threshold,
      String comparison) {
    if (Double.isNaN(value)) {
      return 0;
    }
    if (value >= threshold) {
      boolean negated = comparison.startsWith("<=");
      reasons.add(
          subject
              + " "
              + metric
              + " "
              + Reasons.number(negated ? -value : value)
              + " "
              + comparison
              + (negated ? "" : " ")
              + Reasons.number(threshold));
    }
    return Math.max(0, value / threshold);
  }

  /**
   * Multi-Krum scores: per client, the sum of squared distances to the n - f - 2 nearest other
   * clients (row 0), and the flip score (row 1): the log of the ratio of that sum to the same sum
   * for the negated update, positive when the negated update sits closer to the others.
   */
  static double[][] krum(double[][] sketches, int validCount, double byzantineFraction) {
    int n = sketches.length;
    int f = (int) Math.floor(byzantineFraction * validCount);
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
      scores[1][i] =
          scores[0][i] > 0 && negated > 0 ? Math.log(scores[0][i] / negated) : Double.NaN;
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
        throw AssayException.invalid(
            "Cannot score "
                + where
                + ": some rows have a null "
                + settings.clientColumn()
                + ". Every update needs its client id; fix or drop those rows.");
      }
      if (update.sums().duplicates > 0) {
        throw AssayException.invalid(
            "Cannot score "
                + where
                + ": client "
                + update.client()
                + " appears more"
                + " than once"
                + (settings.chunked() ? " for the same layer and chunk" : "")
                + ". Each client sends"
                + " one update per round; deduplicate the rows (keep the client's last write).");
      }
      if (update.sums().nullUpdates == 0 && update.sums().elements > 0) {
        dims.merge(update.sums().elements, 1, Integer::sum);
      }
    }
    long dim =
        dims.entrySet().stream()
            .max(
                Map.Entry.<Long, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .orElse(0L);
    List<String> odd = new ArrayList<>();
    for (Update update : updates) {
      long elements = update.sums().elements;
      if (update.sums().nullUpdates == 0 && elements != dim) {
        odd.add(update.client() + " (" + elements + ")");
      }
      ClientHistory past = history.get(update.client());
      if (past != null && past.dim != dim && elements == dim && dim > 0) {
        throw AssayException.invalid(
            "Cannot score "
                + where
                + ": its updates have "
                + dim
                + " values, but"
                + " client "
                + update.client()
                + "'s earlier updates had "
                + past.dim
                + ". Histories compare"
                + " updates of one model; when the model changes, monitor it as a new dataset.");
      }
    }
    if (!odd.isEmpty()) {
      throw AssayException.invalid(
          "Cannot score "
              + where
              + ": updates differ in size; most have "
              + dim
              + " values, but "
              + String.join(", ", odd.subList(0, Math.min(5, odd.size())))
              + (odd.size() > 5 ? " and " + (odd.size() - 5) + " more" : "")
              + ". Every client of a round must send"
              + " a full update of the same model"
              + (settings.chunked() ? " (check for missing chunks)" : "")
              + ".");
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

  private static int count(boolean[] flags) {
    int count = 0;
    for (boolean flag : flags) {
      count += flag ? 1 : 0;
    }
    return count;
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
