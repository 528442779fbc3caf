package dev.assay.common.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class Hash128Test {
  @Test
  void matchesCommonsCodecMurmur3X64At128BitsForEveryTailLength() {
    Random random = new Random(7);
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertArrayEquals(MurmurHash3.hash128x64(bytes), Hash128.of(bytes), "length " + length);
    }
  }

  @Test
  void feedingInPiecesEqualsOneGo() {
    byte[] bytes =
        "the quick brown fox jumps over the lazy dog, twice over".getBytes(StandardCharsets.UTF_8);
    Hash128 pieces = new Hash128();
    pieces.putBytes(bytes, 0, 5);
    for (int i = 5; i < 23; i++) {
      pieces.putByte(bytes[i]);
    }
    pieces.putBytes(bytes, 23, bytes.length - 23);
    assertArrayEquals(Hash128.of(bytes), pieces.finish());
  }

  @Test
  void aSavedPrefixStateIsRestored() {
    Hash128 prefix = new Hash128();
    prefix.putBytes(new byte[] {1, 2, 3}, 0, 3);
    Hash128 h = new Hash128();
    h.copyFrom(prefix);
    h.putByte(4);
    assertArrayEquals(Hash128.of(new byte[] {1, 2, 3, 4}), h.finish());
    assertEquals("0000000000000001ffffffffffffffff", Hash128.hex(1, -1));
  }
}
