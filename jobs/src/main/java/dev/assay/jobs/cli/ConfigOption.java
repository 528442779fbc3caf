package dev.assay.jobs.cli;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The -c flag of the commands that read the YAML config. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "YAML config file.")
  Path file;

  AssayConfig load() {
    return ConfigLoader.load(file);
  }
}
