package dev.assay.jobs.clients;

import dev.assay.common.config.DatasetConfig;
import dev.assay.common.stats.Robust;
import dev.assay.jobs.demo.FederatedAdult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client scores of many simulated federations in memory, without Spark: the round sums that
 * {@link UpdatePass} computes (norm, sketch, dot product and sign agreement with the
 * coordinate-wise median) are computed here directly and handed to {@link RoundScorer}, so a sweep
 * over federations takes seconds per federation. Runs only when asked: {@code ASSAY_FL_STUDY=SEEDS}
 * (for example {@code 13-24}); {@code
 * ASSAY_FL_SETTINGS=clients,rounds,dims,boosted,signFlipped,sybils,labelFlipped, littleIsEnough}
 * (the demo's by default), {@code ASSAY_FL_ATTACK_FROM} and {@code ASSAY_FL_DUMP=FILE} as in {@code
 * ClientDetectionSweepTest}, and {@code ASSAY_FL_PARTITION} (0, the demo's split, by default; a
 * number, or {@code seed} for a new split per seed: other clients, not only other attackers).
 */
@Tag("fast")
class ScoringStudyTest {
  private static final Pattern TEST = Pattern.compile("^client \\S+ (\\w+) ");

  /** The same one-dataset config as the sketch test. */
  private static final DatasetConfig DATASET = SketchAccuracyTest.DATASET;

