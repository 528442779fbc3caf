package dev.assay.common.config;

import java.util.Optional;

/**
 * Where integrity tables live: a folder (one Delta table per subfolder) or a catalog schema.
 *
 * @param path folder of the tables, when stored by path
 * @param catalogSchema catalog schema such as {@code main.assay}, when stored in a catalog
 * @param verdictKeyFile {@code verdict_key_file}: the file holding the verdicts' signing key, if
 *     any
 */
public record IntegrityLocation(
    Optional<String> path, Optional<String> catalogSchema, Optional<String> verdictKeyFile) {

  public static IntegrityLocation atPath(String path) {
    return new IntegrityLocation(Optional.of(path), Optional.empty(), Optional.empty());
  }

  public static IntegrityLocation inCatalog(String schema) {
    return new IntegrityLocation(Optional.empty(), Optional.of(schema), Optional.empty());
  }

  /** The same location with the verdicts' key file. */
  public IntegrityLocation withVerdictKeyFile(String file) {
    return new IntegrityLocation(path, catalogSchema, Optional.of(file));
  }

  @Override
  public String toString() {
    return path.orElseGet(() -> "catalog schema " + catalogSchema.orElseThrow());
  }
}
