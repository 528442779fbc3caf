package dev.assay.jobs.duplicates;

import dev.assay.common.config.DuplicateSettings;
import dev.assay.common.fingerprint.Hash128;
import dev.assay.common.fingerprint.RowFingerprint;
import dev.assay.common.job.JobContext;
import dev.assay.common.stats.Hash64;
import dev.assay.common.table.Columns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Near-duplicates inside each pending partition by banded MinHash. A row becomes a set of tokens:
 * character n-grams of its text values, two quantised tokens per number (grids offset by half a
 * step, so values closer than half a step share one), and one token per other value. MinHash
 * signatures of {@code bands × rows} functions are cut into bands; rows sharing any band are
 * candidates, and each candidate pair is verified by the exact Jaccard similarity of the token
 * sets. Rows per band are the most that still give a pair at exactly the threshold a 99% chance of
 * becoming a candidate. Buckets are cut at {@code max_bucket} rows, so at most {@code N × bands}
 * band records and {@code N × bands × (max_bucket − 1) / 2} candidate pairs are made.
 */
final class NearDuplicates {
  private static final Logger LOG = LogManager.getLogger(NearDuplicates.class);

  /** Chance that a pair at exactly the threshold shares a band. */
  static final double RECALL_AT_THRESHOLD = 0.99;

  private NearDuplicates() {}

  /** Bands and rows per band for a threshold and a budget of hash functions: {bands, rows}. */
  static int[] banding(double threshold, int hashes) {
    for (int rows = hashes; rows >= 1; rows--) {
      int bands = hashes / rows;
      if (1 - Math.pow(1 - Math.pow(threshold, rows), bands) >= RECALL_AT_THRESHOLD) {
        return new int[] {bands, rows};
      }
    }
    return new int[] {hashes, 1};
  }

  /**
   * One distinct row: its key, partition, smallest id, content fingerprint and sorted token hashes.
   */
  record Item(long key, int ordinal, String id, String fingerprint, int[] tokens)
      implements Serializable {}

