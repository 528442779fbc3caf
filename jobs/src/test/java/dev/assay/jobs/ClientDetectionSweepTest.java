package dev.assay.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.FederatedAdult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection rates over many simulated federations, for docs/client-anomalies.md. It takes about 15 s
 * per seed, so it runs only when asked: {@code ASSAY_FL_SEEDS=1-12 mvn -pl jobs verify
 * -Dtest=ClientDetectionSweepTest}. Each seed picks other malicious clients and other SGD orders.
 */
@ExtendWith(SparkExtension.class)
class ClientDetectionSweepTest {
  @Test
  void detectionRatesOverSeeds(SparkSession spark, @TempDir Path dir) throws Exception {
    String seeds = System.getenv("ASSAY_FL_SEEDS");
    Assumptions.assumeTrue(seeds != null && seeds.matches("\\d+-\\d+"), "set ASSAY_FL_SEEDS=FIRST-LAST to run");
    int first = Integer.parseInt(seeds.split("-")[0]);
    int last = Integer.parseInt(seeds.split("-")[1]);
    Map<String, long[]> total = new TreeMap<>();
    for (int seed = first; seed <= last; seed++) {
      FederatedAdult.Settings d = FederatedAdult.Settings.demo();
      FederatedAdult.Simulation sim = FederatedAdult.simulate(new FederatedAdult.Settings(d.clients(), d.rounds(),
          d.dims(), seed, d.boosted(), d.signFlipped(), d.sybils(), d.labelFlipped(), d.littleIsEnough()));
      Path lake = dir.resolve("seed" + seed);
      FederatedAdult.writeUpdates(spark, sim.updates(), lake.resolve("fl").toString());
      assertEquals(0, Lakes.assay("client-anomalies", "-c", Lakes.config(lake, ClientAnomaliesTest.DATASET).toString())
          .exitCode());
      Map<String, long[]> counts = ClientAnomaliesTest.flaggedByAttack(spark, lake, sim.updates());
      StringBuilder line = new StringBuilder("seed " + seed + ":");
      for (Map.Entry<String, long[]> e : new TreeMap<>(counts).entrySet()) {
        line.append(String.format(Locale.ROOT, " %s %d/%d", e.getKey(), e.getValue()[1], e.getValue()[0]));
        total.merge(e.getKey(), e.getValue().clone(), (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
      System.out.println(line);
    }
    total.forEach((attack, c) -> System.out.printf(Locale.ROOT, "all seeds: %-16s flagged %4d of %5d = %.4f%n",
        attack, c[1], c[0], (double) c[1] / c[0]));
  }
}
