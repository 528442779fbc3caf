package dev.assay.jobs.cli;

import dev.assay.common.Json;
import dev.assay.common.job.Job;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes every command and flag of the real CLI model as JSON, for the Airflow DAG tests that check
 * the DAGs only use commands and flags that exist. The build runs it before the DAG tests: {@code
 * CliManifest target/cli-manifest.json}.
 */
public final class CliManifest {
  private CliManifest() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("Missing required argument: the output file");
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json(), StandardCharsets.UTF_8);
  }

  static String json() {
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    CommandLine root = Assay.commandLine(quiet, quiet);
    List<String> jobs = new ArrayList<>();
    for (Job job : Suite.jobs()) {
      jobs.add(job.name());
    }
    jobs.add("verdict");
    List<String> commands = new ArrayList<>();
    collect("", root, commands);
    return "{\"main_class\":"
        + Json.string(Assay.class.getName())
        + ",\"jobs\":"
        + Json.array(jobs)
        + ",\"commands\":{"
        + String.join(",", commands)
        + "}}\n";
  }

  private static void collect(String prefix, CommandLine command, List<String> into) {
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      String path = prefix.isEmpty() ? sub.getKey() : prefix + " " + sub.getKey();
      into.add(Json.string(path) + ":" + describe(sub.getValue().getCommandSpec()));
      collect(path, sub.getValue(), into);
    }
  }

  private static String describe(CommandSpec spec) {
    List<String> options = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      options.add(
          "{\"names\":"
              + Json.array(List.of(option.names()))
              + ",\"takes_value\":"
              + (option.arity().max() > 0)
              + ",\"required\":"
              + option.required()
              + "}");
    }
    int positionals = 0;
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      if (positional.arity().isUnresolved() || positional.arity().max() == Integer.MAX_VALUE) {
        positionals = -1;
        break;
      }
      positionals += positional.arity().max();
    }
    return "{\"options\":[" + String.join(",", options) + "],\"positionals\":" + positionals + "}";
  }
}
