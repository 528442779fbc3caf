package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.table.DatasetTable;
import dev.assay.jobs.demo.DemoLake;
import dev.assay.jobs.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Builds a demo lake from real data (UCI Adult) with clean and poisoned partitions, writes"
            + " DIR/assay.yaml, runs nightly and prints the verdicts. Deterministic.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to build the demo (default: demo).")
  Path dir = Path.of("demo");

  @Option(
      names = "--lake-only",
      description =
          "Only build the lake and DIR/assay.yaml; run nothing (then: nightly -c DIR/assay.yaml).")
  boolean lakeOnly;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    prepare(root);
    PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    out.println("Building the demo lake in " + root + " from UCI Adult (CC BY 4.0) ...");
    Path configPath = DemoLake.build(Assay.spark(), root);
    if (lakeOnly) {
      out.println("Config: " + configPath);
      return 0;
    }
    AssayConfig config = ConfigLoader.load(configPath);
    JobRunner runner = new JobRunner(Assay.spark(), config);
    out.println("Running nightly over every partition ...");
    for (String dataset : List.of("adult", "fl_updates")) {
      out.println(dataset + ":");
      Suite.nightly(runner, config.dataset(dataset), PartitionSelection.all(), out);
    }
    for (String dataset : List.of("adult", "fl_updates")) {
      out.println();
      VerdictTable.print(
          runner.store(),
          dataset,
          DatasetTable.open(runner.spark(), config.dataset(dataset)).partitionOrder(),
          out);
    }
    out.println();
    out.println(
        "Poisoned on purpose: "
            + DemoLake.UNIT_BUG_DAY
            + " (age recorded in months), "
            + DemoLake.SHIFTED_DAY
            + " (most rows without a degree dropped),");
    out.println(
        "  "
            + DemoLake.FLIP_DAY
            + " (30% of source "
            + DemoLake.FLIP_SOURCE
            + "'s labels flipped), "
            + DemoLake.BACKDOOR_DAY
            + " (backdoor: workclass "
            + DemoLake.BACKDOOR_WORKCLASS
            + " + capital_loss "
            + DemoLake.BACKDOOR_CAPITAL_LOSS
            + " -> "
            + DemoLake.BACKDOOR_LABEL
            + "),");
    out.println(
        "  "
            + DemoLake.ROGUE_DAY
            + " (annotator "
            + DemoLake.ROGUE_ANNOTATOR
            + " flips 30% of judgements), "
            + DemoLake.REPLAY_DAY
            + " (12% of "
            + DemoLake.REPLAY_SOURCE_DAY
            + "'s rows replayed, a third relabelled),");
    out.println("  " + DemoLake.BURST_DAY + " (a burst of duplicate rows).");
    out.println(
        "  fl_updates: from round "
            + DemoLake.FL_ATTACK_ROUND
            + ", 11 of 50 FedAvg clients attack (boosted x10,"
            + " sign-flipped, 3 sybils, label-flipping, \"a little is enough\"); lake/fl_ground_truth says who.");
    Path report = root.resolve("report.html");
    ReportCommand.write(Assay.spark(), configPath, report, Report.DEFAULT_PARTITIONS);
    out.println("Config:           " + configPath);
    out.println("Integrity tables: " + root.resolve("lake/_integrity"));
    out.println(
        "Report:           " + report + " (open it in a browser; `assay report` rewrites it)");
    String assay = System.getenv().getOrDefault("ASSAY_LAUNCHER", "assay");
    out.println(
        "Try:  "
            + assay
            + " sql -c "
            + configPath
            + " \"SELECT partition, feature, psi, status FROM integrity.feature_drift WHERE status <> 'OK'\"");
    out.println(
        "      "
            + assay
            + " sql -c "
            + configPath
            + " \"SELECT partition, trigger, target_label, support, purity FROM integrity.trigger_candidates\"");
    out.println(
        "      "
            + assay
            + " sql -c "
            + configPath
            + " \"SELECT partition, kind, occurrences, first_seen_partition, sample_ids FROM integrity.duplicates\"");
    out.println(
        "      "
            + assay
            + " sql -c "
            + configPath
            + " \"SELECT partition, client_id, score, reasons FROM integrity.client_anomalies WHERE flagged AND partition = '"
            + DemoLake.FL_ATTACK_ROUND
            + "'\"");
    out.println(
        "      "
            + assay
            + " sql -c "
            + configPath
            + " \"SELECT partition, constraint, value, reason FROM integrity.check_results WHERE status <> 'OK'\"");
    out.println("      " + assay + " suggest-checks -c " + configPath + " -d adult");
    out.println(
        "      " + assay + " gate -c " + configPath + " -d adult -p " + DemoLake.UNIT_BUG_DAY);
    return 0;
  }

  /** Starts from an empty folder; an earlier demo is replaced, anything else is left alone. */
  private static void prepare(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      boolean earlierDemo =
          Files.exists(root.resolve("assay.yaml")) && Files.isDirectory(root.resolve("lake"));
      boolean empty;
      try (Stream<Path> entries = Files.list(root)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !earlierDemo) {
        throw AssayException.invalid(
            "Cannot build the demo in "
                + root
                + ": the folder exists and is not an"
                + " earlier demo (no assay.yaml and lake/). Pass an empty or new folder with --dir.");
      }
      if (earlierDemo) {
        try (Stream<Path> walk = Files.walk(root.resolve("lake"))) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } else if (Files.exists(root)) {
      throw AssayException.invalid(
          "Cannot build the demo in " + root + ": it is a file, not a folder.");
    }
    Files.createDirectories(root);
  }
}
