package dev.assay.jobs.cli;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.table.DatasetTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = "Runs every job that applies to each dataset for the pending partitions, then the verdicts.")
final class NightlyCommand implements Callable<Integer> {
  @Mixin DatasetOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    AssayConfig config = options.load();
    PartitionSelection selection = options.selection();
    JobRunner runner = new JobRunner(Assay.spark(), config);
    java.io.PrintStream out = new java.io.PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    for (DatasetConfig dataset : config.select(options.dataset)) {
      out.println(dataset.name() + ":");
      Suite.nightly(runner, dataset, selection, out);
    }
    out.println();
    for (DatasetConfig dataset : config.select(options.dataset)) {
      VerdictTable.print(runner.store(), dataset.name(),
          DatasetTable.open(runner.spark(), dataset).partitionOrder(), out);
    }
    return 0;
  }
}
