package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.table.DatasetTable;
import dev.assay.common.stats.Hash64;
import dev.assay.jobs.demo.FederatedAdult;
import dev.assay.jobs.demo.ScorecardLake;
import dev.assay.jobs.redteam.RedTeam;
import dev.assay.jobs.redteam.ScorecardPage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scorecard", mixinStandardHelpOptions = true,
    description = "Runs the published attack matrix on real data (UCI Adult in daily partitions, an honest FedAvg"
        + " federation on Adult): redteam + evaluate per poisoning rate, and writes the scorecard page.")
final class ScorecardCommand implements Callable<Integer> {
  private static final String TRIGGER = "workclass:Never-worked|capital_loss:1234";
  private static final List<String> TABLE_ATTACKS = List.of("label_flip (random rows)",
      "label_flip (segment source=partner_b)", "backdoor (workclass + capital_loss trigger)",
      "replay (of day 2, 30% relabelled)", "duplicate_burst (3 copies)", "feature_corruption (age x12)",
      "distribution_shift (HS-grad rows dropped)", "null_injection (workclass)", "checksum_tamper (hours_per_week)");
  private static final List<String> CLIENT_ATTACKS = List.of("boost (x10)", "sign_flip", "label_flip_client",
      "little_is_enough (z=1)", "sybil (new clients)");

