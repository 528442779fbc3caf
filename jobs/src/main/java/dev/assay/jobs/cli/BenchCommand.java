package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.jobs.bench.ChecksBenchmark;
import dev.assay.jobs.bench.ClientAnomaliesBenchmark;
import dev.assay.jobs.bench.DuplicatesBenchmark;
import dev.assay.jobs.bench.JobBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Generates data once, then times a bare scan and a job in the same run and prints their ratio.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "JOB",
      description =
          "The job to time: profile, label-drift, duplicates," + " client-anomalies or checks.")
  String job;

  @Option(names = "--clients", description = "client-anomalies: clients per round (default 200).")
  int clients = 200;

  @Option(names = "--rounds", description = "client-anomalies: rounds (default 20).")
  int rounds = 20;

  @Option(names = "--dim", description = "client-anomalies: values per update (default 100000).")
  int dim = 100_000;

  @Option(
      names = "--rows-per-partition",
      description = "duplicates: rows per partition (default 1000000).")
  long rowsPerPartition = 1_000_000;

  @Option(
      names = "--history",
      description = "duplicates: indexed partitions before the new one (default 10).")
  int history = 10;

  @Option(names = "--rows", description = "Rows (default 1000000).")
  long rows = 1_000_000;

  @Option(names = "--numeric", description = "Numeric features (default 20).")
  int numeric = 20;

  @Option(names = "--categorical", description = "Categorical features (default 2).")
  int categorical = 2;

  @Option(names = "--partitions", description = "Partitions (default 10).")
  int partitions = 10;

  @Option(names = "--repeat", description = "Timed rounds; the best is reported (default 3).")
  int repeat = 3;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Scratch folder (default: a temporary one, deleted after). A table generated"
              + " there earlier with the same sizes is reused.")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!JobBenchmark.JOBS.contains(job)
        && !job.equals("duplicates")
        && !job.equals("client-anomalies")
        && !job.equals("checks")) {
      throw AssayException.invalid(
          "Invalid job '"
              + job
              + "' for bench; the benchmarked jobs are: "
              + String.join(", ", JobBenchmark.JOBS)
              + ", duplicates, client-anomalies, checks.");
    }
    if (clients < 5 || rounds < 2 || dim < 1) {
      throw AssayException.invalid(
          "Invalid sizes: need --clients >= 5, --rounds >= 2 and --dim >= 1.");
    }
    if (rows < partitions || numeric < 1 || categorical < 0 || partitions < 1 || repeat < 1) {
      throw AssayException.invalid(
          "Invalid sizes: need rows >= partitions >= 1, numeric >= 1, categorical >= 0,"
              + " repeat >= 1.");
    }
    if (rowsPerPartition < 1 || history < 1) {
      throw AssayException.invalid(
          "Invalid sizes: need --rows-per-partition >= 1 and --history >= 1.");
    }
    boolean temporary = dir == null;
    Path scratch = temporary ? Files.createTempDirectory("assay-bench") : dir.toAbsolutePath();
    Files.createDirectories(scratch);
    PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    try {
      if (job.equals("client-anomalies")) {
        new ClientAnomaliesBenchmark(Assay.spark(), clients, rounds, dim, repeat).run(scratch, out);
      } else if (job.equals("checks")) {
        new ChecksBenchmark(Assay.spark(), rows, partitions, repeat).run(scratch, out);
      } else if (job.equals("duplicates")) {
        new DuplicatesBenchmark(
                Assay.spark(), rowsPerPartition, history, numeric, categorical, repeat)
            .run(scratch, out);
      } else {
        new JobBenchmark(Assay.spark(), job, rows, numeric, categorical, partitions, repeat)
            .run(scratch, out);
      }
    } finally {
      if (temporary) {
        try (Stream<Path> walk = Files.walk(scratch)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return 0;
  }
}
