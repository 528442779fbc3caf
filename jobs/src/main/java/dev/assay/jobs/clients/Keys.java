package dev.assay.jobs.clients;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.Partitioner;

/** Shuffle keys of the update pass. */
final class Keys {
  private Keys() {}

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /**
   * A shuffled record's key: the slice group (round, layer, chunk, slice) whose coordinate-wise
   * median is computed together, then the client. Slice -1 marks a client's totals from the scan.
   */
  record Slice(int round, String layer, long chunk, int slice, String client)
      implements Serializable, Comparable<Slice> {
    private static final Comparator<Slice> ORDER =
        Comparator.comparingInt(Slice::round)
            .thenComparing(Slice::layer)
            .thenComparingLong(Slice::chunk)
            .thenComparingInt(Slice::slice)
            .thenComparing(Slice::client, NULLS_FIRST);

    boolean isTotals() {
      return slice < 0;
    }

    boolean sameGroup(Slice other) {
      return other != null
          && round == other.round
          && chunk == other.chunk
          && slice == other.slice
          && layer.equals(other.layer);
    }

    @Override
    public int compareTo(Slice other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * A result's key: round, client (null for the round's median) and layer ("" for the whole model).
   */
  record Client(int round, String client, String layer)
      implements Serializable, Comparable<Client> {
    private static final Comparator<Client> ORDER =
        Comparator.comparingInt(Client::round)
            .thenComparing(Client::client, NULLS_FIRST)
            .thenComparing(Client::layer);

    @Override
    public int compareTo(Client other) {
      return ORDER.compare(this, other);
    }
  }

  /** Sends a slice group to one reducer, and spreads client totals by client. */
  static final class GroupPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    GroupPartitioner(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      Slice s = (Slice) key;
      int hash =
          s.isTotals()
              ? java.util.Objects.hash(s.round(), s.layer(), s.client())
              : java.util.Objects.hash(s.round(), s.layer(), s.chunk(), s.slice());
      return Math.floorMod(hash, partitions);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof GroupPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
