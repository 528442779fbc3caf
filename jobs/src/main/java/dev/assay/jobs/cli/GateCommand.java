package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import dev.assay.common.Json;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.verdict.VerdictSigner;
import dev.assay.jobs.gate.Gate;
import dev.assay.jobs.gate.GateDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
      "Prints one JSON decision on stdout: may training use these partitions?",
      "Without -d, one JSON line per dataset of the config.",
      "Exit 0 = verified pass (of every dataset); 1 = blocked (FAIL, WARN with --block-on warn, missing or stale verdict,"
          + " a verdict Assay did not write, an unreadable integrity table, or data changed after it was verified);"
          + " 2 = bad config or unknown dataset.",
      "Verdict signatures are checked with the key from $ASSAY_VERDICT_KEY, $ASSAY_VERDICT_KEY_FILE or"
          + " integrity.verdict_key_file (docs/security.md)."
    })
final class GateCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

  @Mixin ConfigOption config;

  @Option(
      names = {"-d", "--dataset"},
      paramLabel = "NAME",
      description = "Dataset to check. Default: every dataset in the config, one JSON line each.")
  String dataset;

  @Option(
      names = {"-p", "--partition"},
      paramLabel = "VALUE",
      description = "Partition to check; repeatable. Default: every partition of the table.")
  List<String> partitions = new ArrayList<>();

  @Option(names = "--block-on", paramLabel = "LEVEL", description = "fail (default) or warn.")
  String blockOn = "fail";

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      description = "Block when a verdict is older than this: 30m, 24h, 7d or ISO-8601 (PT24H).")
  String maxAge;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      Gate.BlockOn level =
          switch (blockOn) {
            case "fail" -> Gate.BlockOn.FAIL;
            case "warn" -> Gate.BlockOn.WARN;
            default ->
                throw AssayException.invalid(
                    "Invalid --block-on '" + blockOn + "'; expected fail or warn.");
          };
      Duration age = maxAge == null ? null : parseDuration(maxAge);
      AssayConfig loaded = config.load();
      DatasetOptions.requireDatasetFor(partitions, dataset);
      IntegrityStore store = IntegrityStore.open(Assay.spark(), loaded.integrity());
      Optional<VerdictSigner> signer =
          VerdictSigner.configured(System.getenv(), loaded.integrity().verdictKeyFile());
      if (signer.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "Note: verdicts are unsigned (no "
                    + VerdictSigner.KEY_VARIABLE
                    + ", "
                    + VerdictSigner.KEY_FILE_VARIABLE
                    + " or integrity.verdict_key_file): the gate checks their commits'"
                    + " provenance only. See docs/security.md.");
      }
      boolean blocked = false;
      for (DatasetConfig target : loaded.select(dataset)) {
        Gate gate = new Gate(Assay.spark(), store, target, signer).blockOn(level);
        if (age != null) {
          gate.maxAge(age);
        }
        GateDecision decision = gate.check(partitions);
        spec.commandLine().getOut().println(decision.toJson());
        blocked |= decision.blocked();
      }
      return blocked ? ExitCode.BLOCKED.code() : ExitCode.OK.code();
    } catch (AssayException e) {
      String name = dataset == null ? "null" : Json.string(dataset);
      spec.commandLine()
          .getOut()
          .println(
              "{\"dataset\":"
                  + name
                  + ",\"partitions\":"
                  + Json.array(partitions)
                  + ",\"verdict\":\"ERROR\",\"reasons\":"
                  + Json.array(List.of(e.getMessage()))
                  + ",\"input_version\":null,\"blocked\":true,\"signed\":false}");
      throw e;
    }
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (RuntimeException e) {
      throw AssayException.invalid(
          "Invalid --max-age '" + text + "'; expected a duration like 30m, 24h, 7d or PT24H.");
    }
  }
}
