package dev.assay.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.jobs.demo.FederatedAdult.Attack;
import dev.assay.jobs.demo.FederatedAdult.ClientUpdate;
import dev.assay.jobs.demo.FederatedAdult.Settings;
import dev.assay.jobs.demo.FederatedAdult.Simulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FedAvg simulator on Adult, without Spark: the model really learns, runs are bit-for-bit
 * repeatable, and each attack leaves the signature it should in the updates.
 */
class FederatedAdultTest {
  /** Adult's training file has 32,561 rows; every 10th by row_id (3,257) is held out. */
  static final int TRAINING_ROWS = 32_561 - 3_257;

  static Settings settings;
  static Simulation demo;
  static Simulation honest;

  @BeforeAll
  static void simulate() {
    settings = Settings.demo();
    demo = FederatedAdult.simulate(settings);
    honest = FederatedAdult.simulate(settings.honest());
  }

  static Map<Integer, List<ClientUpdate>> byRound(Simulation simulation) {
    return simulation.updates().stream()
        .collect(Collectors.groupingBy(ClientUpdate::round, TreeMap::new, Collectors.toList()));
  }

  static List<float[]> honestUpdates(List<ClientUpdate> round) {
    return round.stream()
        .filter(u -> u.attack() == Attack.HONEST)
        .map(ClientUpdate::update)
        .toList();
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }

