package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.stats.Hash64;
import dev.assay.common.table.DatasetTable;
import dev.assay.jobs.demo.FederatedAdult;
import dev.assay.jobs.demo.ScorecardLake;
import dev.assay.jobs.demo.SuiteLakes;
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

@Command(
    name = "scorecard",
    mixinStandardHelpOptions = true,
    description =
        "Runs the published attack matrix on real data (UCI Adult in daily partitions, an honest FedAvg"
            + " federation on Adult): redteam + evaluate per poisoning rate, and writes the scorecard page.")
final class ScorecardCommand implements Callable<Integer> {
  private static final String TRIGGER = "workclass:Never-worked|capital_loss:1234";

  /** Two common values that never occur together in Adult (13.6% divorced, 4.8% wives). */
  private static final String PAIR_TRIGGER = "marital_status:Divorced|relationship:Wife";

  /** On flights: a red-eye departure to Honolulu, a combination the 36 days never have. */
  private static final String FLIGHTS_TRIGGER = "dep_period:night|destination:HNL";

  private static final List<String> TABLE_ATTACKS =
      List.of(
          "label_flip (random rows)",
          "label_flip (segment source=partner_b)",
          "backdoor (workclass + capital_loss trigger)",
          "replay (of day 2, 30% relabelled)",
          "duplicate_burst (3 copies)",
          "feature_corruption (age x12)",
          "distribution_shift (HS-grad rows dropped)",
          "null_injection (workclass)",
          "checksum_tamper (hours_per_week)",
          "backdoor (common-values pair: divorced + wife)");
  private static final List<String> FLIGHT_ATTACKS =
      List.of(
          "label_flip (random rows)",
          "label_flip (segment origin=ORD)",
          "backdoor (pair: night departure + destination HNL)",
          "replay (of day 2, 30% relabelled)",
          "duplicate_burst (3 copies)",
          "feature_corruption (distance x1.609)",
          "null_injection (destination)");
  private static final List<String> CLIENT_ATTACKS =
      List.of(
          "boost (x10)",
          "sign_flip",
          "label_flip_client",
          "little_is_enough (z=1)",
          "sybil (new clients)");

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Page to write (default: docs/scorecard.md).")
  Path out = Path.of("docs/scorecard.md");

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Where lakes and shadows go (default: a temporary" + " folder, deleted afterwards).")
  Path work;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of every attack (default 1).")
  long seed = 1;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Daily partitions of Adult (default 28).")
  int days = 28;

  @Option(
      names = "--testdata",
      paramLabel = "DIR",
      description =
          "The repository's testdata folder, for the"
              + " flights table (default: beside bin/assay, else ./testdata).")
  Path testdata;

  @Option(
      names = "--rates",
      paramLabel = "R,R",
      split = ",",
      description = "Poisoning rates of the table attacks (default 0.005,0.01,0.05,0.2).")
  List<Double> rates = List.of(0.005, 0.01, 0.05, 0.2);

