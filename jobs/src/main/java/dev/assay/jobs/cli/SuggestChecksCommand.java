package dev.assay.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.assay.common.AssayException;
import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.DatasetConfig;
import dev.assay.common.store.IntegrityStore;
import dev.assay.common.store.IntegrityTables;
import dev.assay.common.table.DatasetTable;
import dev.assay.jobs.checks.CheckSuggester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "suggest-checks",
    mixinStandardHelpOptions = true,
    description = {
      "Profiles trusted partitions and prints suggested constraints as YAML for the dataset's checks,",
      "with the evidence for each. Trusted: partitions whose verdict is PASS, or those given with -p."
    })
final class SuggestChecksCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = {"-d", "--dataset"},
      required = true,
      paramLabel = "NAME")
  String dataset;

  @Option(
      names = {"-p", "--partition"},
      paramLabel = "VALUE",
      description =
          "A partition to learn from; repeatable. Default: every partition whose verdict is PASS.")
  List<String> partitions = new ArrayList<>();

  @Option(names = "--level", paramLabel = "LEVEL", description = "warning (default) or error.")
  String level = "warning";

  @Option(
      names = "--max-categories",
      paramLabel = "N",
      description = "Text columns with at most N distinct values get allowed values (default 30).")
  int maxCategories = 30;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the YAML here instead of stdout.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!level.equals("warning") && !level.equals("error")) {
      throw AssayException.invalid("Invalid --level '" + level + "'; expected warning or error.");
    }
    if (maxCategories < 1) {
      throw AssayException.invalid(
          "Invalid --max-categories " + maxCategories + "; expected at least 1.");
    }
    AssayConfig loaded = config.load();
    DatasetConfig chosen = loaded.dataset(dataset);
    if (!chosen.isTable()) {
      throw AssayException.invalid(
          "Dataset '" + dataset + "' holds client updates; checks apply to tables.");
    }
    DatasetTable table = DatasetTable.open(Assay.spark(), chosen);
    List<String> all = table.partitions();
    List<String> trusted = new ArrayList<>();
    if (partitions.isEmpty()) {
      Set<String> passed = new HashSet<>();
      IntegrityStore store = IntegrityStore.open(Assay.spark(), loaded.integrity());
      if (store.exists(IntegrityTables.VERDICTS)) {
        for (Row row :
            store
                .read(IntegrityTables.VERDICTS)
                .where(col("dataset").equalTo(dataset).and(col("verdict").equalTo("PASS")))
                .select("partition")
                .collectAsList()) {
          passed.add(row.getString(0));
        }
      }
      all.stream().filter(passed::contains).forEach(trusted::add);
      if (trusted.isEmpty()) {
        throw AssayException.invalid(
            "No trusted partition of '"
                + dataset
                + "': none has a PASS verdict. Run"
                + " `assay nightly -c "
                + config.file
                + "` first, or name clean partitions with -p.");
      }
    } else {
      for (String p : partitions) {
        if (!all.contains(p)) {
          throw AssayException.invalid(
              "Cannot find partition "
                  + chosen.partitionColumn()
                  + "="
                  + p
                  + " in "
                  + chosen.table()
                  + "; pass an existing value with -p.");
        }
      }
      all.stream().filter(partitions::contains).forEach(trusted::add);
    }
    String yaml =
        new CheckSuggester(table, trusted, maxCategories).suggest(dataset + "_suggested", level);
    if (out == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
    } else {
      try {
        Files.writeString(out, yaml, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw AssayException.invalid(
            "Cannot write " + out + ": " + e.getMessage() + ". Pass a writable --out path.");
      }
      spec.commandLine().getOut().println("Wrote suggested checks to " + out);
    }
    return 0;
  }
}