  static float[] mean(List<float[]> updates) {
    double[] sum = new double[updates.get(0).length];
    for (float[] u : updates) {
      for (int j = 0; j < sum.length; j++) {
        sum[j] += u[j];
      }
    }
    float[] out = new float[sum.length];
    for (int j = 0; j < sum.length; j++) {
      out[j] = (float) (sum[j] / updates.size());
    }
    return out;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static ClientUpdate find(Simulation simulation, int round, String client) {
    return simulation.updates().stream()
        .filter(u -> u.round() == round && u.clientId().equals(client))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theGlobalModelLearnsDespiteTheAttacks() {
    List<Double> accuracy = demo.accuracy();
    assertEquals(settings.rounds(), accuracy.size());
    double last = accuracy.get(accuracy.size() - 1);
    assertTrue(last >= 0.80, "final accuracy " + accuracy);
    assertTrue(last > accuracy.get(0), "no progress after round 1: " + accuracy);
    // Better than always answering <=50K (about 0.76 on Adult) in every round.
    assertTrue(accuracy.stream().allMatch(a -> a > 0.78), "accuracy " + accuracy);

    List<Double> clean = honest.accuracy();
    assertTrue(clean.get(clean.size() - 1) >= 0.82, "honest accuracy " + clean);
    assertTrue(clean.get(clean.size() - 1) > clean.get(0) + 0.02, "honest accuracy " + clean);
  }

  @Test
  void theSameSettingsGiveTheSameUpdatesBitForBit() {
    Simulation again = FederatedAdult.simulate(Settings.demo());
    assertEquals(demo.accuracy(), again.accuracy());
    assertEquals(demo.updates().size(), again.updates().size());
    for (int i = 0; i < demo.updates().size(); i++) {
      ClientUpdate a = demo.updates().get(i);
      ClientUpdate b = again.updates().get(i);
      assertEquals(
          List.of(a.round(), a.clientId(), a.attack(), a.examples()),
          List.of(b.round(), b.clientId(), b.attack(), b.examples()));
      assertArrayEquals(a.update(), b.update(), "round " + a.round() + " " + a.clientId());
    }
    Simulation otherSeed = FederatedAdult.simulate(new Settings(50, 1, 1024, 8, 2, 2, 3, 2, 2));
    assertFalse(
        Arrays.equals(demo.updates().get(0).update(), otherSeed.updates().get(0).update()),
        "the seed drives the shuffles");
  }

  @Test
  void everyRoundHasEveryClientWithItsFixedAttack() {
    Map<Attack, Integer> expected =
        new EnumMap<>(
            Map.of(
                Attack.HONEST,
                39,
                Attack.BOOST,
                2,
                Attack.SIGN_FLIP,
                2,
                Attack.SYBIL,
                3,
                Attack.LABEL_FLIP,
                2,
                Attack.LITTLE_IS_ENOUGH,
                2));
    Map<String, Attack> attackOf = new TreeMap<>();
    Map<String, Long> examplesOf = new TreeMap<>();
    Map<Integer, List<ClientUpdate>> rounds = byRound(demo);
    assertEquals(Set.copyOf(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), rounds.keySet());
    for (List<ClientUpdate> round : rounds.values()) {
      assertEquals(
          settings.clients(), round.stream().map(ClientUpdate::clientId).distinct().count());
      Map<Attack, Integer> counts = new EnumMap<>(Attack.class);
      for (ClientUpdate u : round) {
        counts.merge(u.attack(), 1, Integer::sum);
        assertEquals(
            u.attack(), attackOf.computeIfAbsent(u.clientId(), c -> u.attack()), u.clientId());
        assertEquals(
            u.examples(),
            examplesOf.computeIfAbsent(u.clientId(), c -> u.examples()),
            u.clientId());
        assertEquals(settings.dims(), u.update().length);
        for (float x : u.update()) {
          assertTrue(Float.isFinite(x));
        }
      }
      assertEquals(expected, counts);
    }
    Set<String> malicious = new TreeSet<>();
    attackOf.forEach(
        (client, attack) -> {
          if (attack != Attack.HONEST) {
            malicious.add(client);
          }
        });
    assertNotEquals(
        Set.of(
            "c000", "c001", "c002", "c003", "c004", "c005", "c006", "c007", "c008", "c009", "c010"),
        malicious);
    Simulation otherSeed = FederatedAdult.simulate(new Settings(50, 1, 64, 8, 2, 2, 3, 2, 2));
    Set<String> otherMalicious =
        otherSeed.updates().stream()
            .filter(u -> u.attack() != Attack.HONEST)
            .map(ClientUpdate::clientId)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(11, otherMalicious.size());
    assertNotEquals(malicious, otherMalicious, "the seed chooses the malicious clients");
  }

  @Test
  void clientsAreNonIidWithAtLeastAHundredRowsAndNeverTheHeldOutRows() {
    List<ClientUpdate> first = byRound(honest).get(1);
    long total = 0;
    long smallest = Long.MAX_VALUE;
    long largest = 0;
    for (ClientUpdate u : first) {
      assertEquals(Attack.HONEST, u.attack());
      total += u.examples();
      smallest = Math.min(smallest, u.examples());
      largest = Math.max(largest, u.examples());
    }
    assertEquals(TRAINING_ROWS, total, "every training row on exactly one client, no held-out row");
    assertTrue(smallest >= FederatedAdult.MIN_ROWS, "smallest client " + smallest);
    assertTrue(largest > 5 * smallest, "clients differ in size: " + smallest + " to " + largest);
    // Non-IID: honest updates point in clearly different directions.
    List<float[]> updates = honestUpdates(first);
    List<Double> cosines = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      for (int k = i + 1; k < updates.size(); k++) {
        cosines.add(cosine(updates.get(i), updates.get(k)));
      }
    }
    assertTrue(median(cosines) < 0.8, "median honest cosine " + median(cosines));
    assertTrue(median(cosines) > 0.1, "median honest cosine " + median(cosines));
  }

  @Test
  void boostedUpdatesAreTenTimesAnHonestOne() {
    for (ClientUpdate u : byRound(demo).get(1)) {
      if (u.attack() == Attack.BOOST) {
        float[] own = find(honest, 1, u.clientId()).update();
        float[] times10 = new float[own.length];
        for (int j = 0; j < own.length; j++) {
          times10[j] = own[j] * 10f;
        }
        assertArrayEquals(times10, u.update(), "round 1 starts from the same model in both runs");
      }
    }
    Map<String, List<Double>> ratios = new TreeMap<>();
    for (List<ClientUpdate> round : byRound(demo).values()) {
      double medianNorm =
          median(honestUpdates(round).stream().map(FederatedAdultTest::norm).toList());
      for (ClientUpdate u : round) {
        if (u.attack() == Attack.BOOST) {
          double ratio = norm(u.update()) / medianNorm;
          assertTrue(ratio > 3, "round " + u.round() + " " + u.clientId() + ": " + ratio);
          ratios.computeIfAbsent(u.clientId(), c -> new ArrayList<>()).add(ratio);
        }
      }
    }
    ratios.forEach(
        (client, r) -> assertTrue(median(r) > 5, client + " norm / median honest norm " + r));
  }

  @Test
  void signFlippedUpdatesPointAwayFromTheHonestOnes() {
    for (ClientUpdate u : byRound(demo).get(1)) {
      if (u.attack() == Attack.SIGN_FLIP) {
        float[] own = find(honest, 1, u.clientId()).update();
        float[] negated = new float[own.length];
        for (int j = 0; j < own.length; j++) {
          negated[j] = -own[j];
        }
        assertArrayEquals(negated, u.update());
      }
    }
    List<Double> cosines = new ArrayList<>();
    for (List<ClientUpdate> round : byRound(demo).values()) {
      float[] mean = mean(honestUpdates(round));
      for (ClientUpdate u : round) {
        if (u.attack() == Attack.SIGN_FLIP) {
          double cos = cosine(u.update(), mean);
          cosines.add(cos);
          if (u.round() == 1) {
            assertTrue(cos < -0.3, u.clientId() + " cosine to the honest mean " + cos);
          }
        }
      }
    }
    // Non-IID: a client's own honest update can oppose the mean, so its negation does not always.
    double average = cosines.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(average < -0.2, "sign flips' cosines to the honest mean " + cosines);
  }

  @Test
  void sybilsAreNearIdenticalUnlikeHonestClients() {
    for (List<ClientUpdate> round : byRound(demo).values()) {
      List<float[]> sybils =
          round.stream().filter(u -> u.attack() == Attack.SYBIL).map(ClientUpdate::update).toList();
      assertEquals(3, sybils.size());
      List<float[]> honestOnes = honestUpdates(round);
      List<Double> honestCosines = new ArrayList<>();
      for (int i = 0; i < honestOnes.size(); i++) {
        for (int k = i + 1; k < honestOnes.size(); k++) {
          honestCosines.add(cosine(honestOnes.get(i), honestOnes.get(k)));
        }
      }
      double honestMedian = median(honestCosines);
      assertTrue(honestMedian < 0.8, "median honest pair cosine " + honestMedian);
      for (int i = 0; i < sybils.size(); i++) {
        for (int k = i + 1; k < sybils.size(); k++) {
          double cos = cosine(sybils.get(i), sybils.get(k));
          assertTrue(cos > 0.95, "sybil pair cosine " + cos);
          assertFalse(Arrays.equals(sybils.get(i), sybils.get(k)), "sybils shuffle differently");
        }
      }
      // Trained on every label set to >50K, they push against the honest direction.
      assertTrue(cosine(sybils.get(0), mean(honestOnes)) < 0, "round " + round.get(0).round());
    }
  }

  @Test
  void labelFlippersPointAwayFromTheHonestOnes() {
    List<Double> cosines = new ArrayList<>();
    for (List<ClientUpdate> round : byRound(demo).values()) {
      float[] mean = mean(honestUpdates(round));
      round.stream()
          .filter(u -> u.attack() == Attack.LABEL_FLIP)
          .forEach(u -> cosines.add(cosine(u.update(), mean)));
    }
    assertEquals(2 * settings.rounds(), cosines.size());
    double average = cosines.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(average < -0.2, "label flips' cosines to the honest mean " + cosines);
  }

  @Test
  void aLittleIsEnoughSendsMeanMinusZStdOfTheHonestUpdates() {
    double z = FederatedAdult.lieZ(50, 11); // s = 26 - 11 = 15, z = Phi^-1(35 / 50)
    assertEquals(0.5244, z, 1e-4);
    assertEquals(FederatedAdult.MIN_LIE_Z, FederatedAdult.lieZ(50, 2), 0.0, "clamped");
    for (List<ClientUpdate> round : byRound(demo).values()) {
      List<float[]> lie =
          round.stream()
              .filter(u -> u.attack() == Attack.LITTLE_IS_ENOUGH)
              .map(ClientUpdate::update)
              .toList();
      assertEquals(2, lie.size());
      assertArrayEquals(lie.get(0), lie.get(1), "colluders send the same vector");
      List<float[]> honestOnes = honestUpdates(round);
      float[] mean = mean(honestOnes);
      for (int j = 0; j < mean.length; j++) {
        double variance = 0;
        for (float[] u : honestOnes) {
          variance += (u[j] - mean[j]) * (double) (u[j] - mean[j]);
        }
        double expected = mean[j] - z * Math.sqrt(variance / honestOnes.size());
        assertEquals(expected, lie.get(0)[j], 1e-6 + 1e-4 * Math.abs(expected), "coordinate " + j);
      }
      // Stealthy: close to the honest direction, with an honest-looking norm.
      assertTrue(cosine(lie.get(0), mean) > 0.5);
      double medianNorm = median(honestOnes.stream().map(FederatedAdultTest::norm).toList());
      assertTrue(norm(lie.get(0)) > 0.5 * medianNorm && norm(lie.get(0)) < 2 * medianNorm);
    }
  }

  @Test
  void honestSettingsHaveNoMaliciousClients() {
    Settings clean = Settings.demo().honest();
    assertEquals(new Settings(50, 12, 1024, 7, 0, 0, 0, 0, 0), clean);
    assertEquals(0, clean.malicious());
    assertTrue(honest.updates().stream().allMatch(u -> u.attack() == Attack.HONEST));
    assertEquals(50 * 12, honest.updates().size());
  }

  @Test
  void badSettingsAreRejected() {
    IllegalArgumentException majority =
        assertThrows(
            IllegalArgumentException.class, () -> new Settings(20, 3, 64, 1, 2, 2, 3, 2, 1));
    assertTrue(majority.getMessage().contains("fewer than half"), majority.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Settings(20, 3, 64, 1, 0, 0, 10, 0, 0));
    new Settings(21, 3, 64, 1, 0, 0, 10, 0, 0); // 10 of 21 is allowed
    assertThrows(
        IllegalArgumentException.class, () -> new Settings(50, 12, 1000, 7, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(50, 12, 32, 7, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(50, 0, 64, 7, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(1, 1, 64, 7, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(50, 1, 64, 7, -1, 0, 0, 0, 0));
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> FederatedAdult.simulate(new Settings(400, 1, 64, 7, 0, 0, 0, 0, 0)));
    assertTrue(tooMany.getMessage().contains("Too many clients"), tooMany.getMessage());
  }
}
