package dev.assay.jobs.cli;

import dev.assay.common.AssayException;
import dev.assay.common.config.ConfigLoader;
import dev.assay.jobs.explore.IntegrityLake;
import dev.assay.jobs.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a self-contained HTML report (inline SVG charts, no scripts, works offline) from the"
          + " integrity tables: an executive summary, an on-call view with runbook hints, and a debug view.",
      "Example: assay report -c demo/assay.yaml --out report.html"
    })
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE")
  Path config;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write.")
  Path out;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "The latest N partitions of each dataset to show (default "
              + Report.DEFAULT_PARTITIONS
              + ").")
  int partitions = Report.DEFAULT_PARTITIONS;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (partitions < 1 || partitions > Report.MAX_PARTITIONS) {
      throw AssayException.invalid(
          "Invalid --partitions "
              + partitions
              + "; expected 1 to "
              + Report.MAX_PARTITIONS
              + " (the latest partitions of each dataset to show).");
    }
    Path target = out.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw AssayException.invalid(
          "--out "
              + out
              + " is a folder; give a file name such as "
              + target.resolve("report.html")
              + ".");
    }
    write(Assay.spark(), config, target, partitions);
    spec.commandLine().getOut().println("Report: " + target);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Renders the report of {@code configPath} into {@code target}, replacing it only once it is
   * complete.
   */
  static void write(
      org.apache.spark.sql.SparkSession spark, Path configPath, Path target, int partitions)
      throws IOException {
    var config = ConfigLoader.load(configPath);
    String html =
        Report.render(IntegrityLake.open(spark, config, false), configPath.toString(), partitions)
            .orElseThrow(
                () ->
                    AssayException.invalid(
                        "No verdicts yet in "
                            + config.integrity()
                            + ": run `assay"
                            + " nightly -c "
                            + configPath
                            + "` first, then the report."));
    Files.createDirectories(target.getParent());
    Path partial =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
    try {
      Files.writeString(partial, html, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
