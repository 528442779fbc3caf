package dev.assay.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.FederatedAdult;
import java.io.IOException;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection rates over many simulated federations, for docs/client-anomalies.md. It takes about 15
 * s per seed, so it runs only when asked: {@code ASSAY_FL_SEEDS=1-12 mvn -pl jobs verify
 * -Dtest=ClientDetectionSweepTest}. Each seed picks other malicious clients and other SGD orders.
 * {@code ASSAY_FL_ATTACK_FROM} (default 1: attackers in every round) is the first malicious round;
 * before it the malicious clients send honest updates and count as honest. {@code
 * ASSAY_FL_PARTITION} picks the split of the rows into clients: 0 (default) is the demo's, a number
 * another, {@code seed} a new one per seed; a seed alone changes only the attackers and SGD orders,
 * never the clients. Besides the flag rates per attack it prints which tests fired on each kind of
 * client, and {@code ASSAY_FL_DUMP=FILE} appends every client-round's scores to a CSV file for
 * offline study.
 */
@ExtendWith(SparkExtension.class)
class ClientDetectionSweepTest {
  private static final Pattern TEST = Pattern.compile("^client \\S+ (\\w+) ");
  private static final String[] SCORES = {
    "norm_z",
    "cosine_to_median",
    "cosine_z",
    "projection_z",
    "krum_score",
    "krum_z",
    "flip_score",
    "sybil_score",
    "sybil_z",
    "history_rounds",
    "history_norm_z",
    "history_cosine_z"
  };

  @Test
  void detectionRatesOverSeeds(SparkSession spark, @TempDir Path dir) throws Exception {
    String seeds = System.getenv("ASSAY_FL_SEEDS");
    Assumptions.assumeTrue(
        seeds != null && seeds.matches("\\d+-\\d+"), "set ASSAY_FL_SEEDS=FIRST-LAST to run");
    int first = Integer.parseInt(seeds.split("-")[0]);
    int last = Integer.parseInt(seeds.split("-")[1]);
    String from = System.getenv("ASSAY_FL_ATTACK_FROM");
    int attackFrom = from == null || from.isBlank() ? 1 : Integer.parseInt(from.trim());
    String split = System.getenv("ASSAY_FL_PARTITION");
    String dump = System.getenv("ASSAY_FL_DUMP");
    Map<String, long[]> total = new TreeMap<>();
    Map<String, Map<String, Integer>> testsByAttack = new TreeMap<>();
    for (int seed = first; seed <= last; seed++) {
      FederatedAdult.Settings d = FederatedAdult.Settings.demo();
      FederatedAdult.Simulation sim =
          FederatedAdult.simulate(
              new FederatedAdult.Settings(
                  d.clients(),
                  d.rounds(),
                  d.dims(),
                  seed,
                  d.boosted(),
                  d.signFlipped(),
                  d.sybils(),
                  d.labelFlipped(),
                  d.littleIsEnough()),
              attackFrom,
              split == null || split.isBlank()
                  ? 0
                  : split.equals("seed") ? seed : Long.parseLong(split.trim()));
      Path lake = dir.resolve("seed" + seed);
      FederatedAdult.writeUpdates(spark, sim.updates(), lake.resolve("fl").toString());
      assertEquals(
          0,
          Lakes.assay(
                  "client-anomalies",
                  "-c",
                  Lakes.config(lake, ClientAnomaliesTest.DATASET).toString())
              .exitCode());
      Map<String, long[]> counts = ClientAnomaliesTest.flaggedByAttack(spark, lake, sim.updates());
      StringBuilder line = new StringBuilder("seed " + seed + ":");
      for (Map.Entry<String, long[]> e : new TreeMap<>(counts).entrySet()) {
        line.append(
            String.format(Locale.ROOT, " %s %d/%d", e.getKey(), e.getValue()[1], e.getValue()[0]));
        total.merge(
            e.getKey(), e.getValue().clone(), (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
      System.out.println(line);
      study(spark, lake, sim.updates(), seed, testsByAttack, dump);
    }
    System.out.println("attackers from round " + attackFrom);
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

  /**
   * Counts the client-rounds on which each test fired, per attack, and appends the rows to {@code
   * dump}.
   */
  private static void study(
      SparkSession spark,
      Path lake,
      List<FederatedAdult.ClientUpdate> updates,
      int seed,
      Map<String, Map<String, Integer>> testsByAttack,
      String dump)
      throws IOException {
    Map<String, String> attack = new HashMap<>();
    Map<String, Long> examples = new HashMap<>();
    updates.forEach(
        u -> {
          attack.put(u.round() + "/" + u.clientId(), u.attack().name().toLowerCase(Locale.ROOT));
          examples.put(u.round() + "/" + u.clientId(), u.examples());
        });
    List<String> columns = new ArrayList<>(List.of("partition", "client_id", "flagged", "reasons"));
    columns.addAll(List.of(SCORES));
    List<String> lines = new ArrayList<>();
    for (Row row :
        ClientAnomaliesTest.anomalies(spark, lake)
            .where(col("layer").isNull())
            .selectExpr(columns.toArray(String[]::new))
            .collectAsList()) {
      String key = row.getString(0) + "/" + row.getString(1);
      TreeSet<String> fired = new TreeSet<>();
      for (Object reason : row.getList(3)) {
        Matcher m = TEST.matcher((String) reason);
        fired.add(m.find() ? m.group(1) : "other");
      }
      Map<String, Integer> tests =
          testsByAttack.computeIfAbsent(attack.get(key), k -> new TreeMap<>());
      fired.forEach(t -> tests.merge(t, 1, Integer::sum));
      if (fired.size() == 1) {
        tests.merge("only " + fired.first(), 1, Integer::sum);
      }
      StringBuilder csv =
          new StringBuilder()
              .append(seed)
              .append(',')
              .append(row.getString(0))
              .append(',')
              .append(row.getString(1))
              .append(',')
              .append(attack.get(key))
              .append(',')
              .append(examples.get(key))
              .append(',')
              .append(row.getBoolean(2))
              .append(',')
              .append(String.join(";", fired));
      for (int i = 4; i < row.size(); i++) {
        csv.append(',').append(row.isNullAt(i) ? "" : row.get(i).toString());
      }
      lines.add(csv.toString());
    }
    if (dump != null && !dump.isBlank()) {
      Path file = Path.of(dump);
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            "seed,round,client,attack,examples,flagged,fired," + String.join(",", SCORES) + "\n",
            StandardCharsets.UTF_8);
      }
      Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
  }
}
