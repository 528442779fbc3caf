package dev.assay.jobs.clients;

import dev.assay.common.stats.Hash64;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A seeded sparse random projection (block sparse Johnson-Lindenstrauss) of update vectors to
 * {@code k} dimensions. The sketch is split into {@link #BLOCKS} blocks of k/4 buckets; each
 * coordinate adds its value, with a random sign, to one bucket per block, scaled by 1/2. One 64-bit
 * hash of the coordinate gives all four buckets and signs.
 *
 * <p>It is linear (the sketch of a sum is the sum of sketches), so histories are running sums, and
 * inner products are unbiased: E[&lt;Px, Py&gt;] = &lt;x, y&gt; with variance at most 2 |x|^2 |y|^2
 * / k. A coordinate is named by (layer, chunk, position), so every round, client and layout that
 * names it the same way projects it the same way.
 */
public final class SparseProjection implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int BLOCKS = 4;
  private static final double SCALE = 0.5; // 1 / sqrt(BLOCKS)
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final int k;
  private final long seed;
  private final int blockBits;
  private final int blockMask;

  public SparseProjection(int k, long seed) {
    if (Integer.bitCount(k) != 1 || k < 64 || k > 65536) {
      throw new IllegalArgumentException("k must be a power of two from 64 to 65536, found " + k);
    }
    this.k = k;
    this.seed = seed;
    this.blockBits = Integer.numberOfTrailingZeros(k / BLOCKS);
    this.blockMask = k / BLOCKS - 1;
  }

  public int dimension() {
    return k;
  }

  /** The hash base of one chunk of one layer; a coordinate's hash is {@code base + position}. */
  public long base(String layer, long chunk) {
    long h = Hash64.mix(seed ^ GOLDEN);
    for (byte b : layer.getBytes(StandardCharsets.UTF_8)) {
      h = Hash64.mix(h ^ (b & 0xff));
    }
    return Hash64.mix(h ^ Hash64.mix(chunk + GOLDEN));
  }

  /** Adds {@code values[from, to)} at positions {@code offset + i} of a chunk to {@code sketch}. */
  public void add(double[] sketch, long base, long offset, float[] values, int from, int to) {
    int step = blockBits + 1; // k <= 65536: 4 x (14 + 1) bits of one hash
    int b1 = 1 << blockBits;
    int b2 = 2 << blockBits;
    int b3 = 3 << blockBits;
    for (int i = from; i < to; i++) {
      float value = values[i];
      if (value == 0 || !Float.isFinite(value)) {
        continue;
      }
      long h = Hash64.mix(base + (offset + i) * GOLDEN);
      long v = Double.doubleToRawLongBits(SCALE * value);
      sketch[(int) (h & blockMask)] += signed(v, h >>> blockBits);
      sketch[b1 | (int) ((h >>> step) & blockMask)] += signed(v, h >>> (step + blockBits));
      sketch[b2 | (int) ((h >>> (2 * step)) & blockMask)] +=
          signed(v, h >>> (2 * step + blockBits));
      sketch[b3 | (int) ((h >>> (3 * step)) & blockMask)] +=
          signed(v, h >>> (3 * step + blockBits));
    }
  }

  /** The value whose bits are {@code bits}, negated when the lowest bit of {@code sign} is 1. */
  private static double signed(long bits, long sign) {
    return Double.longBitsToDouble(bits ^ (sign << 63));
  }
}
