package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.job.PartitionSelection;
import dev.assay.jobs.duplicates.DuplicatesJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The duplicates job, which can also rebuild its fingerprint index from scratch. */
@Command(
    name = "duplicates",
    mixinStandardHelpOptions = true,
    description =
        "Exact duplicates, replays of earlier partitions (fingerprint index), label conflicts,"
            + " near-duplicates and quarantine.")
final class DuplicatesCommand implements Callable<Integer> {
  @Mixin DatasetOptions options;
  @Spec CommandSpec spec;

  @Option(
      names = "--rebuild-index",
      description =
          "Drop the dataset's fingerprint index and rebuild it from every"
              + " partition, replacing all duplicate results.")
  boolean rebuildIndex;

  @Override
  public Integer call() {
    PartitionSelection selection = options.selection();
    if (rebuildIndex) {
      if (!selection.isPending() && !selection.isAll()) {
        throw AssayException.invalid(
            "Invalid flags: --rebuild-index processes every partition; drop -p.");
      }
      selection = PartitionSelection.all();
    }
    boolean rebuild = rebuildIndex;
    return JobCommand.run(() -> new DuplicatesJob(rebuild), options, selection, spec);
  }
}
