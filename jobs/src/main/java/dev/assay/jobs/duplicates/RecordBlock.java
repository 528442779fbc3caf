package dev.assay.jobs.duplicates;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Fingerprint records packed into parallel arrays, the unit the job shuffles: far cheaper to
 * serialise than one object per row. A record is one row of a pending partition ({@code rows} 1,
 * with its id) or one indexed content of an earlier partition ({@code rows} its count, no id).
 */
final class RecordBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  int size;
  int[] ordinal = new int[16];
  long[] featureHi = new long[16];
  long[] featureLo = new long[16];
  long[] contentHi = new long[16];
  long[] contentLo = new long[16];
  long[] rows = new long[16];
  String[] label = new String[16];
  String[] id = new String[16];

  void add(int partition, long fHi, long fLo, long cHi, long cLo, long count, String labelValue, String idValue) {
    if (size == ordinal.length) {
      int capacity = size * 2;
      ordinal = Arrays.copyOf(ordinal, capacity);
      featureHi = Arrays.copyOf(featureHi, capacity);
      featureLo = Arrays.copyOf(featureLo, capacity);
      contentHi = Arrays.copyOf(contentHi, capacity);
      contentLo = Arrays.copyOf(contentLo, capacity);
      rows = Arrays.copyOf(rows, capacity);
      label = Arrays.copyOf(label, capacity);
      id = Arrays.copyOf(id, capacity);
    }
    ordinal[size] = partition;
    featureHi[size] = fHi;
    featureLo[size] = fLo;
    contentHi[size] = cHi;
    contentLo[size] = cLo;
    rows[size] = count;
    label[size] = labelValue;
    id[size] = idValue;
    size++;
  }

  void addAll(RecordBlock other) {
    for (int i = 0; i < other.size; i++) {
      add(other.ordinal[i], other.featureHi[i], other.featureLo[i], other.contentHi[i], other.contentLo[i],
          other.rows[i], other.label[i], other.id[i]);
    }
  }

  /** The reducer a feature fingerprint belongs to. */
  static int reducerOf(long featureHi, int reducers) {
    return (int) Math.floorMod(featureHi, (long) reducers);
  }
}