  static void find(
      JobContext context,
      List<String> pending,
      Map<String, Integer> ordinals,
      DuplicateSettings.Near near,
      DuplicateSettings settings,
      Findings findings) {
    List<String> columns =
        near.columns().isEmpty() ? context.table().fingerprintColumns() : near.columns();
    List<Column> select = new ArrayList<>();
    select.add(context.table().partitionString());
    select.add(FingerprintScan.idColumn(context));
    for (String column : columns) {
      select.add(Columns.named(column));
    }
    Dataset<Row> input = context.table().read(pending).select(select.toArray(Column[]::new));
    int[] banding = banding(near.threshold(), near.hashes());
    LOG.info(
        "near-duplicates: {} bands x {} rows for Jaccard >= {}",
        banding[0],
        banding[1],
        near.threshold());
    Tokenizer tokenizer = new Tokenizer(input.schema(), columns, near.shingle(), near.digits());
    JavaPairRDD<Long, Item> items =
        input
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new ItemMaker(ordinals, tokenizer, input.schema()))
            .mapToPair(item -> new Tuple2<>(item.key(), item))
            .reduceByKey(
                (a, b) ->
                    a.id() == null || (b.id() != null && b.id().compareTo(a.id()) < 0) ? b : a);
    items.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER());
    try {
      int bands = banding[0];
      int rowsPerBand = banding[1];
      int maxBucket = near.maxBucket();
      JavaPairRDD<Long, Long> pairs =
          items
              .values()
              .flatMapToPair(item -> bandRecords(item, bands, rowsPerBand).iterator())
              .groupByKey()
              .flatMapToPair(bucket -> candidatePairs(bucket._2(), maxBucket).iterator())
              .distinct();
      double threshold = near.threshold();
      JavaRDD<Tuple2<Item, Item>> verified =
          pairs
              .join(items)
              .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()))
              .join(items)
              .map(t -> new Tuple2<>(t._2()._1(), t._2()._2()))
              .filter(p -> jaccard(p._1().tokens(), p._2().tokens()) >= threshold);
      verified.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER());
      try {
        Map<Integer, Long> nearRows =
            verified
                .flatMapToPair(
                    p ->
                        List.of(
                                new Tuple2<>(p._1().key(), p._1().ordinal()),
                                new Tuple2<>(p._2().key(), p._2().ordinal()))
                            .iterator())
                .distinct()
                .mapToPair(t -> new Tuple2<>(t._2(), 1L))
                .reduceByKey(Long::sum)
                .collectAsMap();
        nearRows.forEach((ordinal, n) -> findings.of(ordinal).nearRows += n);
        int sampleIds = settings.sampleIds();
        int maxGroups = settings.maxGroups();
        Findings groups =
            verified
                .mapToPair(p -> p._1().key() < p._2().key() ? p : new Tuple2<>(p._2(), p._1()))
                .groupByKey()
                .aggregate(
                    new Findings(maxGroups),
                    (f, anchor) -> {
                      f.offer(group(anchor._1(), anchor._2(), sampleIds));
                      return f;
                    },
                    Findings::merge);
        findings.merge(groups);
      } finally {
        verified.unpersist(false);
      }
    } finally {
      items.unpersist(false);
    }
  }

  private static Evidence group(Item anchor, Iterable<Item> partners, int sampleIds) {
    List<Item> list = new ArrayList<>();
    partners.forEach(list::add);
    list.sort((a, b) -> String.valueOf(a.id()).compareTo(String.valueOf(b.id())));
    List<String> ids = new ArrayList<>();
    if (anchor.id() != null) {
      ids.add(anchor.id());
    }
    double lowest = 1;
    for (Item partner : list) {
      lowest = Math.min(lowest, jaccard(anchor.tokens(), partner.tokens()));
      if (partner.id() != null && ids.size() < sampleIds) {
        ids.add(partner.id());
      }
    }
    return new Evidence(
        anchor.ordinal(),
        "NEAR_DUPLICATE",
        anchor.fingerprint(),
        1 + list.size(),
        -1,
        List.of(),
        ids,
        lowest);
  }

  private static List<Tuple2<String, Long>> bandRecords(Item item, int bands, int rowsPerBand) {
    long[] signature = new long[bands * rowsPerBand];
    Arrays.fill(signature, Long.MAX_VALUE);
    for (int token : item.tokens()) {
      for (int i = 0; i < signature.length; i++) {
        long h = Hash64.mix(token * 0x9E3779B97F4A7C15L + i);
        if (h < signature[i]) {
          signature[i] = h;
        }
      }
    }
    List<Tuple2<String, Long>> out = new ArrayList<>(bands);
    for (int b = 0; b < bands; b++) {
      long h = b;
      for (int r = 0; r < rowsPerBand; r++) {
        h = Hash64.mix(h ^ signature[b * rowsPerBand + r]);
      }
      out.add(new Tuple2<>(item.ordinal() + "/" + b + "/" + h, item.key()));
    }
    return out;
  }

  private static List<Tuple2<Long, Long>> candidatePairs(Iterable<Long> bucket, int maxBucket) {
    List<Long> keys = new ArrayList<>();
    bucket.forEach(keys::add);
    if (keys.size() < 2) {
      return List.of();
    }
    keys.sort(Long::compare);
    List<Long> kept = keys.subList(0, Math.min(maxBucket, keys.size()));
    List<Tuple2<Long, Long>> pairs = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      for (int j = i + 1; j < kept.size(); j++) {
        pairs.add(new Tuple2<>(kept.get(i), kept.get(j)));
      }
    }
    return pairs;
  }

  /** Exact Jaccard similarity of two sorted, distinct token arrays. */
  static double jaccard(int[] a, int[] b) {
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    int union = a.length + b.length - common;
    return union == 0 ? 1 : (double) common / union;
  }

  /** Rows of the input as items: partition, id, then the compared columns. */
  private static final class ItemMaker
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<InternalRow>, Item> {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> ordinals;
    private final Tokenizer tokenizer;
    private final RowFingerprint fingerprint;

    ItemMaker(Map<String, Integer> ordinals, Tokenizer tokenizer, StructType schema) {
      this.ordinals = ordinals;
      this.tokenizer = tokenizer;
      this.fingerprint = new RowFingerprint(schema, tokenizer.columns(), Optional.empty());
    }

    @Override
    public Iterator<Item> call(Iterator<InternalRow> rows) {
      List<Item> out = new ArrayList<>();
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        int ordinal = ordinals.get(row.getUTF8String(0).toString());
        fingerprint.fingerprint(row);
        long key = fingerprint.featureHi ^ Hash64.mix(ordinal);
        out.add(
            new Item(
                key,
                ordinal,
                row.isNullAt(1) ? null : row.getUTF8String(1).toString(),
                Hash128.hex(fingerprint.featureHi, fingerprint.featureLo),
                tokenizer.tokens(row)));
      }
      return out.iterator();
    }
  }

  /** Turns the compared columns of a row into sorted, distinct token hashes. */
  static final class Tokenizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String[] names;
    private final int[] ordinals;
    private final boolean[] numeric;
    private final DataType[] types;
    private final int shingle;
    private final int digits;

    Tokenizer(StructType schema, List<String> columns, int shingle, int digits) {
      names = columns.toArray(new String[0]);
      ordinals = new int[names.length];
      numeric = new boolean[names.length];
      types = new DataType[names.length];
      for (int i = 0; i < names.length; i++) {
        ordinals[i] = schema.fieldIndex(names[i]);
        types[i] = schema.fields()[ordinals[i]].dataType();
        numeric[i] = types[i] instanceof NumericType;
      }
      this.shingle = shingle;
      this.digits = digits;
    }

    List<String> columns() {
      return List.of(names);
    }

    int[] tokens(InternalRow row) {
      List<Integer> tokens = new ArrayList<>();
      for (int c = 0; c < names.length; c++) {
        int o = ordinals[c];
        if (row.isNullAt(o)) {
          tokens.add(token(c, "\u0000null"));
        } else if (numeric[c]) {
          quantised(
              c,
              types[c] instanceof DecimalType d
                  ? row.getDecimal(o, d.precision(), d.scale()).toDouble()
                  : ((Number) row.get(o, types[c])).doubleValue(),
              tokens);
        } else {
          shingles(c, String.valueOf(row.get(o, types[c])), tokens);
        }
      }
      return tokens.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    }

    private void quantised(int column, double x, List<Integer> tokens) {
      if (!Double.isFinite(x) || x == 0) {
        tokens.add(token(column, "\u0001" + x));
        return;
      }
      double step = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - digits + 1);
      tokens.add(token(column, "a" + (long) Math.floor(x / step)));
      tokens.add(token(column, "b" + (long) Math.floor(x / step + 0.5)));
    }

    private void shingles(int column, String raw, List<Integer> tokens) {
      String text =
          " " + raw.toLowerCase(java.util.Locale.ROOT).trim().replaceAll("\\s+", " ") + " ";
      if (text.length() <= shingle) {
        tokens.add(token(column, text));
        return;
      }
      for (int i = 0; i + shingle <= text.length(); i++) {
        tokens.add(token(column, text.substring(i, i + shingle)));
      }
    }

    private static int token(int column, String text) {
      return (int) Hash64.mix(column * 0x100000001B3L + text.hashCode());
    }
  }
}
