package dev.assay.jobs.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class KeyHashesTest {

  @Test
  void countsMatchAHashMapAcrossTasksWhateverTheOrder() {
    SplittableRandom random = new SplittableRandom(7);
    Map<Long, Integer> truth = new HashMap<>();
    List<KeyHashes> tasks = List.of(KeyHashes.create(), KeyHashes.create(), KeyHashes.create());
    for (int i = 0; i < 200_000; i++) {
      // keys with their low bit cleared, as the buffer compares them; a quarter of draws from a
      // small pool repeat
      long key =
          (random.nextInt(4) == 0 ? random.nextInt(5_000) * 0x9E3779B97F4A7C15L : random.nextLong())
              & ~1L;
      truth.merge(key, 1, Integer::sum);
      tasks.get(random.nextInt(3)).add(key);
    }
    long once = truth.values().stream().filter(c -> c == 1).count();
    List<long[]> runs = new ArrayList<>();
    tasks.forEach(t -> runs.add(t.sortedRun()));
    assertArrayEquals(new long[] {truth.size(), once}, KeyHashes.count(runs));
  }

  @Test
  void aKeyRepeatedWithinOneTaskIsNotCountedOnceEvenIfOtherTasksNeverSawIt() {
    KeyHashes a = KeyHashes.create();
    KeyHashes b = KeyHashes.create();
    a.add(10L << 1);
    a.add(10L << 1);
    a.add(20L << 1);
    b.add(30L << 1);
    b.add(20L << 1);
    // keys 10 (twice in a), 20 (once in each), 30 (once): 3 distinct, only 30 once
    assertArrayEquals(new long[] {3, 1}, KeyHashes.count(List.of(a.sortedRun(), b.sortedRun())));
  }

  @Test
  void theRadixSortOrdersLargeArraysLikeAnUnsignedSort() {
    SplittableRandom random = new SplittableRandom(11);
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 3 == 0 ? random.nextInt(100) : random.nextLong();
    }
    Long[] expected = java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
    java.util.Arrays.sort(expected, Long::compareUnsigned);
    KeyHashes.sort(values, values.length);
    for (int i = 0; i < values.length; i++) {
      assertEquals((long) expected[i], values[i], "index " + i);
    }
  }

  @Test
  void aLowCardinalityKeySetCollapsesToOneEntryPerKey() {
    KeyHashes buffer = KeyHashes.create();
    for (int i = 0; i < 1_000_000; i++) {
      buffer.add((i % 12) * 0x9E3779B97F4A7C15L);
    }
    assertEquals(12, buffer.sortedRun().length);
  }
}
