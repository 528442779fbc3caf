package dev.assay.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import dev.assay.common.config.AssayConfig;
import dev.assay.common.config.ConfigLoader;
import dev.assay.common.job.JobRunner;
import dev.assay.common.job.PartitionSelection;
import dev.assay.common.store.RecordCodec;
import dev.assay.jobs.clients.ClientAnomaliesJob;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Times the client-anomalies job on {@code rounds} rounds of {@code clients} float updates of
 * {@code dim} values, next to a bare scan that sums every element, and reports the JVM's peak
 * retained heap (after garbage collections) during the job. The updates are synthetic (a shared
 * per-round direction plus per-client deviations; every tenth client boosted): only speed is
 * measured here, detection is measured on real FedAvg updates in the tests.
 */
public final class ClientAnomaliesBenchmark {
  private static final StructType SCHEMA =
      new StructType()
          .add("round", DataTypes.IntegerType)
          .add("client_id", DataTypes.StringType)
          .add("update", DataTypes.createArrayType(DataTypes.FloatType, false));

  private final SparkSession spark;
  private final int clients;
  private final int rounds;
  private final int dim;
  private final int repeats;
  private String tablePath;
  private double driverPeak;

  public ClientAnomaliesBenchmark(
      SparkSession spark, int clients, int rounds, int dim, int repeats) {
    this.spark = spark;
    this.clients = clients;
    this.rounds = rounds;
    this.dim = dim;
    this.repeats = repeats;
  }

