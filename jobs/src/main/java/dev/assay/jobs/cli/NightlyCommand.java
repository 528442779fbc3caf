package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.table.DatasetTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description =
        "Runs every job that applies to each dataset for the pending partitions, then the verdicts.")
final class NightlyCommand implements Callable<Integer> {
  @Mixin DatasetOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    AssayConfig config = options.load();
    PartitionSelection selection = options.selection();
    JobRunner runner = new JobRunner(Assay.spark(), config);
    java.io.PrintStream out =
        new java.io.PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    List<DatasetConfig> datasets = config.select(options.dataset);
    Map<String, RuntimeException> failures = new LinkedHashMap<>();
    for (DatasetConfig dataset : datasets) {
      out.println(dataset.name() + ":");
      try {
        Suite.nightly(runner, dataset, selection, out);
      } catch (RuntimeException e) {
        if (datasets.size() == 1) {
          throw e;
        }
        // one dataset's failure must not keep the others from their nightly
        failures.put(dataset.name(), e);
        spec.commandLine()
            .getErr()
            .println(
                "assay: dataset "
                    + dataset.name()
                    + " failed, the others go on: "
                    + e.getMessage());
        out.println("  FAILED: " + e.getMessage());
      }
    }
    out.println();
    for (DatasetConfig dataset : datasets) {
      if (!failures.containsKey(dataset.name())) {
        VerdictTable.print(
            runner.store(),
            dataset.name(),
            DatasetTable.open(runner.spark(), dataset).partitionOrder(),
            out);
      }
    }
    if (failures.isEmpty()) {
      return 0;
    }
    int code = 0;
    for (RuntimeException e : failures.values()) {
      code =
          Math.max(
              code,
              e instanceof AssayException assay ? assay.exitCode().code() : ExitCode.FAILED.code());
    }
    spec.commandLine()
        .getErr()
        .println(
            "assay: "
                + failures.size()
                + " of "
                + datasets.size()
                + " dataset(s) failed: "
                + String.join(", ", failures.keySet())
                + "; the others ran. Fix the cause and"
                + " re-run nightly: it picks up what is pending.");
    return code;
  }
}
