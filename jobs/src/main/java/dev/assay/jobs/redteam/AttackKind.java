package dev.assay.jobs.redteam;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Every attack the red team can inject, with the parameters it takes (docs/redteam.md). */
public enum AttackKind {
  LABEL_FLIP(true, "partitions", "rate", "segment", "target"),
  GRADUAL(true, "partitions", "column", "step", "target"),
  BACKDOOR(true, "partitions", "trigger", "support", "target"),
  REPLAY(true, "partitions", "from", "rate", "relabel"),
  DUPLICATE_BURST(true, "partitions", "rate", "copies"),
  FEATURE_CORRUPTION(true, "partitions", "feature", "mode", "value", "with", "rate"),
  DISTRIBUTION_SHIFT(true, "partitions", "where", "keep"),
  NULL_INJECTION(true, "partitions", "column", "rate"),
  CHECKSUM_TAMPER(true, "partitions", "column", "rate"),
  BOOST(false, "partitions", "rate", "clients", "factor"),
  SIGN_FLIP(false, "partitions", "rate", "clients"),
  SYBIL(false, "partitions", "count", "scale"),
  LABEL_FLIP_CLIENT(false, "partitions", "rate", "clients"),
  LITTLE_IS_ENOUGH(false, "partitions", "rate", "clients", "z");

  private final boolean table;
  private final List<String> params;

  AttackKind(boolean table, String... params) {
    this.table = table;
    this.params = List.of(params);
  }

  /** The name used on the command line, such as {@code label_flip}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True for attacks on tables of rows; false for attacks on federated-learning client updates. */
  public boolean onTables() {
    return table;
  }

  public List<String> params() {
    return params;
  }

  static AttackKind named(String name, String spec) {
    for (AttackKind kind : values()) {
      if (kind.label().equals(name.trim())) {
        return kind;
      }
    }
    throw AttackSpec.invalid(
        spec,
        "unknown attack '"
            + name
            + "'; attacks are "
            + Arrays.stream(values()).map(AttackKind::label).collect(Collectors.joining(", ")));
  }
}
