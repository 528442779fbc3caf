package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import dev.assay.common.job.Job;
import dev.assay.common.spark.AssaySpark;
import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code assay} command line. Exit codes: 0 ok, 1 gate blocked, 2 bad input, 3 runtime failure.
 */
@Command(
    name = "assay",
    mixinStandardHelpOptions = true,
    versionProvider = Assay.Version.class,
    description = "Finds data poisoning in ML training data stored in Delta Lake.",
    subcommands = {
      DemoCommand.class, NightlyCommand.class, GateCommand.class, SqlCommand.class,
          SuggestChecksCommand.class,
      RedTeamCommand.class, EvaluateCommand.class, ScorecardCommand.class, ReportCommand.class,
          BenchCommand.class
    })
public final class Assay implements Runnable {
  private static SparkSession session;

  public static void main(String[] args) {
    int code;
    try {
      code = run(System.out, System.err, args);
    } catch (Throwable e) {
      System.err.println("assay: internal error: " + e);
      e.printStackTrace();
      code = ExitCode.FAILED.code();
    }
    System.out.flush();
    System.exit(code);
  }

  /** Runs the CLI in this JVM and returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = commandLine(out, err);
    return cli.execute(args);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Assay());
    addJob(
        cli,
        "profile",
        "Profiles features of pending partitions: histograms, sketches, counts.",
        dev.assay.jobs.profile.ProfileJob::new);
    addJob(
        cli,
        "feature-drift",
        "Compares each pending partition's profiles with its baseline.",
        dev.assay.jobs.drift.FeatureDriftJob::new);
    addJob(
        cli,
        "label-drift",
        "Label shift overall and per segment, class-conditional drift, backdoor triggers,"
            + " annotator agreement.",
        dev.assay.jobs.label.LabelDriftJob::new);
    cli.addSubcommand("duplicates", new CommandLine(new DuplicatesCommand()));
    addJob(
        cli,
        "client-anomalies",
        "Scores federated-learning client updates per round: norm, cosine to the"
            + " median, Multi-Krum, sybil similarity, history.",
        dev.assay.jobs.clients.ClientAnomaliesJob::new);
    addJob(
        cli,
        "checks",
        "Deequ-style constraint checks from the config: one pass per run, anomaly detection on"
            + " metric history, optional quarantine of failing rows.",
        dev.assay.jobs.checks.ChecksJob::new);
    addJob(
        cli,
        "verdict",
        "Derives the PASS/WARN/FAIL verdict of each partition from the integrity tables.",
        null);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("assay: " + message(e));
          if (e instanceof AssayException assay) {
            if (assay.exitCode() == ExitCode.FAILED && assay.getCause() != null) {
              assay.getCause().printStackTrace(commandLine.getErr());
            }
            return assay.exitCode().code();
          }
          e.printStackTrace(commandLine.getErr());
          return ExitCode.FAILED.code();
        });
    cli.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine().getErr().println("assay: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return ExitCode.INVALID.code();
        });
    cli.setExitCodeExceptionMapper(t -> ExitCode.FAILED.code());
    return cli;
  }

  private static void addJob(CommandLine cli, String name, String description, Supplier<Job> job) {
    CommandLine sub = new CommandLine(new JobCommand(job));
    sub.getCommandSpec().usageMessage().description(description);
    cli.addSubcommand(name, sub);
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The Spark session: the cluster's under spark-submit, else embedded; created on first use. */
  static synchronized SparkSession spark() {
    if (session == null) {
      session = AssaySpark.session();
    }
    return session;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Prints the jar's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"assay " + dev.assay.common.store.RunInfo.assayVersion()};
    }
  }
}