  @Option(names = "--out", paramLabel = "FILE", description = "Page to write (default: docs/scorecard.md).")
  Path out = Path.of("docs/scorecard.md");
  @Option(names = "--work", paramLabel = "DIR", description = "Where lakes and shadows go (default: a temporary"
      + " folder, deleted afterwards).")
  Path work;
  @Option(names = "--seed", paramLabel = "N", description = "Seed of every attack (default 1).")
  long seed = 1;
  @Option(names = "--days", paramLabel = "N", description = "Daily partitions of Adult (default 26).")
  int days = 26;
  @Option(names = "--rates", paramLabel = "R,R", split = ",",
      description = "Poisoning rates of the table attacks (default 0.005,0.01,0.05,0.2).")
  List<Double> rates = List.of(0.005, 0.01, 0.05, 0.2);
  @Option(names = "--client-rates", paramLabel = "R,R", split = ",",
      description = "Shares of malicious clients per attacked round (default 0.02,0.1,0.2).")
  List<Double> clientRates = List.of(0.02, 0.1, 0.2);
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    for (double rate : concat(rates, clientRates)) {
      if (!(rate > 0 && rate < 0.5)) {
        throw AssayException.invalid("Invalid rate " + rate + ": rates are fractions in (0, 0.5), such as 0.05.");
      }
    }
    PrintStream progress = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    boolean temporary = work == null;
    Path root = temporary ? Files.createTempDirectory("assay-scorecard") : work.toAbsolutePath().normalize();
    try {
      progress.println("Building the clean lake in " + root.resolve("base") + " ...");
      Path baseConfig = ScorecardLake.build(Assay.spark(), root.resolve("base"), days);
      AssayConfig base = ConfigLoader.load(baseConfig);
      List<String> partitions = DatasetTable.open(Assay.spark(), base.dataset("adult")).partitions();
      long rowsPerDay = DatasetTable.open(Assay.spark(), base.dataset("adult")).read().count() / partitions.size();
      List<ScorecardPage.Run> tableRuns = new ArrayList<>();
      for (double rate : rates) {
        Path shadow = root.resolve("adult-" + label(rate).replace("%", "pct"));
        progress.println("adult at " + label(rate) + ":");
        new RedTeam(Assay.spark(), base, "adult").run(tableAttacks(rate, partitions, rowsPerDay), shadow, seed);
        tableRuns.add(new ScorecardPage.Run(label(rate), EvaluateCommand.evaluate(shadow, "adult", progress)));
      }
      List<String> rounds = DatasetTable.open(Assay.spark(), base.dataset("fl_updates")).partitions();
      List<ScorecardPage.Run> clientRuns = new ArrayList<>();
      for (double rate : clientRates) {
        Path shadow = root.resolve("fl-" + label(rate).replace("%", "pct"));
        progress.println("fl_updates at " + label(rate) + " of the clients:");
        new RedTeam(Assay.spark(), base, "fl_updates").run(clientAttacks(rate, rounds), shadow, seed);
        clientRuns.add(new ScorecardPage.Run(label(rate), EvaluateCommand.evaluate(shadow, "fl_updates", progress)));
      }
      String command = "bin/assay scorecard --seed " + seed + (days == 26 ? "" : " --days " + days);
      String data = "Data: the 32,561 UCI Adult training rows (CC BY 4.0; `testdata/adult/adult.data.gz`, the gzipped"
          + " `adult.data` of `../shared/data/adult`) spread over " + partitions.size()
          + " daily partitions (about " + rowsPerDay + " rows each), with the demo's contract (size, completeness,"
          + " unique ids, age <= 120, allowed values, provenance, SHA-256 ingestion checksums), duplicates and checks"
          + " quarantines, label drift per source; and 12 FedAvg rounds of 50 clients training logistic regression"
          + " on non-IID shares of Adult (1,024-value updates). The first 7 days form the trusted baseline; each"
          + " attack hits its own later day, and the days between stay untouched to count false alarms.";
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, ScorecardPage.render(command, data, List.of(
          new ScorecardPage.Matrix("Table attacks on Adult", "Rate = share of the attacked day's rows poisoned (for the"
              + " segment flip, of the segment's rows; for the backdoor, the trigger's support; for the shift, the"
              + " rows dropped).", "rows", TABLE_ATTACKS, tableRuns),
          new ScorecardPage.Matrix("Federated-learning client attacks", "Rate = share of the 50 clients attacking in"
              + " the attacked round (at least one). Rounds 1-6 and 12 are honest.", "clients", CLIENT_ATTACKS, clientRuns))));
      progress.println("Wrote " + out.toAbsolutePath());
      return 0;
    } finally {
      if (temporary) {
        delete(root);
      }
    }
  }

  /** Nine attacks, each on its own day after the 7-day baseline, with an untouched day between two. */
  private List<String> tableAttacks(double rate, List<String> days, long rowsPerDay) {
    List<String> specs = new ArrayList<>();
    long support = Math.max(1, Math.round(rate * rowsPerDay));
    double shifted = Math.max(0, 1 - rate / 0.32);
    List<String> templates = List.of(
        "label_flip:rate=%1$s",
        "label_flip:rate=%1$s,segment=source:partner_b",
        "backdoor:trigger=" + TRIGGER + ",support=" + support + ",target=>50K",
        "replay:from=" + days.get(1) + ",rate=%1$s,relabel=0.3",
        "duplicate_burst:rate=%2$s,copies=3",
        "feature_corruption:feature=age,mode=scale,value=12,rate=%1$s",
        "distribution_shift:where=education:HS-grad,keep=" + number(shifted),
        "null_injection:column=workclass,rate=%1$s",
        "checksum_tamper:column=hours_per_week,rate=%1$s");
    for (int i = 0; i < templates.size(); i++) {
      specs.add(String.format(Locale.ROOT, templates.get(i), number(rate), number(rate / 3))
          + ",partitions=" + days.get(8 + 2 * i));
    }
    return specs;
  }

  /** Five client attacks on rounds 7 to 11, each by its own clients. */
  private List<String> clientAttacks(double rate, List<String> rounds) {
    int clients = FederatedAdult.Settings.demo().clients();
    int count = Math.max(1, (int) Math.round(rate * clients));
    List<String> kinds = List.of("boost:factor=10", "sign_flip", "label_flip_client", "little_is_enough:z=1");
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      String round = rounds.get(6 + i);
      String chosen = String.join("|", pick(count, clients, round));
      specs.add(kinds.get(i) + (kinds.get(i).contains(":") ? "," : ":") + "clients=" + chosen + ",partitions=" + round);
    }
    specs.add("sybil:count=" + count + ",partitions=" + rounds.get(10));
    return specs;
  }

  /** {@code count} client ids, chosen by the seed and the round. */
  private List<String> pick(int count, int clients, String round) {
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      ids.add(FederatedAdult.clientId(c));
    }
    ids.sort(Comparator.comparingLong(id -> Hash64.mix(seed * 31 + (round + id).hashCode())));
    return ids.subList(0, count);
  }

  private static String label(double rate) {
    String percent = number(rate * 100);
    return percent + "%";
  }

  private static String number(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static List<Double> concat(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
