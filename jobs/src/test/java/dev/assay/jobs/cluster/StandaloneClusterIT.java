package dev.assay.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.common.testing.SparkExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the shaded jar with spark-submit on a real standalone cluster (a master and two workers on
 * 127.0.0.1, started from the Maven-resolved Spark jars), and the same commands in local mode, then
 * checks that tasks ran in the workers' executor JVMs and that both runs wrote the same integrity
 * tables. Every process it starts is stopped by PID, also when the test fails.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(15);

  /**
   * Columns that name the run or its time, not what it found; and KLL sketches, whose compaction is
   * randomised, so their bytes differ from run to run (their quantiles stay within the rank error).
   */
  private static final Set<String> RUN_COLUMNS =
      Set.of(
          "run_id",
          "_assay_run_id",
          "decided_at",
          "started_at",
          "finished_at",
          "assay_version",
          "kll_sketch");

  private final Path project =
      Path.of(System.getProperty("assay.project.dir")).toAbsolutePath().normalize();
  private final Path jar = Path.of(System.getProperty("assay.jar"));
  private final Path work = project.resolve("jobs/target/cluster-it");
  private final List<Process> started = new ArrayList<>();
  private Path sparkHome;
  private String masterUrl;
  private int masterWebPort;
  private Instant clock;

  @BeforeAll
  void startCluster() throws Exception {
    clock = Instant.now();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));
    deleteRecursively(work);
    Files.createDirectories(work);
    sparkHome = sparkHome();
    int masterPort = freePort();
    masterWebPort = freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    start(
        "master",
        List.of(
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(masterPort),
            "--webui-port",
            String.valueOf(masterWebPort)));
    for (String worker : List.of("worker1", "worker2")) {
      Path dir = Files.createDirectories(work.resolve(worker));
      start(
          worker,
          List.of(
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(freePort()),
              "--webui-port",
              String.valueOf(freePort()),
              "--cores",
              "1",
              "--memory",
              "1536m",
              "--work-dir",
              dir.toString(),
              masterUrl));
    }
    awaitAliveWorkers(2);
    System.err.printf("cluster-it: master and 2 workers up in %d s%n", seconds());
  }

  @AfterAll
  void stopCluster() {
    stopAll();
    System.err.printf("cluster-it: total %d s%n", seconds());
  }

  @Test
  void nightlyOnTheClusterRunsInExecutorsAndWritesWhatLocalModeWrites(SparkSession spark)
      throws Exception {
    Path events = Files.createDirectories(work.resolve("events"));
    Path clusterDemo = work.resolve("cluster-demo");
    submit(
        "cluster-lake",
        clusterArgs(events),
        "demo",
        "--lake-only",
        "--dir",
        clusterDemo.toString());
    String clusterOut =
        submit(
            "cluster-nightly",
            clusterArgs(events),
            "nightly",
            "-c",
            clusterDemo.resolve("assay.yaml").toString());
    System.err.printf("cluster-it: cluster runs done at %d s%n", seconds());

    Path localDemo = work.resolve("local-demo");
    List<String> local =
        List.of(
            "--master",
            "local[2]",
            "--properties-file",
            project.resolve("conf/spark/local.conf").toString());
    submit("local-lake", local, "demo", "--lake-only", "--dir", localDemo.toString());
    String localOut =
        submit("local-nightly", local, "nightly", "-c", localDemo.resolve("assay.yaml").toString());
    System.err.printf("cluster-it: local runs done at %d s%n", seconds());

    assertTrue(clusterOut.contains("2026-11-09   FAIL"), "cluster verdicts:\n" + clusterOut);
    assertEquals(
        verdictLines(localOut), verdictLines(clusterOut), "the printed verdict tables differ");
    assertTasksRanInExecutors(events);
    assertJsonLogLines(work.resolve("cluster-nightly.err"));
    List<String> differences = new ArrayList<>();
    for (String table : tableNames(localDemo)) {
      differences.addAll(differences(spark, table, localDemo, clusterDemo));
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
  }

  /**
   * spark-submit flags for the standalone cluster: small executors, event logs, JSON driver logs.
   */
  private List<String> clusterArgs(Path events) {
    return List.of(
        "--master",
        masterUrl,
        "--deploy-mode",
        "client",
        "--properties-file",
        project.resolve("conf/spark/cluster.conf").toString(),
        "--conf",
        "spark.driver.host=127.0.0.1",
        "--conf",
        "spark.driver.bindAddress=127.0.0.1",
        "--conf",
        "spark.executor.memory=1g",
        "--conf",
        "spark.executor.cores=1",
        "--conf",
        "spark.sql.shuffle.partitions=4",
        "--conf",
        "spark.databricks.delta.snapshotPartitions=2",
        "--conf",
        "spark.eventLog.enabled=true",
        "--conf",
        "spark.eventLog.compress=false",
        "--conf",
        "spark.eventLog.dir=" + events.toUri());
  }

  /**
   * Runs {@code SparkSubmit ... --class Assay <jar> args} and returns its stdout; fails on a
   * non-zero exit.
   */
  private String submit(String name, List<String> sparkArgs, String... assayArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit"));
    command.addAll(sparkArgs);
    command.addAll(List.of("--class", "dev.assay.jobs.cli.Assay", jar.toString()));
    command.addAll(List.of(assayArgs));
    String log4j = name.startsWith("cluster") ? "conf/log4j2-json.xml" : "conf/log4j2.xml";
    Process process =
        launch(name, command, "-Xmx1g", "-Dlog4j2.configurationFile=" + project.resolve(log4j));
    if (!process.waitFor(SUBMIT_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      fail(
          name
              + " did not finish within "
              + SUBMIT_TIMEOUT
              + "; see "
              + work.resolve(name + ".err"));
    }
    String out = Files.readString(work.resolve(name + ".out"));
    assertEquals(
        0,
        process.exitValue(),
        name
            + " failed; stdout:\n"
            + out
            + "\nstderr tail:\n"
            + tail(work.resolve(name + ".err"), 40));
    return out;
  }

  private void start(String name, List<String> mainAndArgs) throws IOException {
    launch(name, mainAndArgs, "-Xmx512m");
  }

  /**
   * Starts {@code java -cp SPARK_HOME/jars/* <flags> main args}, with stdout and stderr in files.
   */
  private Process launch(String name, List<String> mainAndArgs, String... jvmFlags)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(System.getProperty("assay.jvm.flags", "").split(" ")).stream()
            .filter(flag -> !flag.isBlank())
            .toList());
    command.addAll(List.of(jvmFlags));
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    command.addAll(mainAndArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(work.resolve(name + ".out").toFile())
            .redirectError(work.resolve(name + ".err").toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOG_DIR", work.toString());
    Process process = builder.start();
    synchronized (started) {
      started.add(process);
    }
    return process;
  }

  /** A SPARK_HOME whose jars/ links to the Spark and Delta jars Maven resolved. */
  private Path sparkHome() throws IOException {
    Path home = work.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    String classpath =
        Files.readString(Path.of(System.getProperty("assay.spark.classpath"))).trim();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path source = Path.of(entry);
      Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
    }
    return home;
  }

  private void awaitAliveWorkers(int expected) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      try (var in =
          URI.create("http://127.0.0.1:" + masterWebPort + "/json/").toURL().openStream()) {
        JsonNode status = json.readTree(in);
        last = status.toString();
        if (status.path("aliveworkers").asInt() >= expected) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      for (Process process : started) {
        assertTrue(process.isAlive(), "a cluster process died; see the logs in " + work);
      }
      Thread.sleep(500);
    }
    fail(
        "The master did not report "
            + expected
            + " alive workers within "
            + START_TIMEOUT
            + ": "
            + last);
  }

  /** Every task of every application ran in an executor, and both workers' executors ran tasks. */
  private void assertTasksRanInExecutors(Path events) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> executors = new HashSet<>();
    int tasks = 0;
    List<Path> apps;
    List<Path> logs;
    try (Stream<Path> dirs = Files.list(events);
        Stream<Path> files = Files.walk(events)) {
      apps = dirs.toList();
      logs = files.filter(f -> f.getFileName().toString().startsWith("events_")).toList();
    }
    assertEquals(2, apps.size(), "one event log per cluster application: " + apps);
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        JsonNode event = json.readTree(line);
        if (event.path("Event").asText().equals("SparkListenerTaskEnd")) {
          String executor = event.path("Task Info").path("Executor ID").asText();
          assertFalse(
              executor.equals("driver") || executor.isEmpty(), "a task ran in the driver: " + line);
          executors.add(executor);
          tasks++;
        }
      }
    }
    assertTrue(tasks > 0, "no tasks in the event logs");
    assertTrue(
        executors.size() >= 2,
        "tasks ran in " + executors + ", expected executors on both workers");
    for (String worker : List.of("worker1", "worker2")) {
      try (Stream<Path> files = Files.walk(work.resolve(worker))) {
        assertTrue(
            files.anyMatch(p -> p.getFileName().toString().equals("stderr")),
            worker + " launched no executor JVM");
      }
    }
    System.err.printf("cluster-it: %d tasks in executors %s%n", tasks, executors);
  }

  /**
   * With conf/log4j2-json.xml, Assay's driver lines are JSON objects carrying run_id, job and
   * dataset.
   */
  private static void assertJsonLogLines(Path stderr) throws IOException {
    ObjectMapper json = new ObjectMapper();
    int assayLines = 0;
    for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode event = json.readTree(line);
      if (event.path("logger").asText().startsWith("dev.assay.common.job")) {
        assayLines++;
        for (String key : List.of("run_id", "job", "dataset")) {
          assertFalse(event.path(key).asText().isEmpty(), "no " + key + " in " + line);
        }
      }
    }
    assertTrue(assayLines > 0, "no JSON log lines from Assay's job runner in " + stderr);
  }

  private static List<String> tableNames(Path demo) throws IOException {
    List<String> names = new ArrayList<>();
    for (String folder : List.of("_integrity", "quarantine")) {
      try (Stream<Path> tables = Files.list(demo.resolve("lake").resolve(folder))) {
        tables
            .filter(t -> Files.isDirectory(t.resolve("_delta_log")))
            .forEach(t -> names.add(folder + "/" + t.getFileName()));
      }
    }
    assertTrue(names.size() > 10, "expected the integrity and quarantine tables, found " + names);
    return names;
  }

  /**
   * Compares a table's rows in any order, leaving out run ids and times, with each demo folder
   * written as {@code DEMO} and doubles to 9 significant digits; names the columns whose values
   * differ.
   */
  private static List<String> differences(
      SparkSession spark, String table, Path expected, Path actual) {
    Map<String, List<String>> want = canonicalColumns(spark, table, expected);
    Map<String, List<String>> got = canonicalColumns(spark, table, actual);
    List<String> rowsWant = rows(want);
    List<String> rowsGot = rows(got);
    if (rowsWant.equals(rowsGot)) {
      return List.of();
    }
    List<String> columns = new ArrayList<>();
    want.forEach(
        (column, values) -> {
          List<String> a = new ArrayList<>(values);
          List<String> b = new ArrayList<>(got.getOrDefault(column, List.of()));
          a.sort(null);
          b.sort(null);
          if (!a.equals(b)) {
            columns.add(column);
          }
        });
    List<String> missing = new ArrayList<>(rowsWant);
    missing.removeAll(rowsGot);
    List<String> extra = new ArrayList<>(rowsGot);
    extra.removeAll(rowsWant);
    return List.of(
        table
            + ": the cluster run wrote other rows than local mode ("
            + rowsWant.size()
            + " vs "
            + rowsGot.size()
            + " rows; columns that differ: "
            + columns
            + ").\n  local only: "
            + head(missing)
            + "\n  cluster only: "
            + head(extra));
  }

  /** Column name to its canonical value per row, in the table's row order. */
  private static Map<String, List<String>> canonicalColumns(
      SparkSession spark, String table, Path demo) {
    Dataset<Row> rows =
        spark.read().format("delta").load(demo.resolve("lake").resolve(table).toString());
    Map<String, List<String>> columns = new TreeMap<>();
    List<String> kept = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      if (!RUN_COLUMNS.contains(field.name())) {
        kept.add(field.name());
        columns.put(field.name(), new ArrayList<>());
      }
    }
    for (Row row :
        rows.selectExpr(kept.stream().map(c -> "`" + c + "`").toArray(String[]::new))
            .collectAsList()) {
      for (int i = 0; i < row.size(); i++) {
        columns.get(kept.get(i)).add(canonical(row.get(i)).replace(demo.toString(), "DEMO"));
      }
    }
    return columns;
  }

  private static List<String> rows(Map<String, List<String>> columns) {
    List<String> out = new ArrayList<>();
    int n = columns.isEmpty() ? 0 : columns.values().iterator().next().size();
    for (int i = 0; i < n; i++) {
      StringBuilder row = new StringBuilder("{");
      for (Map.Entry<String, List<String>> column : columns.entrySet()) {
        row.append(column.getKey()).append('=').append(column.getValue().get(i)).append(", ");
      }
      out.add(row.append('}').toString());
    }
    out.sort(null);
    return out;
  }

  private static String canonical(Object value) {
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() || d == 0 ? String.valueOf(d) : String.format("%.9g", d);
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> items = new ArrayList<>();
      for (Object item : scala.jdk.javaapi.CollectionConverters.asJava(seq)) {
        items.add(canonical(item));
      }
      return items.toString();
    }
    if (value instanceof Row row) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        items.add(canonical(row.get(i)));
      }
      return items.toString();
    }
    return String.valueOf(value);
  }

  private static List<String> verdictLines(String out) {
    return out.lines()
        .filter(line -> line.matches("^\\S+\\s+\\S+\\s+(PASS|WARN|FAIL)\\b.*"))
        .toList();
  }

  /** Stops every started process and its children (executor JVMs), newest first. */
  private void stopAll() {
    List<Process> processes;
    synchronized (started) {
      processes = new ArrayList<>(started);
      started.clear();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long seconds() {
    return Duration.between(clock, Instant.now()).toSeconds();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static List<String> head(List<String> rows) {
    return rows.subList(0, Math.min(3, rows.size())).stream()
        .map(row -> row.length() > 1500 ? row.substring(0, 1500) + "..." : row)
        .toList();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
