package dev.assay.common.stats;

/** A fast, well-mixed, deterministic 64-bit hash of a 64-bit value. */
public final class Hash64 {
  private Hash64() {}

  /**
   * SplitMix64's finaliser (Steele, Lea and Flood 2014): every input bit affects every output bit.
   */
  public static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
