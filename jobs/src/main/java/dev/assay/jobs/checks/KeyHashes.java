package dev.assay.jobs.checks;

import java.util.Arrays;
import java.util.List;

/**
 * Exact distinct and once-only counts of 64-bit key hashes, mergeable across tasks. A task's buffer
 * is kept as sorted runs of distinct keys: the lowest bit of each entry is a flag meaning "seen
 * more than once", so keys are compared on their 63 upper bits. Buffers collapse repeated keys as
 * they fill, so a low-cardinality key set costs little memory and shuffle; a reducer merges the
 * sorted runs of every task and counts.
 */
final class KeyHashes {
  /** A buffer is sorted and collapsed when it fills at this size or above. */
  private static final int COMPACT_FROM = 1 << 14;

  /** Below this size the JDK's sort beats a radix sort. */
  private static final int RADIX_FROM = 1 << 12;

  private long[] entries = new long[64];
  private int size;

  /**
   * False once a compaction barely shrank the buffer: the keys are mostly distinct, so it only
   * sorts at the end.
   */
  private boolean compacting = true;

  private KeyHashes() {}

  static KeyHashes create() {
    return new KeyHashes();
  }

  void add(long hash) {
    if (size == entries.length) {
      if (compacting && size >= COMPACT_FROM) {
        int before = size;
        compact();
        compacting = size < before * 0.9;
      }
      if (size > entries.length / 2) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
    }
    entries[size++] = hash & ~1L;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The distinct keys, sorted, each flagged when it was seen more than once. */
  long[] sortedRun() {
    compact();
    return Arrays.copyOf(entries, size);
  }

  /** Sorts the entries and collapses each key's repeats into one flagged entry. */
  private void compact() {
    sort(entries, size);
    size = collapse(entries, size, null);
  }

  /**
   * Sorts the first n entries so that equal entries are adjacent: the JDK's sort for small arrays,
   * an LSD radix sort on 16-bit digits (unsigned order) for large ones.
   */
  static void sort(long[] a, int n) {
    if (n < RADIX_FROM) {
      Arrays.sort(a, 0, n);
      return;
    }
    long[] from = a;
    long[] to = new long[n];
    int[] counts = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[(int) (from[i] >>> shift) & 0xFFFF]++;
      }
      int sum = 0;
      for (int d = 0; d < counts.length; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        to[counts[(int) (from[i] >>> shift) & 0xFFFF]++] = from[i];
      }
      long[] swap = from;
      from = to;
      to = swap;
    }
    // four passes: the sorted entries are back in a
  }

  /**
   * Collapses sorted entries in place; returns the new size. With {@code counts} = {distinct,
   * once-only}, also counts.
   */
  private static int collapse(long[] a, int n, long[] counts) {
    int out = 0;
    for (int i = 0; i < n; ) {
      long key = a[i] >>> 1;
      boolean repeated = (a[i] & 1L) != 0;
      int j = i + 1;
      while (j < n && a[j] >>> 1 == key) {
        repeated = true;
        j++;
      }
      a[out++] = key << 1 | (repeated ? 1L : 0L);
      if (counts != null) {
        counts[0]++;
        counts[1] += repeated ? 0 : 1;
      }
      i = j;
    }
    return out;
  }

  /** {distinct keys, keys seen exactly once} across the sorted runs of several tasks. */
  static long[] count(List<long[]> runs) {
    int total = 0;
    for (long[] run : runs) {
      total += run.length;
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] run : runs) {
      System.arraycopy(run, 0, all, at, run.length);
      at += run.length;
    }
    sort(all, all.length);
    long[] counts = new long[2];
    collapse(all, all.length, counts);
    return counts;
  }
}
