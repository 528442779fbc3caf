package dev.assay.common.config;

import java.util.List;
import java.util.Optional;

/**
 * One monitored dataset. Column names are checked against the table schema when a job opens the
 * table (see {@code dev.assay.common.table.DatasetTable}).
 *
 * @param index position in the config's {@code datasets} list, for error key paths
 * @param fingerprintExclude columns left out of content fingerprints, besides the id and partition
 *     columns
 * @param kind a table of rows, or federated-learning client updates with their settings; a dataset
 *     of client updates has no features, and only the client-anomalies job applies to it
 * @param checks Deequ-style constraint checks, run by the checks job (empty: none)
 * @param checksQuarantine where rows failing row-level constraints of failed checks are copied, if
 *     anywhere
 */
public record DatasetConfig(
    int index,
    String name,
    String table,
    String partitionColumn,
    List<String> idColumns,
    Optional<String> labelColumn,
    List<String> segmentColumns,
    FeatureSelection numeric,
    FeatureSelection categorical,
    List<String> fingerprintExclude,
    BaselineConfig baseline,
    ProfileSettings profile,
    Thresholds thresholds,
    LabelSettings labels,
    DuplicateSettings duplicates,
    DatasetKind kind,
    List<dev.assay.common.checks.Check> checks,
    Optional<String> checksQuarantine) {

  /** True for a table of rows (features, labels); false for federated-learning client updates. */
  public boolean isTable() {
    return kind instanceof DatasetKind.Table;
  }

  /** The client settings of a dataset of client updates; a table has none. */
  public ClientSettings clientSettings() {
    if (kind instanceof DatasetKind.ClientUpdates updates) {
      return updates.settings();
    }
    throw new IllegalStateException("dataset " + name + " is a table, not client updates");
  }

  /** The key path of this dataset in the config, such as {@code datasets[0]}. */
  public String keyPath() {
    return "datasets[" + index + "]";
  }
}