  @Test
  void scoresOfSimulatedFederations() throws Exception {
    String seeds = System.getenv("ASSAY_FL_STUDY");
    Assumptions.assumeTrue(
        seeds != null && seeds.matches("\\d+-\\d+"), "set ASSAY_FL_STUDY=FIRST-LAST to run");
    int first = Integer.parseInt(seeds.split("-")[0]);
    int last = Integer.parseInt(seeds.split("-")[1]);
    String from = System.getenv("ASSAY_FL_ATTACK_FROM");
    int attackFrom = from == null || from.isBlank() ? 1 : Integer.parseInt(from.trim());
    FederatedAdult.Settings d = FederatedAdult.Settings.demo();
    int[] s = {
      d.clients(),
      d.rounds(),
      d.dims(),
      d.boosted(),
      d.signFlipped(),
      d.sybils(),
      d.labelFlipped(),
      d.littleIsEnough()
    };
    String custom = System.getenv("ASSAY_FL_SETTINGS");
    if (custom != null && !custom.isBlank()) {
      String[] parts = custom.split(",");
      for (int i = 0; i < parts.length; i++) {
        s[i] = Integer.parseInt(parts[i].trim());
      }
    }
    String split = System.getenv("ASSAY_FL_PARTITION");
    String dump = System.getenv("ASSAY_FL_DUMP");
    Map<String, long[]> total = new TreeMap<>();
    Map<String, Map<String, Integer>> testsByAttack = new TreeMap<>();
    SparseProjection projection = new SparseProjection(1024, 1);
    for (int seed = first; seed <= last; seed++) {
      FederatedAdult.Simulation sim =
          FederatedAdult.simulate(
              new FederatedAdult.Settings(s[0], s[1], s[2], seed, s[3], s[4], s[5], s[6], s[7]),
              attackFrom,
              split == null || split.isBlank()
                  ? 0
                  : split.equals("seed") ? seed : Long.parseLong(split.trim()));
      Map<Integer, List<FederatedAdult.ClientUpdate>> rounds = new TreeMap<>();
      sim.updates().forEach(u -> rounds.computeIfAbsent(u.round(), r -> new ArrayList<>()).add(u));
      RoundScorer scorer = new RoundScorer(DATASET);
      Map<String, ClientHistory> history = new HashMap<>();
      Map<String, long[]> counts = new TreeMap<>();
      List<String> lines = new ArrayList<>();
      for (Map.Entry<Integer, List<FederatedAdult.ClientUpdate>> round : rounds.entrySet()) {
        List<FederatedAdult.ClientUpdate> clients = new ArrayList<>(round.getValue());
        clients.sort((a, b) -> a.clientId().compareTo(b.clientId()));
        int dims = clients.get(0).update().length;
        float[] median = new float[dims];
        float[] column = new float[clients.size()];
        for (int j = 0; j < dims; j++) {
          for (int c = 0; c < clients.size(); c++) {
            column[c] = clients.get(c).update()[j];
          }
          median[j] = Robust.medianInPlace(column, clients.size());
        }
        Partial medianSums = new Partial();
        for (float m : median) {
          medianSums.medianSquares += (double) m * m;
        }
        List<RoundScorer.Update> updates = new ArrayList<>();
        Map<String, FederatedAdult.ClientUpdate> byId = new HashMap<>();
        for (FederatedAdult.ClientUpdate u : clients) {
          Partial p = new Partial();
          p.elements = dims;
          for (int j = 0; j < dims; j++) {
            float v = u.update()[j];
            p.sumSquares += (double) v * v;
            p.dot += (double) v * median[j];
            if (median[j] != 0) {
              p.signed++;
              if ((v > 0 && median[j] > 0) || (v < 0 && median[j] < 0)) {
                p.agree++;
              }
            }
          }
          p.sketch = new double[projection.dimension()];
          projection.add(p.sketch, projection.base("", 0), 0, u.update(), 0, dims);
          updates.add(new RoundScorer.Update(u.clientId(), p, Map.of("", p)));
          byId.put(u.clientId(), u);
        }
        String roundName = String.valueOf(round.getKey());
        RoundScorer.Scored scored =
            scorer.score(roundName, Map.of("", medianSums), updates, history);
        history = scored.history();
        for (ClientScore score : scored.scores()) {
          FederatedAdult.ClientUpdate u = byId.get(score.client());
          String attack = u.attack().name().toLowerCase(Locale.ROOT);
          long[] c = counts.computeIfAbsent(attack, k -> new long[2]);
          c[0]++;
          c[1] += score.flagged() ? 1 : 0;
          TreeSet<String> fired = new TreeSet<>();
          for (String reason : score.reasons()) {
            Matcher m = TEST.matcher(reason);
            fired.add(m.find() ? m.group(1) : "other");
          }
          Map<String, Integer> tests = testsByAttack.computeIfAbsent(attack, k -> new TreeMap<>());
          fired.forEach(t -> tests.merge(t, 1, Integer::sum));
          if (fired.size() == 1) {
            tests.merge("only " + fired.first(), 1, Integer::sum);
          }
          double[] values = {
            score.normZ(),
            score.cosine(),
            score.cosineZ(),
            score.projectionZ(),
            score.krumScore(),
            score.krumZ(),
            score.flipScore(),
            score.sybilScore(),
            score.sybilZ(),
            score.historyRounds(),
            score.historyNormZ(),
            score.historyCosineZ()
          };
          StringBuilder csv =
              new StringBuilder()
                  .append(seed)
                  .append(',')
                  .append(roundName)
                  .append(',')
                  .append(score.client())
                  .append(',')
                  .append(attack)
                  .append(',')
                  .append(u.examples())
                  .append(',')
                  .append(score.flagged())
                  .append(',')
                  .append(String.join(";", fired));
          for (double v : values) {
            csv.append(',').append(Double.isFinite(v) ? String.valueOf(v) : "");
          }
          csv.append(',')
              .append('"')
              .append(String.join(" | ", score.reasons()).replace('"', '\''))
              .append('"');
          csv.append(',')
              .append('"')
              .append(score.note() == null ? "" : score.note().replace('"', '\''))
              .append('"');
          lines.add(csv.toString());
        }
      }
      StringBuilder line = new StringBuilder("seed " + seed + ":");
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        line.append(
            String.format(Locale.ROOT, " %s %d/%d", e.getKey(), e.getValue()[1], e.getValue()[0]));
        total.merge(
            e.getKey(), e.getValue().clone(), (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
      System.out.println(line);
      if (dump != null && !dump.isBlank()) {
        Path file = Path.of(dump);
        if (!Files.exists(file)) {
          Files.writeString(
              file,
              "seed,round,client,attack,examples,flagged,fired,norm_z,cosine_to_median,cosine_z,"
                  + "projection_z,krum_score,krum_z,flip_score,sybil_score,sybil_z,history_rounds,history_norm_z,"
                  + "history_cosine_z,reasons,note\n",
              StandardCharsets.UTF_8);
        }
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      }
    }
    System.out.println(
        "settings " + java.util.Arrays.toString(s) + ", attackers from round " + attackFrom);
    total.forEach(
        (attack, c) ->
            System.out.printf(
                Locale.ROOT,
                "all seeds: %-16s flagged %4d of %5d = %.4f%n",
                attack,
                c[1],
                c[0],
                (double) c[1] / c[0]));
    testsByAttack.forEach(
        (attack, tests) ->
            System.out.printf(Locale.ROOT, "tests that fired on %-16s %s%n", attack, tests));
  }
}
