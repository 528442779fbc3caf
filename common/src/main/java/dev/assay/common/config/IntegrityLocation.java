package dev.assay.common.config;

import java.util.Optional;

/**
 * Where integrity tables live: a folder (one Delta table per subfolder) or a catalog schema.
 *
 * @param path folder of the tables, when stored by path
 * @param catalogSchema catalog schema such as {@code main.assay}, when stored in a catalog
 */
public record IntegrityLocation(Optional<String> path, Optional<String> catalogSchema) {

  public static IntegrityLocation atPath(String path) {
    return new IntegrityLocation(Optional.of(path), Optional.empty());
  }

  public static IntegrityLocation inCatalog(String schema) {
    return new IntegrityLocation(Optional.empty(), Optional.of(schema));
  }

  @Override
  public String toString() {
    return path.orElseGet(() -> "catalog schema " + catalogSchema.orElseThrow());
  }
}
