package dev.assay.jobs.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.stats.Robust;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each client signal of {@link RoundScorer} on inputs small enough to check by hand; no Spark. */
@Tag("fast")
class RoundScorerSignalsTest {
  private static final double EPS = 1e-12;

  /**
   * The round sums of one update against a median, as UpdatePass computes them; the sketch is the
   * update.
   */
  private static Partial sums(double[] update, double[] median) {
    Partial p = new Partial();
    p.elements = update.length;
    for (int j = 0; j < update.length; j++) {
      p.sumSquares += update[j] * update[j];
      p.dot += update[j] * median[j];
      if (median[j] != 0) {
        p.signed++;
        p.agree += Math.signum(update[j]) == Math.signum(median[j]) ? 1 : 0;
      }
    }
    p.sketch = update.clone();
    return p;
  }

  private static RoundScorer.Update update(String client, double[] values, double[] median) {
    return new RoundScorer.Update(client, sums(values, median), Map.of());
  }

  private static double[] scaled(double[] values, double factor) {
    double[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= factor;
    }
    return out;
  }

  @Test
  void normsAreSquareRootsOfSumSquaresAndNaNForUnscorableUpdates() {
    double[] median = {1, 1};
    Partial nullUpdate = new Partial();
    nullUpdate.nullUpdates = 1;
    List<RoundScorer.Update> updates =
        List.of(
            update("a", new double[] {3, 4}, median),
            new RoundScorer.Update("b", nullUpdate, Map.of()));
    boolean[] valid = RoundScorer.scorable(updates);
    assertArrayEquals(new boolean[] {true, false}, valid);
    double[] norms = RoundScorer.norms(updates, valid);
    assertEquals(5, norms[0], EPS);
    assertTrue(Double.isNaN(norms[1]));
  }

  @Test
  void anUpdateWithANonFiniteValueIsNotScorable() {
    Partial sums = sums(new double[] {1, 2}, new double[] {1, 1});
    sums.nonFinite = 1;
    assertFalse(RoundScorer.scorable(List.of(new RoundScorer.Update("a", sums, Map.of())))[0]);
    assertEquals(
        "client a sent 1 NaN, Infinity or null value(s)",
        RoundScorer.invalidReason("client a", sums));
  }

  @Test
  void theNegatedMedianHasCosineMinusOneAndANegativeProjection() {
    double[] median = {2, -1, 0.5, 3};
    List<RoundScorer.Update> updates =
        List.of(
            update("same", median, median),
            update("negated", scaled(median, -1), median),
            update("double", scaled(median, 2), median));
    boolean[] valid = RoundScorer.scorable(updates);
    double medianNorm = Math.sqrt(4 + 1 + 0.25 + 9);
    double[] norms = RoundScorer.norms(updates, valid);
    double[] cosines = RoundScorer.cosinesToMedian(updates, norms, medianNorm);
    assertArrayEquals(new double[] {1, -1, 1}, cosines, EPS);
    double[] projections = RoundScorer.projections(updates, valid, medianNorm);
    assertArrayEquals(new double[] {medianNorm, -medianNorm, 2 * medianNorm}, projections, 1e-9);
  }

  @Test
  void projectionIsNaNWhenTheMedianIsZero() {
    double[] zero = {0, 0};
    List<RoundScorer.Update> updates = List.of(update("a", new double[] {1, 2}, zero));
    double[] projections = RoundScorer.projections(updates, RoundScorer.scorable(updates), 0);
    assertTrue(Double.isNaN(projections[0]));
    assertTrue(Double.isNaN(RoundScorer.cosinesToMedian(updates, new double[] {1}, 0)[0]));
  }

  @Test
  void medianNormAddsTheLayersSquares() {
    Partial a = new Partial();
    a.medianSquares = 9;
    Partial b = new Partial();
    b.medianSquares = 16;
    assertEquals(5, RoundScorer.medianNorm(Map.of("a", a, "b", b)), EPS);
  }

  @Test
  void signAgreementCountsOnlyCoordinatesWhereTheMedianHasASign() {
    Partial sums = sums(new double[] {1, -1, 2, 5}, new double[] {3, 2, 1, 0});
    assertEquals(2.0 / 3, RoundScorer.signAgreement(sums), EPS);
    assertTrue(Double.isNaN(RoundScorer.signAgreement(sums(new double[] {1}, new double[] {0}))));
  }

  @Test
  void multiKrumSumsTheNearestSquaredDistancesAndTheFlipScoreFavoursTheNegatedOutlier() {
    double[][] sketches = {{1.0}, {1.1}, {0.9}, {1.2}, {-1.0}, null};
    // 5 scorable clients, f = floor(0.1 x 5) = 0: the 3 nearest others count
    double[][] krum = RoundScorer.krum(sketches, 5, 0.1);
    // the outlier: squared distances 4, 4.41, 3.61, 4.84; negated it sits at 0, 0.01, 0.01, 0.04
    assertEquals(3.61 + 4 + 4.41, krum[0][4], 1e-9);
    assertEquals(Math.log((3.61 + 4 + 4.41) / 0.02), krum[1][4], 1e-9);
    // client 0: 0.01, 0.01, 0.04 to the others near it; negated, 0, 3.61, 4.41
    assertEquals(0.06, krum[0][0], 1e-9);
    assertEquals(Math.log(0.06 / 8.02), krum[1][0], 1e-9);
    assertTrue(Double.isNaN(krum[0][5]) && Double.isNaN(krum[1][5]));
  }

