package dev.assay.common.config;

/** What a dataset holds, set by its {@code kind} key; it decides which jobs apply. */
public sealed interface DatasetKind {
  /** Rows with features, labels and fingerprints ({@code kind: table}, the default). */
  record Table() implements DatasetKind {}

  /**
   * Federated-learning client updates, one row per round and client ({@code kind: client_updates}):
   * no features, and only the client-anomalies job applies.
   */
  record ClientUpdates(ClientSettings settings) implements DatasetKind {}
}
