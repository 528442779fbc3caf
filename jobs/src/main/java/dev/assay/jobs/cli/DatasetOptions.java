package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.job.PartitionSelection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags shared by the commands that work on datasets. */
final class DatasetOptions {
  @Mixin ConfigOption config;

  @Option(
      names = {"-d", "--dataset"},
      paramLabel = "NAME",
      description = "Dataset name (default: every dataset in the config).")
  String dataset;

  @Option(
      names = {"-p", "--partition"},
      paramLabel = "VALUE",
      description = "Partition value to process; repeatable. Default: the pending partitions.")
  List<String> partitions = new ArrayList<>();

  @Option(names = "--all", description = "Process every partition.")
  boolean all;

  AssayConfig load() {
    return config.load();
  }

  PartitionSelection selection() {
    if (all && !partitions.isEmpty()) {
      throw AssayException.invalid(
          "Invalid flags: --all and -p cannot be combined; pass one of them.");
    }
    requireDatasetFor(partitions, dataset);
    return all
        ? PartitionSelection.all()
        : partitions.isEmpty() ? PartitionSelection.pending() : PartitionSelection.of(partitions);
  }

  /** Partition values belong to one dataset, so -p needs -d. */
  static void requireDatasetFor(List<String> partitions, String dataset) {
    if (!partitions.isEmpty() && dataset == null) {
      throw AssayException.invalid(
          "Invalid flags: -p needs -d, since partition values belong to one dataset.");
    }
  }
}