  @Option(
      names = "--client-rates",
      paramLabel = "R,R",
      split = ",",
      description = "Shares of malicious clients per attacked round (default 0.02,0.1,0.2).")
  List<Double> clientRates = List.of(0.02, 0.1, 0.2);

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    for (double rate : concat(rates, clientRates)) {
      if (!(rate > 0 && rate < 0.5)) {
        throw AssayException.invalid(
            "Invalid rate " + rate + ": rates are fractions in (0, 0.5), such as 0.05.");
      }
    }
    PrintStream progress = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    boolean temporary = work == null;
    Path root =
        temporary
            ? Files.createTempDirectory("assay-scorecard")
            : work.toAbsolutePath().normalize();
    try {
      progress.println("Building the clean lake in " + root.resolve("base") + " ...");
      Path baseConfig = ScorecardLake.build(Assay.spark(), root.resolve("base"), days);
      AssayConfig base = ConfigLoader.load(baseConfig);
      List<String> partitions =
          DatasetTable.open(Assay.spark(), base.dataset("adult")).partitions();
      long rowsPerDay =
          DatasetTable.open(Assay.spark(), base.dataset("adult")).read().count()
              / partitions.size();
      List<ScorecardPage.Run> tableRuns = new ArrayList<>();
      for (double rate : rates) {
        Path shadow = root.resolve("adult-" + label(rate).replace("%", "pct"));
        progress.println("adult at " + label(rate) + ":");
        new RedTeam(Assay.spark(), base, "adult")
            .run(tableAttacks(rate, partitions, rowsPerDay), shadow, seed);
        tableRuns.add(
            new ScorecardPage.Run(
                label(rate), EvaluateCommand.evaluate(shadow, "adult", progress)));
      }
      List<String> rounds =
          DatasetTable.open(Assay.spark(), base.dataset("fl_updates")).partitions();
      List<ScorecardPage.Run> clientRuns = new ArrayList<>();
      for (double rate : clientRates) {
        Path shadow = root.resolve("fl-" + label(rate).replace("%", "pct"));
        progress.println("fl_updates at " + label(rate) + " of the clients:");
        new RedTeam(Assay.spark(), base, "fl_updates")
            .run(clientAttacks(rate, rounds), shadow, seed);
        clientRuns.add(
            new ScorecardPage.Run(
                label(rate), EvaluateCommand.evaluate(shadow, "fl_updates", progress)));
      }
      progress.println("Building the flights lake in " + root.resolve("flights") + " ...");
      Path flightsDir = root.resolve("flights");
      SuiteLakes.build(Assay.spark(), testdata(), flightsDir, "flights", 1);
      AssayConfig flights =
          ConfigLoader.load(SuiteLakes.build(Assay.spark(), testdata(), flightsDir, "flights", 2));
      List<String> flightDays =
          DatasetTable.open(Assay.spark(), flights.dataset("flights")).partitions();
      long flightsPerDay =
          DatasetTable.open(Assay.spark(), flights.dataset("flights")).read().count()
              / flightDays.size();
      List<ScorecardPage.Run> flightRuns = new ArrayList<>();
      for (double rate : rates) {
        Path shadow = root.resolve("flights-" + label(rate).replace("%", "pct"));
        progress.println("flights at " + label(rate) + ":");
        new RedTeam(Assay.spark(), flights, "flights")
            .run(flightAttacks(rate, flightDays, flightsPerDay), shadow, seed);
        flightRuns.add(
            new ScorecardPage.Run(
                label(rate), EvaluateCommand.evaluate(shadow, "flights", progress)));
      }
      String command = "bin/assay scorecard --seed " + seed + (days == 28 ? "" : " --days " + days);
      String data =
          "Data: the 32,561 UCI Adult training rows (CC BY 4.0; `testdata/adult/adult.data.gz`, the gzipped"
              + " `adult.data` of `../shared/data/adult`) spread over "
              + partitions.size()
              + " daily partitions (about "
              + rowsPerDay
              + " rows each), with the demo's contract (size, completeness,"
              + " unique ids, age <= 120, allowed values, provenance, SHA-256 ingestion checksums), duplicates and checks"
              + " quarantines, label drift per source; and 12 FedAvg rounds of 50 clients training logistic regression"
              + " on non-IID shares of Adult (1,024-value updates). The first 7 days form the trusted baseline; each"
              + " attack hits its own later day, and the days between stay untouched to count false alarms.";
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(
          out,
          ScorecardPage.render(
              command,
              data,
              List.of(
                  new ScorecardPage.Matrix(
                      "Table attacks on Adult",
                      "Rate = share of the attacked day's rows poisoned (for the"
                          + " segment flip, of the segment's rows; for the backdoor, the trigger's support; for the shift, the"
                          + " rows dropped).",
                      "rows",
                      TABLE_ATTACKS,
                      tableRuns),
                  new ScorecardPage.Matrix(
                      "Table attacks on flights (real day-to-day variation)",
                      "The false-alarm"
                          + " suite's event table: "
                          + flightDays.size()
                          + " consecutive days of 2001 US flights (about "
                          + flightsPerDay
                          + " rows a day, 30 busiest origins; label late = delay > 15, segment origin), where"
                          + " weather moves the share of late flights between 7% and 42% from one day to the next. Rate as"
                          + " above. Natural variation hides small attacks here: see docs/calibration.md.",
                      "rows",
                      FLIGHT_ATTACKS,
                      flightRuns),
                  new ScorecardPage.Matrix(
                      "Federated-learning client attacks",
                      "Rate = share of the 50 clients attacking in"
                          + " the attacked round (at least one). Rounds 1-6 and 12 are honest.",
                      "clients",
                      CLIENT_ATTACKS,
                      clientRuns))));
      progress.println("Wrote " + out.toAbsolutePath());
      return 0;
    } finally {
      if (temporary) {
        delete(root);
      }
    }
  }

  /**
   * Nine attacks, each on its own day after the 7-day baseline, with an untouched day between two.
   */
  private List<String> tableAttacks(double rate, List<String> days, long rowsPerDay) {
    long support = Math.max(1, Math.round(rate * rowsPerDay));
    double shifted = Math.max(0, 1 - rate / 0.32);
    List<String> templates =
        List.of(
            "label_flip:rate=%1$s",
            "label_flip:rate=%1$s,segment=source:partner_b",
            "backdoor:trigger=" + TRIGGER + ",support=" + support + ",target=>50K",
            "replay:from=" + days.get(1) + ",rate=%1$s,relabel=0.3",
            "duplicate_burst:rate=%2$s,copies=3",
            "feature_corruption:feature=age,mode=scale,value=12,rate=%1$s",
            "distribution_shift:where=education:HS-grad,keep=" + number(shifted),
            "null_injection:column=workclass,rate=%1$s",
            "checksum_tamper:column=hours_per_week,rate=%1$s",
            "backdoor:trigger=" + PAIR_TRIGGER + ",support=" + support + ",target=>50K");
    return onAlternateDays(templates, rate, days);
  }

  /**
   * The attack templates (%1$s: the rate, %2$s: a third of it) at a rate, the i-th on day 9 + 2i:
   * after the 7-day baseline, with an untouched day after each to count false alarms.
   */
  private static List<String> onAlternateDays(
      List<String> templates, double rate, List<String> days) {
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < templates.size(); i++) {
      specs.add(
          String.format(Locale.ROOT, templates.get(i), number(rate), number(rate / 3))
              + ",partitions="
              + days.get(8 + 2 * i));
    }
    return specs;
  }

  /**
   * Seven attacks on flights, each on its own day after the 7-day baseline, with an untouched day
   * between two.
   */
  private List<String> flightAttacks(double rate, List<String> days, long rowsPerDay) {
    long support = Math.max(1, Math.round(rate * rowsPerDay));
    List<String> templates =
        List.of(
            "label_flip:rate=%1$s",
            "label_flip:rate=%1$s,segment=origin:ORD",
            "backdoor:trigger=" + FLIGHTS_TRIGGER + ",support=" + support + ",target=yes",
            "replay:from=" + days.get(1) + ",rate=%1$s,relabel=0.3",
            "duplicate_burst:rate=%2$s,copies=3",
            "feature_corruption:feature=distance,mode=scale,value=1.609,rate=%1$s",
            "null_injection:column=destination,rate=%1$s");
    return onAlternateDays(templates, rate, days);
  }

  /** The testdata folder: the option, else beside the launcher (bin/assay), else ./testdata. */
  private Path testdata() {
    if (testdata != null) {
      return testdata;
    }
    String launcher = System.getenv("ASSAY_LAUNCHER");
    Path beside =
        launcher == null
            ? null
            : Path.of(launcher).toAbsolutePath().getParent().resolveSibling("testdata");
    return beside != null && Files.isDirectory(beside) ? beside : Path.of("testdata");
  }

  /** Five client attacks on rounds 7 to 11, each by its own clients. */
  private List<String> clientAttacks(double rate, List<String> rounds) {
    int clients = FederatedAdult.Settings.demo().clients();
    int count = Math.max(1, (int) Math.round(rate * clients));
    List<String> kinds =
        List.of("boost:factor=10", "sign_flip", "label_flip_client", "little_is_enough:z=1");
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      String round = rounds.get(6 + i);
      String chosen = String.join("|", pick(count, clients, round));
      specs.add(
          kinds.get(i)
              + (kinds.get(i).contains(":") ? "," : ":")
              + "clients="
              + chosen
              + ",partitions="
              + round);
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