  public void run(Path dir, PrintStream out) throws IOException {
    Path table = dir.resolve("fl_table");
    tablePath = table.toString();
    JobBenchmark.generateOnce(
        table,
        "round",
        "v1 " + clients + " " + rounds + " " + dim,
        this::generate,
        String.format(
            "%d rounds x %d clients x %,d floats (%.2f GB of values)",
            rounds, clients, dim, 4.0 * rounds * clients * dim / 1e9),
        out);
    Path configFile = dir.resolve("fl.yaml");
    Files.writeString(
        configFile,
        "integrity:\n  path: integrity\ndatasets:\n  - name: bench\n"
            + "    kind: client_updates\n    table: fl_table\n    partition_column: round\n"
            + "    client_column: client_id\n    update_column: update\n");
    AssayConfig config = ConfigLoader.load(configFile);
    List<String> all = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      all.add(String.valueOf(r));
    }
    String newest = all.get(all.size() - 1);
    PeakHeap peak = new PeakHeap();
    BestTime bareAll = new BestTime();
    BestTime jobAll = new BestTime();
    BestTime bareOne = new BestTime();
    BestTime jobOne = new BestTime();
    for (int r = 0; r < repeats; r++) {
      JobBenchmark.deleteIntegrity(dir.resolve("integrity"));
      JobRunner runner = new JobRunner(spark, config);
      double b = bareAll.time(() -> bareScan(all));
      System.gc();
      peak.reset();
      long allocated = driverAllocated();
      double j =
          jobAll.time(
              () ->
                  runner.run(
                      new ClientAnomaliesJob(), config.dataset("bench"), PartitionSelection.all()));
      double driverMib = (driverAllocated() - allocated) / 1048576.0;
      driverPeak = Math.max(driverPeak, driverMib);
      out.printf(
          "round %d: bare scan of %d rounds %.2f s, client-anomalies %.2f s, ratio %.2fx;"
              + " driver thread allocated %.0f MiB; peak retained heap %.0f MiB%n",
          r + 1, rounds, b, j, j / b, driverMib, peak.mebibytes());
      double b1 = bareOne.time(() -> bareScan(List.of(newest)));
      double j1 =
          jobOne.time(
              () ->
                  runner.run(
                      new ClientAnomaliesJob(),
                      config.dataset("bench"),
                      PartitionSelection.of(List.of(newest))));
      out.printf(
          "         nightly: bare scan of round %s %.2f s, client-anomalies with %d rounds of history %.2f s,"
              + " ratio %.2fx%n",
          newest, b1, rounds - 1, j1, j1 / b1);
    }
    peak.close();
    out.printf(
        "best, all %d rounds: bare scan %.2f s, client-anomalies %.2f s, ratio %.2fx%n",
        rounds, bareAll.seconds(), jobAll.seconds(), jobAll.seconds() / bareAll.seconds());
    out.printf(
        "best, nightly (one round): bare scan %.2f s, client-anomalies %.2f s, ratio %.2fx%n",
        bareOne.seconds(), jobOne.seconds(), jobOne.seconds() / bareOne.seconds());
    out.printf(
        "memory at dim %,d: the driver thread allocated at most %.0f MiB in a run (everything the driver"
            + " built or fetched); peak retained heap of this JVM (driver and local executors) %.0f MiB%n",
        dim, driverPeak, peak.maxMebibytes());
  }

  /**
   * Bytes allocated so far by this thread, the driver's (executors run tasks on their own threads).
   */
  private static long driverAllocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private Dataset<Row> generate() {
    long values = (long) rounds * clients * dim;
    int slices = (int) Math.min(10_000, Math.max(2, values / 25_000_000 + 1));
    return spark
        .range(0, (long) rounds * clients, 1, slices)
        .mapPartitions(new Updates(clients, dim), ExpressionEncoder.apply(SCHEMA));
  }

  /** Row {@code id} is client id % clients of round id / clients + 1. */
  private record Updates(int clients, int dim) implements MapPartitionsFunction<Long, Row> {
    @Override
    public Iterator<Row> call(Iterator<Long> ids) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          long id = ids.next();
          int round = (int) (id / clients) + 1;
          int client = (int) (id % clients);
          SplittableRandom shared = new SplittableRandom(round * 7919L);
          SplittableRandom own = new SplittableRandom(id * 104729L + 17);
          double scale = 1.0 / Math.sqrt(round) * (client % 10 == 9 ? 10 : 1) / Math.sqrt(dim);
          float[] values = new float[dim];
          for (int i = 0; i < dim; i++) {
            values[i] = (float) (scale * (0.6 * shared.nextGaussian() + 0.8 * own.nextGaussian()));
          }
          return RecordCodec.positional(round, String.format("c%04d", client), values);
        }
      };
    }
  }

  private void bareScan(List<String> partitions) {
    spark
        .read()
        .format("delta")
        .load(tablePath)
        .where(col("round").cast("string").isin(partitions.toArray()))
        .groupBy("round")
        .agg(sum(expr("aggregate(`update`, cast(0 as double), (a, x) -> a + x)")))
        .collectAsList();
  }

  /** The largest heap still in use right after a garbage collection, since the last reset. */
  private static final class PeakHeap implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener =
        (notification, handback) -> {
          if (!"com.sun.management.gc.notification".equals(notification.getType())) {
            return;
          }
          CompositeData info =
              (CompositeData) ((CompositeData) notification.getUserData()).get("gcInfo");
          long used = 0;
          for (Object usage :
              ((javax.management.openmbean.TabularData) info.get("memoryUsageAfterGc")).values()) {
            used +=
                MemoryUsage.from((CompositeData) ((CompositeData) usage).get("value")).getUsed();
          }
          long value = used;
          peak.accumulateAndGet(value, Math::max);
          max.accumulateAndGet(value, Math::max);
        };

    PeakHeap() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(listener, null, null);
          emitters.add(emitter);
        }
      }
    }

    void reset() {
      peak.set(0);
    }

    double mebibytes() {
      return peak.get() / 1048576.0;
    }

    double maxMebibytes() {
      return max.get() / 1048576.0;
    }

    @Override
    public void close() {
      for (NotificationEmitter emitter : emitters) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException e) {
          // already gone
        }
      }
    }
  }
}
