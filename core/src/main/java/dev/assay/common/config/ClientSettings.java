package dev.assay.common.config;

import java.util.Optional;
import java.util.Set;

/**
 * The layout and scoring settings of a {@code kind: client_updates} dataset
 * (docs/client-anomalies.md).
 *
 * @param clientColumn the client id column
 * @param updateColumn the {@code array<float|double>} column: a client's whole update, or one chunk
 *     of it
 * @param layerColumn chunked layout: the layer name column, if any
 * @param chunkColumn chunked layout: the chunk index column, if any; rows are (round, client,
 *     layer, chunk)
 * @param perLayer also score each layer on its own (norm, cosine and sign agreement), in extra rows
 * @param byzantineFraction f as a share of a round's clients, for Multi-Krum (default 0.1)
 * @param sketchDim k, the dimension of the count sketch behind Krum and sybil scores (default 1024)
 * @param sketchSeed the seed of the sketch's hash functions; histories need it unchanged (default
 *     1)
 * @param minClients clients a round needs before within-round scores are judged (default 5)
 * @param minHistory past rounds a client needs before its history is judged (default 3)
 * @param normZ robust z of the norm within the round at or above which a client is flagged (default
 *     6)
 * @param cosineZ robust z of the cosine to the median at or below whose negative a client is
 *     flagged (default 12: small honest clients of non-IID federations can point well away from the
 *     median, so this is a backstop)
 * @param projectionZ robust z of the update's signed length along the median direction at or below
 *     whose negative a client is flagged (default 3): an update pushing hard against the consensus
 * @param flipScore log ratio of the Multi-Krum scores of the update and of its negation at or above
 *     which a client whose cosine to the median is negative is flagged (default 0.35): the negated
 *     update fits the other clients better than the update
 * @param krumZ robust z of the log Multi-Krum score at or above which a client is flagged (default
 *     6)
 * @param sybilCosine cosine of cumulative histories at or above which two clients are sybils
 *     (default 0.99)
 * @param sybilZ how far, in robust z, that cosine must also stand out from the round's (default 4)
 * @param historyZ |z| of the client's log norm or direction against their own past at which it is
 *     flagged (default 8)
 */
public record ClientSettings(
    String clientColumn,
    String updateColumn,
    Optional<String> layerColumn,
    Optional<String> chunkColumn,
    boolean perLayer,
    double byzantineFraction,
    int sketchDim,
    long sketchSeed,
    int minClients,
    int minHistory,
    double normZ,
    double cosineZ,
    double projectionZ,
    double flipScore,
    double krumZ,
    double sybilCosine,
    double sybilZ,
    double historyZ) {

  static final Set<String> LAYOUT_KEYS =
      Set.of("client_column", "update_column", "layer_column", "chunk_column");

  /** True for the chunked layout: several rows per (round, client). */
  public boolean chunked() {
    return layerColumn.isPresent() || chunkColumn.isPresent();
  }

  static ClientSettings parse(YamlNode dataset, YamlNode node) {
    String client = dataset.child("client_column").string();
    String update = dataset.child("update_column").string();
    Optional<String> layer = optional(dataset, "layer_column");
    Optional<String> chunk = optional(dataset, "chunk_column");
    if (!node.isMissing()) {
      node.requireMapWithKeys(
          Set.of(
              "per_layer",
              "byzantine_fraction",
              "sketch_dim",
              "sketch_seed",
              "min_clients",
              "min_history",
              "norm_z",
              "cosine_z",
              "projection_z",
              "flip_score",
              "krum_z",
              "sybil_cosine",
              "sybil_z",
              "history_z"));
    }
    boolean perLayer = node.has("per_layer") && node.child("per_layer").bool();
    if (perLayer && layer.isEmpty()) {
      throw node.child("per_layer")
          .error("per-layer scores need 'layer_column' on the dataset (the chunked layout)");
    }
    double fraction = number(node, "byzantine_fraction", 0.1);
    if (fraction < 0 || fraction >= 0.5) {
      throw node.child("byzantine_fraction")
          .error(
              "expected a share of clients in [0, 0.5), found "
                  + fraction
                  + "; Multi-Krum needs n >= 2f + 3 clients");
    }
    int sketch = node.has("sketch_dim") ? node.child("sketch_dim").positiveInt() : 1024;
    if (Integer.bitCount(sketch) != 1 || sketch < 64 || sketch > 65536) {
      throw node.child("sketch_dim")
          .error("expected a power of two from 64 to 65536, found " + sketch);
    }
    long seed = node.has("sketch_seed") ? node.child("sketch_seed").positiveInt() : 1;
    int minClients = node.has("min_clients") ? node.child("min_clients").positiveInt() : 5;
    if (minClients < 3) {
      throw node.child("min_clients")
          .error("expected at least 3 (robust scores need a majority), found " + minClients);
    }
    int minHistory = node.has("min_history") ? node.child("min_history").positiveInt() : 3;
    double sybilCosine = number(node, "sybil_cosine", 0.99);
    if (sybilCosine <= 0 || sybilCosine > 1) {
      throw node.child("sybil_cosine").error("expected a cosine in (0, 1], found " + sybilCosine);
    }
    return new ClientSettings(
        client,
        update,
        layer,
        chunk,
        perLayer,
        fraction,
        sketch,
        seed,
        minClients,
        minHistory,
        positive(node, "norm_z", 6),
        positive(node, "cosine_z", 12),
        positive(node, "projection_z", 3),
        positive(node, "flip_score", 0.35),
        positive(node, "krum_z", 6),
        sybilCosine,
        positive(node, "sybil_z", 4),
        positive(node, "history_z", 8));
  }

  private static Optional<String> optional(YamlNode dataset, String key) {
    return dataset.has(key) ? Optional.of(dataset.child(key).string()) : Optional.empty();
  }

  private static double number(YamlNode node, String key, double fallback) {
    return node.has(key) ? node.child(key).finiteNumber() : fallback;
  }

  private static double positive(YamlNode node, String key, double fallback) {
    double value = number(node, key, fallback);
    if (value <= 0) {
      throw node.child(key).error("expected a positive threshold, found " + value);
    }
    return value;
  }
}
