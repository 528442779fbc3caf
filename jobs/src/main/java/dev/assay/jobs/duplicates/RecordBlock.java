package dev.assay.jobs.duplicates;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Fingerprint records packed into parallel arrays, the unit the job shuffles: far cheaper to
 * serialise than one object per row. A record is one row of a pending partition ({@code rows} 1,
 * with its id) or one indexed content of an earlier partition ({@code rows} its count, no id).
 */
final class RecordBlock implements Externalizable {
  private static final long serialVersionUID = 1L;

  public RecordBlock() {}

  int size;
  int[] ordinal = new int[16];
  long[] featureHi = new long[16];
  long[] featureLo = new long[16];
  long[] contentHi = new long[16];
  long[] contentLo = new long[16];
  long[] rows = new long[16];
  String[] label = new String[16];
  String[] id = new String[16];

  void add(
      int partition,
      long fHi,
      long fLo,
      long cHi,
      long cLo,
      long count,
      String labelValue,
      String idValue) {
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
      add(
          other.ordinal[i],
          other.featureHi[i],
          other.featureLo[i],
          other.contentHi[i],
          other.contentLo[i],
          other.rows[i],
          other.label[i],
          other.id[i]);
    }
  }

  /** Arrays in bulk, labels through a dictionary (a partition has few labels), ids as UTF-8. */
  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeInt(size);
    Map<String, Integer> codes = new HashMap<>();
    int[] labelCodes = new int[size];
    for (int i = 0; i < size; i++) {
      labelCodes[i] = label[i] == null ? -1 : codes.computeIfAbsent(label[i], l -> codes.size());
    }
    String[] dictionary = new String[codes.size()];
    codes.forEach((l, code) -> dictionary[code] = l);
    out.writeInt(dictionary.length);
    for (String l : dictionary) {
      writeText(out, l);
    }
    for (int i = 0; i < size; i++) {
      out.writeInt(ordinal[i]);
      out.writeLong(featureHi[i]);
      out.writeLong(featureLo[i]);
      out.writeLong(contentHi[i]);
      out.writeLong(contentLo[i]);
      out.writeLong(rows[i]);
      out.writeInt(labelCodes[i]);
      writeText(out, id[i]);
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    int n = in.readInt();
    String[] dictionary = new String[in.readInt()];
    for (int i = 0; i < dictionary.length; i++) {
      dictionary[i] = readText(in);
    }
    ordinal = new int[Math.max(16, n)];
    featureHi = new long[ordinal.length];
    featureLo = new long[ordinal.length];
    contentHi = new long[ordinal.length];
    contentLo = new long[ordinal.length];
    rows = new long[ordinal.length];
    label = new String[ordinal.length];
    id = new String[ordinal.length];
    for (int i = 0; i < n; i++) {
      ordinal[i] = in.readInt();
      featureHi[i] = in.readLong();
      featureLo[i] = in.readLong();
      contentHi[i] = in.readLong();
      contentLo[i] = in.readLong();
      rows[i] = in.readLong();
      int code = in.readInt();
      label[i] = code < 0 ? null : dictionary[code];
      id[i] = readText(in);
    }
    size = n;
  }

  private static void writeText(ObjectOutput out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readText(ObjectInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The reducer a feature fingerprint belongs to. */
  static int reducerOf(long featureHi, int reducers) {
    return (int) Math.floorMod(featureHi, (long) reducers);
  }
}
