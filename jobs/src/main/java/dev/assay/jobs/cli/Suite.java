package dev.assay.jobs.cli;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.job.Job;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.job.RunResult;
import dev.assay.common.table.DatasetTable;
import dev.assay.jobs.checks.ChecksJob;
import dev.assay.jobs.clients.ClientAnomaliesJob;
import dev.assay.jobs.drift.FeatureDriftJob;
import dev.assay.jobs.duplicates.DuplicatesJob;
import dev.assay.jobs.label.LabelDriftJob;
import dev.assay.jobs.profile.ProfileJob;
import dev.assay.jobs.verdict.VerdictJob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The only place that knows every job: their order in a nightly run, and what verdicts expect. */
public final class Suite {
  private Suite() {}

  /**
   * Every analysis job, in the order nightly runs them: profiles before the jobs that read them,
   * and checks last, since its constraints may read other jobs' metrics.
   */
  public static List<Job> jobs() {
    return List.of(
        new ProfileJob(),
        new FeatureDriftJob(),
        new LabelDriftJob(),
        new DuplicatesJob(),
        new ClientAnomaliesJob(),
        new ChecksJob());
  }

  public static VerdictJob verdict(AssayConfig config) {
    Map<String, List<String>> expected = new HashMap<>();
    for (DatasetConfig dataset : config.datasets()) {
      List<String> names = new ArrayList<>();
      for (Job job : jobs()) {
        if (job.appliesTo(dataset) && job.verdictSource().isPresent()) {
          names.add(job.name());
        }
      }
      expected.put(dataset.name(), names);
    }
    return new VerdictJob(expected);
  }

  /**
   * Runs every applicable job, then the verdicts of every partition any job touched. Every job
   * reads the dataset at the one version opened here.
   */
  public static List<RunResult> nightly(
      JobRunner runner, DatasetConfig config, PartitionSelection selection, PrintStream out) {
    DatasetTable dataset = DatasetTable.open(runner.spark(), config);
    List<RunResult> results = new ArrayList<>();
    Set<String> touched = new LinkedHashSet<>();
    for (Job job : jobs()) {
      if (job.appliesTo(config)) {
        RunResult result = runner.run(job, dataset, selection);
        out.println("  " + job.name() + ": " + result.outcome().message());
        touched.addAll(result.partitions());
        results.add(result);
      }
    }
    VerdictJob verdict = verdict(runner.config());
    PartitionSelection verdictSelection = selection;
    if (selection.isPending()) {
      RunResult pending = runner.run(verdict, dataset, PartitionSelection.pending());
      touched.removeAll(pending.partitions());
      results.add(pending);
      out.println("  verdict: " + pending.outcome().message());
      if (touched.isEmpty()) {
        return results;
      }
      verdictSelection = PartitionSelection.of(new ArrayList<>(touched));
    }
    RunResult result = runner.run(verdict, dataset, verdictSelection);
    out.println("  verdict: " + result.outcome().message());
    results.add(result);
    return results;
  }
}
