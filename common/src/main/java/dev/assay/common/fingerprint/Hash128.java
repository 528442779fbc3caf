package dev.assay.common.fingerprint;

/**
 * Streaming MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm, seed 0). Bytes can
 * be fed in pieces; {@link #copyFrom} restores a saved state, so a fixed prefix is hashed once.
 */
public final class Hash128 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private long h1;
  private long h2;
  private long length;
  private final byte[] block = new byte[16];
  private int pending;

  /** Hashes {@code bytes} in one go: {hi, lo}. */
  public static long[] of(byte[] bytes) {
    Hash128 hash = new Hash128();
    hash.putBytes(bytes, 0, bytes.length);
    return hash.finish();
  }

  public void reset() {
    h1 = 0;
    h2 = 0;
    length = 0;
    pending = 0;
  }

  public void copyFrom(Hash128 other) {
    h1 = other.h1;
    h2 = other.h2;
    length = other.length;
    pending = other.pending;
    System.arraycopy(other.block, 0, block, 0, pending);
  }

  public void putByte(int b) {
    block[pending++] = (byte) b;
    length++;
    if (pending == 16) {
      mixBlock(littleEndian(block, 0), littleEndian(block, 8));
      pending = 0;
    }
  }

  public void putLong(long v) {
    for (int i = 0; i < 8; i++) {
      putByte((int) (v >>> (8 * i)));
    }
  }

  /** A non-negative length as a LEB128 varint. */
  public void putLength(int n) {
    int v = n;
    while ((v & ~0x7F) != 0) {
      putByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    putByte(v);
  }

  public void putBytes(byte[] bytes, int offset, int count) {
    int i = offset;
    int end = offset + count;
    while (i < end && pending != 0) {
      putByte(bytes[i++]);
    }
    while (end - i >= 16) {
      mixBlock(littleEndian(bytes, i), littleEndian(bytes, i + 8));
      length += 16;
      i += 16;
    }
    while (i < end) {
      putByte(bytes[i++]);
    }
  }

  /** The hash of everything fed so far, {hi, lo}; the state is left unchanged. */
  public long[] finish() {
    long a = h1;
    long b = h2;
    long k1 = 0;
    long k2 = 0;
    for (int i = pending - 1; i >= 8; i--) {
      k2 = (k2 << 8) | (block[i] & 0xFFL);
    }
    for (int i = Math.min(pending, 8) - 1; i >= 0; i--) {
      k1 = (k1 << 8) | (block[i] & 0xFFL);
    }
    if (pending > 8) {
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      b ^= k2;
    }
    if (pending > 0) {
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      a ^= k1;
    }
    a ^= length;
    b ^= length;
    a += b;
    b += a;
    a = finalMix(a);
    b = finalMix(b);
    a += b;
    b += a;
    return new long[] {a, b};
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** 32 lowercase hex digits of {hi, lo}. */
  public static String hex(long hi, long lo) {
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
      out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
    }
    return new String(out);
  }

  private void mixBlock(long k1, long k2) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    k1 *= C2;
    h1 ^= k1;
    h1 = Long.rotateLeft(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    k2 *= C1;
    h2 ^= k2;
    h2 = Long.rotateLeft(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  private static long littleEndian(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32
        | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48
        | (b[i + 7] & 0xFFL) << 56;
  }

  private static long finalMix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
