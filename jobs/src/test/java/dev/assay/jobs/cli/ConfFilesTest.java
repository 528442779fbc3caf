package dev.assay.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.spark.AssaySpark;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The files under conf/ that deployments copy: they parse, and local.conf is bin/assay's session.
 */
@Tag("fast")
class ConfFilesTest {
  private static final Path CONF = Path.of(System.getProperty("assay.project.dir")).resolve("conf");

  @Test
  void localConfHoldsTheEmbeddedSessionSettings() throws IOException {
    Map<String, String> local = sparkProperties(CONF.resolve("spark/local.conf"));
    Map<String, String> expected = new HashMap<>(AssaySpark.DELTA_SETTINGS);
    expected.putAll(AssaySpark.LOCAL_SETTINGS);
    expected.put(
        "spark.sql.shuffle.partitions", String.valueOf(AssaySpark.LOCAL_SHUFFLE_PARTITIONS));
    expected.put("spark.master", "local[*]");
    assertEquals(expected, local);
  }

  @Test
  void javaFlagsFileMatchesTheFlagsTheBuildRunsSparkWith() throws IOException {
    List<String> flags =
        Files.readAllLines(CONF.resolve("java-flags")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .toList();
    List<String> testJvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertTrue(flags.size() >= 10, "conf/java-flags lost its flags: " + flags);
    assertEquals(
        List.of(),
        flags.stream().filter(flag -> !testJvm.contains(flag)).toList(),
        "conf/java-flags (bin/assay, notebooks/run) has flags the build's spark.jvm.flags lacks");
    assertEquals(
        List.of(),
        testJvm.stream().filter(a -> a.startsWith("--add-opens") && !flags.contains(a)).toList(),
        "spark.jvm.flags in pom.xml has --add-opens flags conf/java-flags lacks");
  }

  @Test
  void clusterConfHasDeltaAndUtcAndNoMaster() throws IOException {
    Map<String, String> cluster = sparkProperties(CONF.resolve("spark/cluster.conf"));
    AssaySpark.DELTA_SETTINGS.forEach((key, value) -> assertEquals(value, cluster.get(key), key));
    assertFalse(
        cluster.containsKey("spark.master"),
        "the master comes from --master or the Airflow connection");
    cluster
        .keySet()
        .forEach(key -> assertTrue(key.startsWith("spark."), "not a Spark property: " + key));
  }

  @Test
  void exampleConfigParses() {
    AssayConfig config = ConfigLoader.load(CONF.resolve("assay.yaml"));
    assertEquals("transactions", config.datasets().get(0).name());
    assertEquals("ml.federated.client_updates", config.dataset("fl_updates").table());
  }

  @Test
  void logConfigsTagEveryAssayLineWithRunJobAndDataset() throws Exception {
    String text = Files.readString(CONF.resolve("log4j2.xml"));
    assertTrue(
        text.contains("%X{run_id}") && text.contains("%X{job}") && text.contains("%X{dataset}"),
        text);
    for (String file : new String[] {"log4j2.xml", "log4j2-json.xml", "log4j2-test.xml"}) {
      Element root =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(CONF.resolve(file).toFile())
              .getDocumentElement();
      assertEquals("Configuration", root.getTagName(), file);
    }
  }

  private static Map<String, String> sparkProperties(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> out = new HashMap<>();
    properties.forEach((k, v) -> out.put(k.toString(), v.toString().trim()));
    return out;
  }
}
