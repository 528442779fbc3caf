package dev.assay.jobs.cli;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.job.RunResult;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs one job on the selected datasets and partitions. */
@Command(mixinStandardHelpOptions = true)
final class JobCommand implements Callable<Integer> {
  private final Supplier<Job> job;

  @Mixin DatasetOptions options;
  @Spec CommandSpec spec;

  /**
   * @param job the job; null for the verdict job, which needs the whole suite
   */
  JobCommand(Supplier<Job> job) {
    this.job = job;
  }

  @Override
  public Integer call() {
    return run(job, options, options.selection(), spec);
  }

  /** Runs the job on every selected dataset it applies to, printing one line per dataset. */
  static int run(
      Supplier<Job> job, DatasetOptions options, PartitionSelection selection, CommandSpec spec) {
    AssayConfig config = options.load();
    JobRunner runner = new JobRunner(Assay.spark(), config);
    for (DatasetConfig dataset : config.select(options.dataset)) {
      Job toRun = job == null ? Suite.verdict(config) : job.get();
      if (!toRun.appliesTo(dataset)) {
        spec.commandLine()
            .getOut()
            .println(dataset.name() + ": " + toRun.name() + " does not apply; skipped");
        continue;
      }
      RunResult result = runner.run(toRun, dataset, selection);
      spec.commandLine()
          .getOut()
          .println(
              dataset.name()
                  + ": "
                  + toRun.name()
                  + ": "
                  + result.outcome().message()
                  + (result.partitions().isEmpty() ? "" : " (run " + result.runId() + ")"));
    }
    return 0;
  }
}
