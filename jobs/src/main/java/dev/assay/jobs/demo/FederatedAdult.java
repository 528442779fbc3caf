package dev.assay.jobs.demo;

import dev.assay.common.stats.Hash64;
import dev.assay.common.store.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A federated-learning (FedAvg) simulator on the UCI Adult census rows: every client really trains
 * a logistic regression on its own rows, and a seeded set of malicious clients attacks in every
 * round. Its client updates feed the client-update anomaly detector's tests and demo.
 *
 * <p><b>Features.</b> Rows are hashed into {@code dims} coordinates (a power of two, at least 64):
 * coordinate 0 is the bias (always 1); the six numeric columns (age, education_num, hours_per_week,
 * and log1p of capital_gain, capital_loss and fnlwgt), standardised with the training rows' mean
 * and standard deviation, each sit at a fixed hashed coordinate (distinct from each other); every
 * categorical value {@code column=value} ({@code column=?} for null) and four crosses
 * (education×occupation, marital_status×relationship, sex×occupation, workclass×occupation) are
 * one-hot at a hashed coordinate in [1, dims), where they may collide with each other (the hashing
 * trick: colliding values add up).
 *
 * <p><b>Clients.</b> Every 10th row by row_id is held out for accuracy and never given to a client.
 * The rest are split non-IID by a natural attribute: a row's client is a hash of its (occupation,
 * education) pair modulo {@code clients}, so clients differ in size, features and label balance. A
 * client left with fewer than {@link #MIN_ROWS} rows is topped up, smallest first, from the
 * currently largest client: it takes the rows of that client's largest (occupation, education)
 * group with the smallest hashed row_id, never leaving the donor below {@link #MIN_ROWS}, and this
 * repeats until no client is short. The split does not depend on the seed.
 *
 * <p><b>Training.</b> The global model starts at zero. In each round every client starts from the
 * global model, runs one local epoch of minibatch SGD on the log loss (batches of {@link #BATCH},
 * learning rate {@link #LEARNING_RATE}, an order shuffled by (seed, round, client)) and sends
 * {@code w_local - w}. The server adds the mean of all received updates (malicious ones included),
 * weighted by the examples each client reports (its own row count, for every client). The aggregate
 * is not clipped, as it is not needed: the model does not diverge under these attacks (the demo
 * settings end at 0.82 accuracy against 0.83 for the honest run; other seeds, which pick other
 * malicious clients, end between 0.79 and 0.83), so the attacks act undamped.
 *
 * <p><b>Attacks.</b> A fixed set of clients chosen by the seed attacks in every round: {@code
 * BOOST} sends its honest update times {@link #BOOST_FACTOR}; {@code SIGN_FLIP} sends its honest
 * update negated; {@code SYBIL} clients all train on the same poisoned data (the union of their
 * rows, every label set to >50K), each with its own shuffle, and each reports its own row count as
 * its examples (claiming the union's size would triple the sybils' weight and drag the demo's
 * accuracy below 0.8); {@code LABEL_FLIP} trains on its own rows with labels flipped; {@code
 * LITTLE_IS_ENOUGH} (Baruch, Baruch and Goldberg 2019) sends {@code mean - z * std} of the round's
 * honest updates, coordinate by coordinate (population standard deviation), where {@code z} is the
 * inverse normal CDF of {@code (n - s) / n}, {@code s = floor(n / 2 + 1) - m}, n clients of which m
 * are malicious; z is clamped to at least {@link #MIN_LIE_Z}, since with few malicious clients the
 * formula's z is near 0 and the attack would be an exact copy of the honest mean. Such a client
 * reports its own row count.
 *
 * <p>Deterministic: the same settings give the same updates, bit for bit.
 */
public final class FederatedAdult {
  /** Rows every client trains on at least. */
  public static final int MIN_ROWS = 100;

  public static final int BATCH = 32;
  public static final double LEARNING_RATE = 0.1;
  public static final float BOOST_FACTOR = 10f;
  public static final double MIN_LIE_Z = 0.3;

  /** Every row whose row_id is a multiple of this is held out. */
  public static final int HOLDOUT_EVERY = 10;

  /** Attacks; HONEST for benign clients. name() lower-case is written to the ground truth. */
  public enum Attack {
    HONEST,
    BOOST,
    SIGN_FLIP,
    SYBIL,
    LABEL_FLIP,
    LITTLE_IS_ENOUGH
  }

  /**
   * @param dims model dimension, a power of two >= 64 (features hashed into it); first coordinate
   *     is the bias
   * @param boosted clients sending their update times 10
   * @param signFlipped clients sending their update negated
   * @param sybils colluding clients training on the same poisoned data
   * @param labelFlipped clients training on flipped labels
   * @param littleIsEnough clients sending the "a little is enough" vector
   */
  public record Settings(
      int clients,
      int rounds,
      int dims,
      long seed,
      int boosted,
      int signFlipped,
      int sybils,
      int labelFlipped,
      int littleIsEnough) {
    public Settings {
      if (clients < 2) {
        throw new IllegalArgumentException(
            "A federation needs at least 2 clients, found " + clients);
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("Expected at least 1 round, found " + rounds);
      }
      if (dims < 64 || Integer.bitCount(dims) != 1 || dims > (1 << 24)) {
        throw new IllegalArgumentException(
            "dims must be a power of two from 64 to 2^24, found " + dims);
      }
      if (boosted < 0 || signFlipped < 0 || sybils < 0 || labelFlipped < 0 || littleIsEnough < 0) {
        throw new IllegalArgumentException(
            "Malicious client counts must not be negative: boosted "
                + boosted
                + ", sign-flipped "
                + signFlipped
                + ", sybils "
                + sybils
                + ", label-flipped "
                + labelFlipped
                + ", little-is-enough "
                + littleIsEnough);
      }
      long malicious = (long) boosted + signFlipped + sybils + labelFlipped + littleIsEnough;
      if (2 * malicious >= clients) {
        throw new IllegalArgumentException(
            "Malicious clients must be fewer than half of the clients: "
                + malicious
                + " malicious of "
                + clients
                + " (FedAvg attacks assume an honest majority)");
      }
    }

    public static Settings demo() {
      return new Settings(50, 12, 1024, 7, 2, 2, 3, 2, 2);
    }

    /** Same population and training, no malicious clients. */
    public Settings honest() {
      return new Settings(clients, rounds, dims, seed, 0, 0, 0, 0, 0);
    }

    /** The number of malicious clients. */
    public int malicious() {
      return boosted + signFlipped + sybils + labelFlipped + littleIsEnough;
    }
  }

  /**
   * One client's update in one round (rounds from 1). clientId like "c007". examples = the client's
   * own training rows (for a sybil, its own rows, though it trained on the sybils' union).
   */
  public record ClientUpdate(
      int round, String clientId, Attack attack, long examples, float[] update) {}

  /**
   * The simulation result: updates by round, then client id. accuracy.get(r) = accuracy of the
   * global model after round r+1 on Adult's rows not used for training (every 10th row by row_id,
   * never given to clients).
   */
  public record Simulation(List<ClientUpdate> updates, List<Double> accuracy) {}

  public static final StructType UPDATES_SCHEMA =
      new StructType(
          new StructField[] {
            field("round", DataTypes.IntegerType),
            field("client_id", DataTypes.StringType),
            field("examples", DataTypes.LongType),
            field("update", DataTypes.createArrayType(DataTypes.FloatType, false))
          });
  public static final StructType GROUND_TRUTH_SCHEMA =
      new StructType(
          new StructField[] {
            field("round", DataTypes.IntegerType),
            field("client_id", DataTypes.StringType),
            field("attack", DataTypes.StringType)
          });
  public static final StructType CHUNKS_SCHEMA =
      new StructType(
          new StructField[] {
            field("round", DataTypes.IntegerType), field("client_id", DataTypes.StringType),
            field("layer", DataTypes.StringType), field("chunk", DataTypes.IntegerType),
            field("values", DataTypes.createArrayType(DataTypes.FloatType, false))
          });

  // Columns of DemoLake.SCHEMA (the rows carry no schema, so by index).
  private static final int ROW_ID = 0;
  private static final int AGE = 1;
  private static final int WORKCLASS = 2;
  private static final int FNLWGT = 3;
  private static final int EDUCATION = 4;
  private static final int EDUCATION_NUM = 5;
  private static final int MARITAL_STATUS = 6;
  private static final int OCCUPATION = 7;
  private static final int RELATIONSHIP = 8;
  private static final int RACE = 9;
  private static final int SEX = 10;
  private static final int CAPITAL_GAIN = 11;
  private static final int CAPITAL_LOSS = 12;
  private static final int HOURS_PER_WEEK = 13;
  private static final int NATIVE_COUNTRY = 14;
  private static final int INCOME = 15;

  private static final String[] NUMERIC = {
    "age", "education_num", "hours_per_week", "log_capital_gain", "log_capital_loss", "log_fnlwgt"
  };
  private static final int[] CATEGORICAL = {
    WORKCLASS, EDUCATION, MARITAL_STATUS, OCCUPATION, RELATIONSHIP, RACE, SEX, NATIVE_COUNTRY
  };
  private static final int[][] CROSSES = {
    {EDUCATION, OCCUPATION},
    {MARITAL_STATUS, RELATIONSHIP},
    {SEX, OCCUPATION},
    {WORKCLASS, OCCUPATION}
  };

  private FederatedAdult() {}

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, false);
  }

  /** A hashed sparse row; indexes may repeat (colliding features add up). */
  private record Example(int[] index, double[] value, boolean positive) {
    double dot(double[] w) {
      double sum = 0;
      for (int k = 0; k < index.length; k++) {
        sum += w[index[k]] * value[k];
      }
      return sum;
    }
  }

  /** How a client sees its labels. */
  private enum Labels {
    OWN,
    FLIPPED,
    ALL_POSITIVE
  }

  private static final class AdultHolder {
    static final List<Row> ROWS = List.copyOf(DemoLake.adultRows());
  }

  public static Simulation simulate(Settings settings) {
    return simulate(settings, 1);
  }

  /**
   * Like {@link #simulate(Settings)}, but the malicious clients behave honestly before round {@code
   * attackFrom} (their ground truth there is {@code HONEST}): sleepers that turn.
   */
  public static Simulation simulate(Settings settings, int attackFrom) {
    return simulate(settings, attackFrom, 0);
  }

  /**
   * Like {@link #simulate(Settings, int)}, on another non-IID split of the same rows: {@code
   * partition} reshuffles which (occupation, education) groups each client holds, so the clients
   * themselves differ (sizes, features, label balance), not only the attackers and SGD orders that
   * the seed picks. Partition 0 is the demo's split.
   */
  public static Simulation simulate(Settings settings, int attackFrom, long partition) {
    List<Row> rows = AdultHolder.ROWS;
    List<Row> training = new ArrayList<>();
    List<Row> holdout = new ArrayList<>();
    for (Row row : rows) {
      (row.getLong(ROW_ID) % HOLDOUT_EVERY == 0 ? holdout : training).add(row);
    }
    int n = settings.clients();
    if ((long) n * MIN_ROWS > training.size()) {
      throw new IllegalArgumentException(
          "Too many clients: "
              + n
              + " clients of at least "
              + MIN_ROWS
              + " rows need "
              + (long) n * MIN_ROWS
              + " training rows, Adult has "
              + training.size());
    }
    int dims = settings.dims();
    Featurizer featurizer = new Featurizer(training, dims);
    List<List<Example>> data = new ArrayList<>();
    for (List<Row> clientRows : split(training, n, partition)) {
      data.add(clientRows.stream().map(featurizer::example).toList());
    }
    List<Example> test = holdout.stream().map(featurizer::example).toList();
    Attack[] chosen = attacks(settings, data.stream().mapToInt(List::size).toArray());
    Attack[] none = new Attack[n];
    Arrays.fill(none, Attack.HONEST);
    List<Example> sybilData = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      if (chosen[c] == Attack.SYBIL) {
        sybilData.addAll(data.get(c));
      }
    }
    double z = lieZ(n, settings.malicious());

    double[] w = new double[dims];
    List<ClientUpdate> updates = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      Attack[] attacks = round >= attackFrom ? chosen : none;
      float[][] sent = new float[n][];
      long[] examples = new long[n];
      for (int c = 0; c < n; c++) {
        SplittableRandom random = random(settings.seed(), round, c);
        examples[c] = data.get(c).size();
        switch (attacks[c]) {
          case HONEST -> sent[c] = train(w, data.get(c), Labels.OWN, random, 1f);
          case BOOST -> sent[c] = train(w, data.get(c), Labels.OWN, random, BOOST_FACTOR);
          case SIGN_FLIP -> sent[c] = train(w, data.get(c), Labels.OWN, random, -1f);
          case LABEL_FLIP -> sent[c] = train(w, data.get(c), Labels.FLIPPED, random, 1f);
          case SYBIL -> sent[c] = train(w, sybilData, Labels.ALL_POSITIVE, random, 1f);
          case LITTLE_IS_ENOUGH -> {} // after the honest updates
        }
      }
      float[] lie = littleIsEnough(sent, attacks, dims, z);
      for (int c = 0; c < n; c++) {
        if (attacks[c] == Attack.LITTLE_IS_ENOUGH) {
          sent[c] = lie.clone();
        }
      }
      double[] sum = new double[dims];
      double total = 0;
      for (int c = 0; c < n; c++) {
        float[] u = sent[c];
        for (int j = 0; j < dims; j++) {
          sum[j] += examples[c] * (double) u[j];
        }
        total += examples[c];
        updates.add(new ClientUpdate(round, clientId(c), attacks[c], examples[c], u));
      }
      for (int j = 0; j < dims; j++) {
        w[j] += sum[j] / total;
      }
      accuracy.add(accuracy(w, test));
    }
    return new Simulation(Collections.unmodifiableList(updates), List.copyOf(accuracy));
  }

  /** The client id of client index {@code c}: c000, c001, ... */
  public static String clientId(int c) {
    return String.format("c%03d", c);
  }

  /**
   * Malicious clients: the clients holding at least the median number of rows, in an order hashed
   * from the seed, first the boosted, then the sign-flipped, ... An attacker who wants influence
   * under FedAvg's weighting by examples enrols clients with sizeable data; a client at the minimum
   * of 100 rows moves the model by 0.3% and its noisy update is hard to tell from honest non-IID
   * ones (docs/client-anomalies.md reports how a detector fares on those).
   */
  private static Attack[] attacks(Settings settings, int[] sizes) {
    int n = settings.clients();
    int[] sorted = sizes.clone();
    Arrays.sort(sorted);
    int median = sorted[(n - 1) / 2];
    Integer[] order = new Integer[n];
    long[] key = new long[n];
    for (int c = 0; c < n; c++) {
      order[c] = c;
      key[c] = Hash64.mix(Hash64.mix(settings.seed() ^ 0x5EEDL) + c);
    }
    Arrays.sort(
        order,
        Comparator.<Integer, Boolean>comparing(c -> sizes[c] < median)
            .thenComparingLong(c -> key[c])
            .thenComparingInt(c -> c));
    Attack[] attacks = new Attack[n];
    Arrays.fill(attacks, Attack.HONEST);
    int next = 0;
    int[] counts = {
      settings.boosted(),
      settings.signFlipped(),
      settings.sybils(),
      settings.labelFlipped(),
      settings.littleIsEnough()
    };
    Attack[] kinds = {
      Attack.BOOST, Attack.SIGN_FLIP, Attack.SYBIL, Attack.LABEL_FLIP, Attack.LITTLE_IS_ENOUGH
    };
    for (int k = 0; k < kinds.length; k++) {
      for (int i = 0; i < counts[k]; i++) {
        attacks[order[next++]] = kinds[k];
      }
    }
    return attacks;
  }

  /**
   * Baruch et al.'s z for n clients of which m are malicious, clamped to at least {@link
   * #MIN_LIE_Z}.
   */
  static double lieZ(int n, int m) {
    double s = Math.floor(n / 2.0 + 1) - m;
    double p = (n - s) / n;
    double z =
        p <= 0
            ? Double.NEGATIVE_INFINITY
            : p >= 1
                ? Double.POSITIVE_INFINITY
                : new NormalDistribution(0, 1).inverseCumulativeProbability(p);
    return Math.max(MIN_LIE_Z, z);
  }

  /**
   * mean - z * std of the honest updates, coordinate by coordinate; null when there is no such
   * client.
   */
  private static float[] littleIsEnough(float[][] sent, Attack[] attacks, int dims, double z) {
    if (!Arrays.asList(attacks).contains(Attack.LITTLE_IS_ENOUGH)) {
      return null;
    }
    double[] mean = new double[dims];
    double[] square = new double[dims];
    int honest = 0;
    for (int c = 0; c < sent.length; c++) {
      if (attacks[c] == Attack.HONEST) {
        honest++;
        for (int j = 0; j < dims; j++) {
          double v = sent[c][j];
          mean[j] += v;
          square[j] += v * v;
        }
      }
    }
    float[] out = new float[dims];
    for (int j = 0; j < dims; j++) {
      double m = mean[j] / honest;
      double variance = Math.max(0, square[j] / honest - m * m);
      out[j] = (float) (m - z * Math.sqrt(variance));
    }
    return out;
  }

  private static SplittableRandom random(long seed, int round, int client) {
    return new SplittableRandom(Hash64.mix(Hash64.mix(Hash64.mix(seed) + round) + client));
  }

  /** One local epoch of minibatch SGD from {@code w}; returns (w_local - w) times {@code scale}. */
  private static float[] train(
      double[] w, List<Example> rows, Labels labels, SplittableRandom random, float scale) {
    double[] local = w.clone();
    int size = rows.size();
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] error = new double[BATCH];
    for (int start = 0; start < size; start += BATCH) {
      int end = Math.min(size, start + BATCH);
      for (int i = start; i < end; i++) {
        Example e = rows.get(order[i]);
        boolean y =
            switch (labels) {
              case OWN -> e.positive();
              case FLIPPED -> !e.positive();
              case ALL_POSITIVE -> true;
            };
        error[i - start] = sigmoid(e.dot(local)) - (y ? 1 : 0);
      }
      double step = LEARNING_RATE / (end - start);
      for (int i = start; i < end; i++) {
        Example e = rows.get(order[i]);
        double g = step * error[i - start];
        for (int k = 0; k < e.index().length; k++) {
          local[e.index()[k]] -= g * e.value()[k];
        }
      }
    }
    float[] update = new float[w.length];
    for (int j = 0; j < w.length; j++) {
      update[j] = (float) (local[j] - w[j]) * scale;
    }
    return update;
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  private static double accuracy(double[] w, List<Example> test) {
    int right = 0;
    for (Example e : test) {
      if ((e.dot(w) > 0) == e.positive()) {
        right++;
      }
    }
    return (double) right / test.size();
  }

  /**
   * The non-IID split by (occupation, education), topped up to {@link #MIN_ROWS} rows as the class
   * doc says.
   */
  private static List<List<Row>> split(List<Row> training, int n, long partition) {
    // client -> group key -> rows (in row order); TreeMaps keep every tie-break deterministic
    List<TreeMap<String, List<Row>>> clients = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      clients.add(new TreeMap<>());
    }
    for (Row row : training) {
      String key = text(row, OCCUPATION) + "|" + text(row, EDUCATION);
      long h = partition == 0 ? hash(key) : Hash64.mix(hash(key) ^ Hash64.mix(partition));
      int c = (int) Math.floorMod(h, (long) n);
      clients.get(c).computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    int[] size = new int[n];
    for (int c = 0; c < n; c++) {
      size[c] = clients.get(c).values().stream().mapToInt(List::size).sum();
    }
    while (true) {
      int small = -1;
      int large = -1;
      for (int c = 0; c < n; c++) {
        if (size[c] < MIN_ROWS && (small < 0 || size[c] < size[small])) {
          small = c;
        }
        if (large < 0 || size[c] > size[large]) {
          large = c;
        }
      }
      if (small < 0) {
        break;
      }
      Map.Entry<String, List<Row>> group = null;
      for (Map.Entry<String, List<Row>> e : clients.get(large).entrySet()) {
        if (group == null || e.getValue().size() > group.getValue().size()) {
          group = e;
        }
      }
      List<Row> donor = new ArrayList<>(group.getValue());
      donor.sort(
          Comparator.comparingLong((Row r) -> Hash64.mix(r.getLong(ROW_ID)))
              .thenComparingLong(r -> r.getLong(ROW_ID)));
      int take = Math.min(MIN_ROWS - size[small], Math.min(donor.size(), size[large] - MIN_ROWS));
      List<Row> moved = donor.subList(0, take);
      List<Row> kept = new ArrayList<>(donor.subList(take, donor.size()));
      kept.sort(Comparator.comparingLong(r -> r.getLong(ROW_ID)));
      if (kept.isEmpty()) {
        clients.get(large).remove(group.getKey());
      } else {
        group.setValue(kept);
      }
      List<Row> target = clients.get(small).computeIfAbsent(group.getKey(), k -> new ArrayList<>());
      target.addAll(moved);
      target.sort(Comparator.comparingLong(r -> r.getLong(ROW_ID)));
      size[large] -= take;
      size[small] += take;
    }
    List<List<Row>> out = new ArrayList<>();
    for (TreeMap<String, List<Row>> groups : clients) {
      List<Row> rows = new ArrayList<>();
      groups.values().forEach(rows::addAll);
      rows.sort(Comparator.comparingLong(r -> r.getLong(ROW_ID)));
      out.add(rows);
    }
    return out;
  }

  private static String text(Row row, int column) {
    return row.isNullAt(column) ? "?" : row.getString(column);
  }

  /** FNV-1a over the UTF-8 bytes, then mixed. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return Hash64.mix(h);
  }

  /**
   * Hashes rows into sparse vectors, with the numeric columns standardised on the training rows.
   */
  private static final class Featurizer {
    private final int dims;
    private final int[] numericIndex = new int[NUMERIC.length];
    private final double[] mean = new double[NUMERIC.length];
    private final double[] std = new double[NUMERIC.length];
    private final Map<String, Integer> indexCache = new HashMap<>();
    private final String[] names = DemoLake.SCHEMA.fieldNames();

    Featurizer(List<Row> training, int dims) {
      this.dims = dims;
      boolean[] used = new boolean[dims];
      used[0] = true;
      for (int f = 0; f < NUMERIC.length; f++) {
        int i = slot("numeric:" + NUMERIC[f]);
        while (used[i]) { // numeric features never share a coordinate
          i = i + 1 == dims ? 1 : i + 1;
        }
        used[i] = true;
        numericIndex[f] = i;
      }
      double[] square = new double[NUMERIC.length];
      for (Row row : training) {
        double[] x = numeric(row);
        for (int f = 0; f < x.length; f++) {
          mean[f] += x[f];
          square[f] += x[f] * x[f];
        }
      }
      for (int f = 0; f < NUMERIC.length; f++) {
        mean[f] /= training.size();
        double variance = square[f] / training.size() - mean[f] * mean[f];
        std[f] = variance > 1e-12 ? Math.sqrt(variance) : 1;
      }
    }

    private int slot(String feature) {
      return indexCache.computeIfAbsent(
          feature, k -> 1 + (int) Math.floorMod(hash(k), (long) (dims - 1)));
    }

    private static double[] numeric(Row row) {
      return new double[] {
        row.getInt(AGE),
        row.getInt(EDUCATION_NUM),
        row.getInt(HOURS_PER_WEEK),
        Math.log1p(row.getInt(CAPITAL_GAIN)),
        Math.log1p(row.getInt(CAPITAL_LOSS)),
        Math.log1p(row.getInt(FNLWGT))
      };
    }

    Example example(Row row) {
      int size = 1 + NUMERIC.length + CATEGORICAL.length + CROSSES.length;
      int[] index = new int[size];
      double[] value = new double[size];
      int k = 0;
      index[k] = 0;
      value[k++] = 1;
      double[] x = numeric(row);
      for (int f = 0; f < x.length; f++) {
        index[k] = numericIndex[f];
        value[k++] = (x[f] - mean[f]) / std[f];
      }
      for (int column : CATEGORICAL) {
        index[k] = slot(names[column] + "=" + text(row, column));
        value[k++] = 1;
      }
      for (int[] cross : CROSSES) {
        index[k] =
            slot(
                names[cross[0]]
                    + "="
                    + text(row, cross[0])
                    + "&"
                    + names[cross[1]]
                    + "="
                    + text(row, cross[1]));
        value[k++] = 1;
      }
      return new Example(index, value, ">50K".equals(row.getString(INCOME)));
    }
  }

  // Spark writers

  /** Writes the updates as a Delta table partitioned by round, replacing what is there. */
  public static void writeUpdates(SparkSession spark, List<ClientUpdate> updates, String path) {
    List<Row> rows = new ArrayList<>(updates.size());
    for (ClientUpdate u : updates) {
      rows.add(
          RecordCodec.positional(
              u.round(), u.clientId(), u.examples(), boxed(u.update(), 0, u.update().length)));
    }
    save(spark.createDataFrame(rows, UPDATES_SCHEMA), path, true);
  }

  /**
   * Writes (round, client_id, attack) for every update, the attack in lower case, as a Delta table.
   */
  public static void writeGroundTruth(SparkSession spark, List<ClientUpdate> updates, String path) {
    List<Row> rows = new ArrayList<>(updates.size());
    for (ClientUpdate u : updates) {
      rows.add(
          RecordCodec.positional(
              u.round(), u.clientId(), u.attack().name().toLowerCase(java.util.Locale.ROOT)));
    }
    save(spark.createDataFrame(rows, GROUND_TRUTH_SCHEMA), path, false);
  }

  /**
   * Writes the chunked layout, partitioned by round: layer "bias" holds coordinate 0 as chunk 0;
   * layer "weights" holds coordinates 1..dims-1 cut into chunks of {@code chunkSize} (the last may
   * be shorter).
   */
  public static void writeChunks(
      SparkSession spark, List<ClientUpdate> updates, int chunkSize, String path) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive, found " + chunkSize);
    }
    List<Row> rows = new ArrayList<>();
    for (ClientUpdate u : updates) {
      float[] v = u.update();
      rows.add(RecordCodec.positional(u.round(), u.clientId(), "bias", 0, boxed(v, 0, 1)));
      int chunk = 0;
      for (int start = 1; start < v.length; start += chunkSize) {
        rows.add(
            RecordCodec.positional(
                u.round(),
                u.clientId(),
                "weights",
                chunk++,
                boxed(v, start, Math.min(v.length, start + chunkSize))));
      }
    }
    save(spark.createDataFrame(rows, CHUNKS_SCHEMA), path, true);
  }

  private static List<Float> boxed(float[] v, int from, int to) {
    List<Float> out = new ArrayList<>(to - from);
    for (int j = from; j < to; j++) {
      out.add(v[j]);
    }
    return out;
  }

  private static void save(org.apache.spark.sql.Dataset<Row> frame, String path, boolean byRound) {
    var writer =
        frame.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true");
    if (byRound) {
      writer = writer.partitionBy("round");
    }
    writer.save(path);
  }
}
