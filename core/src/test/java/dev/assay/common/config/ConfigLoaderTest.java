package dev.assay.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.AssayException;
import dev.assay.common.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ConfigLoaderTest {
  /** A valid config with one table dataset; other config tests extend it. */
  static final String VALID =
      """
      integrity:
        path: lake/_integrity
      datasets:
        - name: transactions
          table: lake/transactions
          partition_column: ds
          label_column: label
          features:
            numeric: [amount, age]
            categorical: [country]
      """;

  static AssayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, Path.of("test.yaml"), Path.of("/base"), "sha");
  }

  static AssayException invalid(String yaml) {
    AssayException e = assertThrows(AssayException.class, () -> parse(yaml));
    assertEquals(ExitCode.INVALID, e.exitCode(), e.getMessage());
    return e;
  }

  @Test
  void loadsAValidConfigWithDefaultsAndResolvedPaths() {
    AssayConfig config = parse(VALID);
    DatasetConfig d = config.dataset("transactions");
    assertEquals("/base/lake/transactions", d.table());
    assertEquals("/base/lake/_integrity", config.integrity().path().orElseThrow());
    assertEquals(Thresholds.DEFAULTS, d.thresholds());
    assertEquals(0.1, d.thresholds().psiWarn());
    assertEquals(0.25, d.thresholds().psiFail());
    assertEquals(BaselineConfig.Strategy.TRUSTED, d.baseline().strategy());
  }

  @Test
  void keepsUrisAndCatalogNamesAsTheyAre() {
    AssayConfig config =
        parse(
            VALID
                .replace("lake/transactions", "s3a://bucket/t")
                .replace("path: lake/_integrity", "catalog: main.assay"));
    assertEquals("s3a://bucket/t", config.datasets().get(0).table());
    assertEquals("main.assay", config.integrity().catalogSchema().orElseThrow());
    assertEquals(
        "cat.db.t",
        parse(VALID.replace("lake/transactions", "cat.db.t")).datasets().get(0).table());
  }

  @Test
  void unknownKeyNamesItsPath() {
    AssayException e =
        invalid(VALID.replace("partition_column: ds", "partition_column: ds\n    partiton: x"));
    assertTrue(e.getMessage().startsWith("datasets[0].partiton: unknown key"), e.getMessage());
  }

  @Test
  void malformedYamlNamesTheLine() {
    AssayException e = invalid("integrity: [unclosed\ndatasets: x");
    assertTrue(
        e.getMessage().contains("Invalid YAML") && e.getMessage().contains("line"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheKeyAndValue() {
    AssayException e = invalid(VALID.replace("numeric: [amount, age]", "numeric: 5"));
    assertTrue(
        e.getMessage().startsWith("datasets[0].features.numeric: expected a list"), e.getMessage());
  }

  @Test
  void nanAndInfinityThresholdsAreRejected() {
    AssayException nan = invalid(VALID + "    thresholds:\n      psi_warn: .nan\n");
    assertTrue(
        nan.getMessage().startsWith("datasets[0].thresholds.psi_warn: expected a finite number"),
        nan.getMessage());
    AssayException inf = invalid(VALID + "    thresholds:\n      psi_fail: .inf\n");
    assertTrue(inf.getMessage().contains("psi_fail"), inf.getMessage());
    AssayException flow = invalid(VALID + "    thresholds: {psi_fail: -.inf, psi_warn: 0.1}\n");
    assertTrue(
        flow.getMessage().startsWith("datasets[0].thresholds.psi_fail: expected a finite number"),
        flow.getMessage());
  }

  @Test
  void warnAboveFailIsRejected() {
    AssayException e =
        invalid(VALID + "    thresholds:\n      psi_warn: 0.5\n      psi_fail: 0.2\n");
    assertTrue(
        e.getMessage().contains("psi_warn") && e.getMessage().contains("0.2"), e.getMessage());
  }

  @Test
  void hostileDatasetNameIsRejectedAndQuoted() {
    AssayException e =
        invalid(VALID.replace("name: transactions", "name: \"x'; DROP TABLE t; --\""));
    assertTrue(e.getMessage().startsWith("datasets[0].name: invalid dataset name"), e.getMessage());
  }

  @Test
  void controlCharactersInStringsAreRejected() {
    AssayException e =
        invalid(VALID.replace("partition_column: ds", "partition_column: \"d\\u0000s\""));
    assertTrue(e.getMessage().contains("control characters"), e.getMessage());
  }

  @Test
  void duplicateDatasetNamesAndDuplicateKeysAreRejected() {
    String second = VALID.substring(VALID.indexOf("  - name"));
    assertTrue(invalid(VALID + second).getMessage().contains("duplicate dataset name"));
    assertTrue(invalid(VALID + "integrity:\n  path: x\n").getMessage().contains("Invalid YAML"));
  }

  @Test
  void aColumnCannotBeBothNumericAndCategorical() {
    AssayException e = invalid(VALID.replace("categorical: [country]", "categorical: [age]"));
    assertTrue(e.getMessage().startsWith("datasets[0].features.numeric[1]"), e.getMessage());
  }

  @Test
  void pinnedBaselineNeedsPartitions() {
    AssayException e = invalid(VALID + "    baseline:\n      strategy: pinned\n");
    assertTrue(e.getMessage().startsWith("datasets[0].baseline.pinned"), e.getMessage());
    AssayException unknown = invalid(VALID + "    baseline:\n      strategy: newest\n");
    assertTrue(unknown.getMessage().contains("'newest'"), unknown.getMessage());
  }

  @Test
  void aWeekdaySeasonIsReadAndAnUnknownOneNamed() {
    assertEquals(BaselineConfig.Season.NONE, parse(VALID).datasets().get(0).baseline().season());
    assertEquals(
        BaselineConfig.Season.WEEKDAY,
        parse(VALID + "    baseline:\n      season: weekday\n")
            .datasets()
            .get(0)
            .baseline()
            .season());
    AssayException unknown = invalid(VALID + "    baseline:\n      season: monthly\n");
    assertTrue(
        unknown.getMessage().startsWith("datasets[0].baseline.season")
            && unknown.getMessage().contains("'monthly'")
            && unknown.getMessage().contains("none or weekday"),
        unknown.getMessage());
    AssayException pinned =
        invalid(
            VALID
                + "    baseline:\n      strategy: pinned\n      pinned: [a]\n"
                + "      season: weekday\n");
    assertTrue(pinned.getMessage().startsWith("datasets[0].baseline.season"), pinned.getMessage());
  }

  @Test
  void emptyFileAndMissingDatasetsAreRejected() {
    assertTrue(invalid("").getMessage().contains("empty"));
    assertTrue(
        invalid("integrity:\n  path: x\n")
            .getMessage()
            .startsWith("datasets: expected a non-empty list"));
  }

  @Test
  void unknownDatasetListsTheKnownOnes() {
    AssayException e = assertThrows(AssayException.class, () -> parse(VALID).dataset("nope"));
    assertTrue(e.getMessage().contains("datasets are: transactions"), e.getMessage());
  }

  private static final String CLIENTS =
      """
      integrity:
        path: lake/_integrity
      datasets:
        - name: fl_updates
          kind: client_updates
          table: lake/fl_updates
          partition_column: round
          client_column: client_id
          update_column: update
      """;

  @Test
  void aDatasetIsATableUnlessItsKindSaysOtherwise() {
    DatasetConfig d = parse(VALID).dataset("transactions");
    assertEquals(new DatasetKind.Table(), d.kind());
    assertTrue(d.isTable());
    assertThrows(IllegalStateException.class, d::clientSettings);
    assertEquals(
        new DatasetKind.Table(),
        parse(VALID.replace("table: lake", "kind: table\n    table: lake"))
            .dataset("transactions")
            .kind());
  }

  @Test
  void clientUpdatesDatasetsHaveTheirLayoutAndDefaults() {
    DatasetConfig d = parse(CLIENTS).dataset("fl_updates");
    assertTrue(!d.isTable());
    ClientSettings c = d.clientSettings();
    assertEquals(new DatasetKind.ClientUpdates(c), d.kind());
    assertEquals("client_id", c.clientColumn());
    assertEquals("update", c.updateColumn());
    assertTrue(!c.chunked());
    assertEquals(1024, c.sketchDim());
    assertEquals(0.1, c.byzantineFraction());
    ClientSettings chunked =
        parse(
                CLIENTS.replace(
                    "update_column: update",
                    "update_column: values\n    layer_column: layer\n    chunk_column: chunk\n    clients:\n"
                        + "      per_layer: true\n      sketch_dim: 256\n      norm_z: 8"))
            .dataset("fl_updates")
            .clientSettings();
    assertTrue(chunked.chunked() && chunked.perLayer());
    assertEquals(256, chunked.sketchDim());
    assertEquals(8, chunked.normZ());
  }

  @Test
  void clientUpdatesSettingsAreValidated() {
    assertTrue(
        invalid(CLIENTS.replace("client_updates", "updates"))
            .getMessage()
            .contains("datasets[0].kind: unsupported kind 'updates'"));
    assertTrue(
        invalid(CLIENTS.replace("    client_column: client_id\n", ""))
            .getMessage()
            .startsWith("datasets[0].client_column:"));
    assertTrue(
        invalid(CLIENTS + "    features:\n      numeric: [a]\n")
            .getMessage()
            .startsWith("datasets[0].features: unknown key"));
    assertTrue(
        invalid(CLIENTS + "    clients:\n      per_layer: true\n")
            .getMessage()
            .contains("need 'layer_column'"));
    assertTrue(
        invalid(CLIENTS + "    clients:\n      sketch_dim: 1000\n")
            .getMessage()
            .contains("expected a power of two from 64 to 65536, found 1000"));
    assertTrue(
        invalid(CLIENTS + "    clients:\n      byzantine_fraction: 0.5\n")
            .getMessage()
            .contains("n >= 2f + 3"));
    assertTrue(
        invalid(CLIENTS + "    clients:\n      norm_z: .nan\n")
            .getMessage()
            .contains("datasets[0].clients.norm_z"));
    assertTrue(
        invalid(CLIENTS.replace("update_column: update", "update_column: client_id"))
            .getMessage()
            .contains("has two roles"));
    assertTrue(
        invalid(VALID + "    client_column: client_id\n")
            .getMessage()
            .contains("belongs to datasets of kind 'client_updates'"));
  }
}
