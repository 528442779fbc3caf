package dev.assay.jobs.duplicates;

import java.io.Serializable;

/**
 * A Bloom filter of feature fingerprints. Fingerprints are already uniform, so the probes are the
 * double hashing of their two halves. Filters of equal size merge by OR.
 */
final class KeyBloom implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int PROBES = 7;

  /** 16 bits per key gives ~0.05% false positives with 7 probes. */
  private static final int BITS_PER_KEY = 16;

  /**
   * 2^30 bits (128 MB): beyond this, false positives rise but answers stay exact after the join.
   */
  private static final long MAX_BITS = 1L << 30;

  private final long[] words;
  private final long mask;

  KeyBloom(long expectedKeys) {
    long bits =
        Long.highestOneBit(Math.max(1024, Math.min(MAX_BITS, expectedKeys * BITS_PER_KEY)) * 2 - 1);
    words = new long[(int) (bits >>> 6)];
    mask = bits - 1;
  }

  void add(long hi, long lo) {
    for (int i = 0; i < PROBES; i++) {
      long bit = (hi + i * (lo | 1)) & mask;
      words[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  boolean mightContain(long hi, long lo) {
    for (int i = 0; i < PROBES; i++) {
      long bit = (hi + i * (lo | 1)) & mask;
      if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  KeyBloom or(KeyBloom other) {
    for (int i = 0; i < words.length; i++) {
      words[i] |= other.words[i];
    }
    return this;
  }
}