  @Test
  void multiKrumNeedsAtLeastThreeScorableClients() {
    double[][] krum = RoundScorer.krum(new double[][] {{1}, {2}}, 2, 0.1);
    assertTrue(Double.isNaN(krum[0][0]) && Double.isNaN(krum[1][1]));
  }

  @Test
  void aFlipScoreCountsOnlyWhenTheUpdatePointsAgainstTheMedian() {
    assertEquals(2, RoundScorer.flipEvidence(-1, 2), 0);
    assertEquals(0, RoundScorer.flipEvidence(0.5, 2), 0);
    assertEquals(-1, RoundScorer.flipEvidence(0.5, -1), 0);
  }

  @Test
  void krumZUsesTheLargerOfTheRoundsAndTheFederationsSpread() {
    double[] krum = {Math.exp(0), Math.exp(1), Math.exp(2), Math.exp(3), Math.exp(4)};
    double own = Robust.MAD_TO_SIGMA; // ln values 0..4: median 2, MAD 1
    RoundScorer.KrumZ alone = RoundScorer.krumZ(krum, new double[0]);
    assertEquals(own, alone.roundSpread(), 1e-12);
    assertEquals(2 / own, alone.z()[4], 1e-9);
    assertNull(alone.spreadText());

    RoundScorer.KrumZ wider = RoundScorer.krumZ(krum, new double[] {3, 3, 3});
    assertEquals(2.0 / 3, wider.z()[4], 1e-9);
    assertEquals(-2.0 / 3, wider.z()[0], 1e-9);
    assertEquals(2 / own, wider.roundZ()[4], 1e-9);
    assertTrue(wider.spreadText().contains("over 3 earlier round(s)"), wider.spreadText());

    RoundScorer.KrumZ narrower = RoundScorer.krumZ(krum, new double[] {0.5});
    assertNull(narrower.spreadText());
    assertEquals(2 / own, narrower.z()[4], 1e-9);
  }

  @Test
  void krumZIsNaNWithoutAFiniteSpread() {
    RoundScorer.KrumZ none =
        RoundScorer.krumZ(new double[] {Double.NaN, Double.NaN}, new double[] {1});
    assertTrue(Double.isNaN(none.roundSpread()) && Double.isNaN(none.z()[0]));
  }

  @Test
  void sybilPairsEachClientWithItsClosestCumulativeDirection() {
    double[][] cumulative = {{1, 0}, {2, 0.001}, {0, 1}, null};
    RoundScorer.Sybil sybil = RoundScorer.sybil(cumulative);
    assertEquals(1, sybil.partner()[0]);
    assertEquals(0, sybil.partner()[1]);
    assertEquals(1, sybil.partner()[2]);
    assertEquals(-1, sybil.partner()[3]);
    assertEquals(2 / Math.sqrt(4 + 1e-6), sybil.cosine()[0], 1e-12);
    assertEquals(0.001 / Math.sqrt(4 + 1e-6), sybil.cosine()[2], 1e-12);
    assertTrue(Double.isNaN(sybil.cosine()[3]));
  }

  @Test
  void sybilZSpreadsCosinesNearOne() {
    double[] z = RoundScorer.sybilZ(new double[] {0.1, 0.2, 0.15, 0.999999, 0.12});
    // -ln(1 - c): about 0.105, 0.223, 0.163, 13.8, 0.128; median -ln(0.85), sigma 0.085 below the
    // floor
    double scale = RoundScorer.LOG_SYBIL_FLOOR;
    assertEquals((-Math.log(1 - 0.999999) + Math.log(0.85)) / scale, z[3], 1e-9);
    assertEquals(0, z[2], 1e-12);
    assertEquals((-Math.log(0.9) + Math.log(0.85)) / scale, z[0], 1e-9);
  }

  @Test
  void historyScoresCompareAClientWithItsOwnPast() {
    ClientHistory past = new ClientHistory("a", 4, 2, new double[] {1, 0}, 3, 0, 0, 3, 0.9, 0);
    RoundScorer.HistoryScores scores =
        RoundScorer.historyScores(new double[] {-Math.E, 0}, Math.E, past, 3);
    // log norm 1 against mean 0 with a zero spread: scaled by the floor 0.1
    assertEquals(1 / RoundScorer.HISTORY_NORM_FLOOR, scores.normZ(), 1e-9);
    assertEquals(-1, scores.cosine(), EPS);
    assertEquals((-1 - 0.9) / RoundScorer.HISTORY_COSINE_FLOOR, scores.cosineZ(), 1e-9);

    RoundScorer.HistoryScores young = RoundScorer.historyScores(new double[] {1, 0}, 1, past, 4);
    assertTrue(Double.isNaN(young.normZ()) && Double.isNaN(young.cosineZ()));
    assertEquals(1, young.cosine(), EPS);
  }

