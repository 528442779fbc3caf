package dev.assay.jobs.cli;

import dev.assay.common.config.AssayConfig;
import dev.assay.jobs.redteam.RedTeam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "redteam",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a shadow copy of a dataset with known attacks injected, its ground truth and a config"
          + " ready for nightly, under --out. The original table is only read. Same seed, same shadow.",
      "Attacks (docs/redteam.md): label_flip, backdoor, replay, duplicate_burst, feature_corruption,"
          + " distribution_shift, null_injection, checksum_tamper; for client updates: boost, sign_flip, sybil,"
          + " label_flip_client, little_is_enough."
    })
final class RedTeamCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = {"-d", "--dataset"},
      required = true,
      paramLabel = "NAME",
      description = "Dataset to attack.")
  String dataset;

  @Option(
      names = "--attack",
      required = true,
      paramLabel = "SPEC",
      description =
          "KIND:key=value,...; repeatable, applied in order. Example:"
              + " label_flip:rate=0.05,partitions=2026-11-10,segment=source:partner_b")
  List<String> attacks = new ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the shadow (new, empty," + " or an earlier redteam output).")
  Path out;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of every random choice (default 1).")
  long seed = 1;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    AssayConfig loaded = config.load();
    RedTeam.Result result = new RedTeam(Assay.spark(), loaded, dataset).run(attacks, out, seed);
    var stdout = spec.commandLine().getOut();
    for (Map.Entry<String, Long> attack : result.rowsPerAttack().entrySet()) {
      stdout.println(
          attack.getKey()
              + ": "
              + attack.getValue()
              + (loaded.dataset(dataset).isTable() ? " row(s)" : " client update(s)")
              + " touched");
    }
    stdout.println("Shadow:       " + result.shadow());
    stdout.println("Ground truth: " + result.groundTruth());
    stdout.println("Config:       " + result.config());
    stdout.println(
        "Next: assay evaluate -c " + config.file + " -d " + dataset + " --shadow " + out);
    return 0;
  }
}
