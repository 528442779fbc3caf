package dev.assay.common.config;

import dev.assay.common.AssayException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated config. Immutable.
 *
 * @param source the file it came from
 * @param sha256 hex SHA-256 of the file's bytes, recorded with every run
 * @param integrity where the integrity tables live
 * @param datasets the monitored datasets, in config order
 */
public record AssayConfig(
    Path source, String sha256, IntegrityLocation integrity, List<DatasetConfig> datasets) {

  /** The dataset named {@code name}, or an exit-2 error listing the known names. */
  public DatasetConfig dataset(String name) {
    return find(name)
        .orElseThrow(
            () ->
                AssayException.invalid(
                    "Unknown dataset '"
                        + name
                        + "' in "
                        + source
                        + "; datasets are: "
                        + String.join(", ", datasets.stream().map(DatasetConfig::name).toList())
                        + ". Pass one of them with -d."));
  }

  public Optional<DatasetConfig> find(String name) {
    return datasets.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** The datasets a command works on: the one named, or all of them when {@code name} is null. */
  public List<DatasetConfig> select(String name) {
    return name == null ? datasets : List.of(dataset(name));
  }
}