  @Test
  void withBaselineReturnsACopyWithTheNewMoments() {
    ClientHistory past = new ClientHistory("a", 2, 2, new double[] {1, 0}, 1, 0, 0, 1, 0.5, 0);
    ClientHistory next = RoundScorer.withBaseline(past, Math.E, 0.7);
    assertNotSame(past, next);
    assertEquals(1, past.normCount);
    assertEquals(2, next.normCount);
    assertEquals(0.5, next.normMean, EPS);
    assertEquals(0.6, next.cosineMean, EPS);
    ClientHistory zeroNorm = RoundScorer.withBaseline(past, 0, Double.NaN);
    assertEquals(1, zeroNorm.normCount);
    assertEquals(1, zeroNorm.cosineCount);
  }

  @Test
  void accumulateAddsSketchesWithoutChangingTheGivenHistories() {
    ClientHistory a = new ClientHistory("a", 1, 2, new double[] {1, 1}, 0, 0, 0, 0, 0, 0);
    ClientHistory idle = new ClientHistory("idle", 1, 2, new double[] {5, 5}, 0, 0, 0, 0, 0, 0);
    Map<String, ClientHistory> history = new HashMap<>(Map.of("a", a, "idle", idle));
    double[] median = {1, 0};
    List<RoundScorer.Update> updates =
        List.of(
            update("a", new double[] {2, 3}, median), update("new", new double[] {4, 0}, median));
    double[][] sketches = RoundScorer.sketches(updates, RoundScorer.scorable(updates));
    Map<String, ClientHistory> next = RoundScorer.accumulate(history, updates, sketches, 2);
    assertArrayEquals(new double[] {1, 1}, a.sketch, 0);
    assertEquals(1, a.rounds);
    assertEquals(2, history.size());
    assertArrayEquals(new double[] {3, 4}, next.get("a").sketch, 0);
    assertEquals(2, next.get("a").rounds);
    assertArrayEquals(new double[] {4, 0}, next.get("new").sketch, 0);
    assertEquals(1, next.get("new").rounds);
    assertSame(idle, next.get("idle"));
  }

  /**
   * A round of honest clients near a median, a 10x-norm client and a client that sends the negated
   * median.
   */
  @Test
  void scoreFlagsTheBoostedAndTheFlippedClientAndLeavesTheCallersHistoryAlone() {
    Random random = new Random(20);
    int dims = 32;
    double[] median = new double[dims];
    for (int j = 0; j < dims; j++) {
      median[j] = random.nextGaussian();
    }
    List<RoundScorer.Update> updates = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      double[] honest = new double[dims];
      for (int j = 0; j < dims; j++) {
        honest[j] = median[j] + 0.2 * random.nextGaussian();
      }
      updates.add(update("honest-" + c, honest, median));
    }
    updates.add(update("boosted", scaled(median, 10), median));
    updates.add(update("flipped", scaled(median, -1), median));
    Partial medianSums = new Partial();
    for (double m : median) {
      medianSums.medianSquares += m * m;
    }
    ClientHistory old = new ClientHistory("honest-0", 1, dims, median.clone(), 0, 0, 0, 0, 0, 0);
    Map<String, ClientHistory> history = new HashMap<>(Map.of("honest-0", old));

    RoundScorer.Scored scored =
        new RoundScorer(SketchAccuracyTest.DATASET)
            .score("1", Map.of("", medianSums), updates, history);

    Map<String, ClientScore> byClient = new HashMap<>();
    scored.scores().forEach(s -> byClient.put(s.client(), s));
    ClientScore boosted = byClient.get("boosted");
    assertTrue(boosted.normZ() > 6, "norm_z " + boosted.normZ());
    assertTrue(
        boosted.reasons().stream().anyMatch(r -> r.startsWith("client boosted norm_z ")),
        boosted.reasons().toString());
    ClientScore flipped = byClient.get("flipped");
    assertEquals(-1, flipped.cosine(), 1e-9);
    assertTrue(flipped.flipScore() > 0.35, "flip " + flipped.flipScore());
    assertTrue(
        flipped.reasons().stream().anyMatch(r -> r.startsWith("client flipped flip_score ")),
        flipped.reasons().toString());
    long honestFlagged =
        byClient.values().stream()
            .filter(s -> s.client().startsWith("honest") && s.flagged())
            .count();
    assertEquals(0, honestFlagged);

    assertEquals(Map.of("honest-0", old), history);
    assertEquals(1, old.rounds);
    assertArrayEquals(median, old.sketch, 0);
    assertEquals(12, scored.history().size());
    assertEquals(2, scored.history().get("honest-0").rounds);
    assertEquals(1, scored.history().get("honest-0").normCount);
    // flagged clients join the running sum but never their own baseline
    assertEquals(0, scored.history().get("boosted").normCount);
    assertEquals(1, scored.history().get("boosted").rounds);
  }
}
