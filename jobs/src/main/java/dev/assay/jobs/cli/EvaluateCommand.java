package dev.assay.jobs.cli;

import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.jobs.redteam.Evaluation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Runs nightly on a red-team shadow, joins the integrity tables to its ground truth, prints the"
            + " scorecard and writes integrity.scorecard (in the shadow's integrity tables).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The original config (the shadow's own is DIR/assay.yaml).")
  Path config;

  @Option(
      names = {"-d", "--dataset"},
      required = true,
      paramLabel = "NAME")
  String dataset;

  @Option(
      names = "--shadow",
      required = true,
      paramLabel = "DIR",
      description = "What assay redteam --out wrote.")
  Path shadow;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConfigLoader.load(config).dataset(dataset);
    PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    List<Evaluation.Score> scores = evaluate(shadow, dataset, out);
    out.println();
    out.print(Evaluation.format(scores));
    return 0;
  }

  /** Runs the suite on the shadow's pending partitions, then scores it. */
  static List<Evaluation.Score> evaluate(Path shadow, String dataset, PrintStream progress) {
    Evaluation evaluation = new Evaluation(Assay.spark(), shadow, dataset);
    JobRunner runner = new JobRunner(Assay.spark(), evaluation.shadowConfig());
    progress.println(dataset + " (shadow " + shadow + "):");
    Suite.nightly(runner, evaluation.dataset(), PartitionSelection.pending(), progress);
    return evaluation.score();
  }
}
